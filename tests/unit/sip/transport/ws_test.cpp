#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

#include "test_certificate.hpp"
#include "transport_fixture.hpp"
#include "ws_connection.hpp"

namespace callcenterd::sip::test {
namespace {

namespace http = boost::beast::http;

TEST(offers_sip_subprotocol, finds_sip_in_a_list) {
  using transport_detail::offers_sip_subprotocol;
  EXPECT_TRUE(offers_sip_subprotocol("sip"));
  EXPECT_TRUE(offers_sip_subprotocol("chat, sip"));
  EXPECT_TRUE(offers_sip_subprotocol(" SIP ,"));
  EXPECT_FALSE(offers_sip_subprotocol(""));
  EXPECT_FALSE(offers_sip_subprotocol("sips, xsip, sip2"));
}

// A request as a browser softphone sends it: no Content-Length (RFC 7118 §5).
std::string ws_request(std::string_view transport) {
  auto request = make_request("REGISTER", transport, 0, "z9hG4bKws");
  request.erase(request.find("Content-Length: 0\r\n"), 19);
  return request;
}

class ws_transport : public transport_fixture {
 protected:
  void round_trip(transport_kind kind, std::string_view token) {
    ws_peer peer(is_secure(kind));
    ASSERT_TRUE(peer.connect(port(kind), true));
    EXPECT_EQ(peer.response()[http::field::sec_websocket_protocol], "sip");
    ASSERT_TRUE(peer.write(ws_request(token)));
    ASSERT_TRUE(listener_.wait_messages(1));
    const auto got = listener_.messages().at(0);
    EXPECT_EQ(got.message.method(), "REGISTER");
    EXPECT_EQ(got.source.transport, kind);
    EXPECT_NE(got.source.connection_id, 0u);
    manager_->send(got.source, make_response(token, 0, "z9hG4bKws"));
    bool was_text = false;
    const auto reply = peer.read(&was_text);
    ASSERT_TRUE(reply);
    EXPECT_TRUE(was_text);
    EXPECT_EQ(reply->substr(0, 15), "SIP/2.0 200 OK\r");
  }

  test_certificate certificate_;
};

TEST_F(ws_transport, round_trip_with_the_sip_subprotocol) {
  start(settings_for({transport_kind::ws}));
  round_trip(transport_kind::ws, "WS");
}

TEST_F(ws_transport, secure_round_trip) {
  auto settings = settings_for({transport_kind::wss});
  settings.tls.certificate_file = certificate_.certificate_file();
  settings.tls.private_key_file = certificate_.key_file();
  start(settings);
  round_trip(transport_kind::wss, "WSS");
}

TEST_F(ws_transport, upgrade_without_sip_is_refused_with_400) {
  start(settings_for({transport_kind::ws}));
  ws_peer peer(false);
  EXPECT_FALSE(peer.connect(port(transport_kind::ws), false));
  EXPECT_EQ(peer.response().result(), http::status::bad_request);
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::ws).connections_rejected == 1; }));
  ASSERT_TRUE(listener_.wait_closed(1));
}

TEST_F(ws_transport, malformed_message_is_answered_and_the_connection_stays) {
  start(settings_for({transport_kind::ws}));
  ws_peer peer(false);
  ASSERT_TRUE(peer.connect(port(transport_kind::ws), true));
  auto bad = ws_request("WS");
  bad.replace(bad.find("CSeq: 1 REGISTER"), 16, "CSeq: 1 INVITE");
  ASSERT_TRUE(peer.write(bad));
  const auto reply = peer.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->substr(0, 32), "SIP/2.0 400 CSeq Method Mismatch");
  ASSERT_TRUE(peer.write("\r\n\r\n"));
  ASSERT_TRUE(peer.write(ws_request("WS")));
  ASSERT_TRUE(listener_.wait_messages(1));
  const auto c = counters(transport_kind::ws);
  EXPECT_EQ(c.malformed, 1u);
  EXPECT_EQ(c.keep_alives_in, 1u);
}

TEST_F(ws_transport, send_to_a_closed_websocket_is_dropped_and_counted) {
  start(settings_for({transport_kind::ws}));
  flow source;
  {
    ws_peer peer(false);
    ASSERT_TRUE(peer.connect(port(transport_kind::ws), true));
    ASSERT_TRUE(peer.write(ws_request("WS")));
    ASSERT_TRUE(listener_.wait_messages(1));
    source = listener_.messages().at(0).source;
  }
  ASSERT_TRUE(listener_.wait_closed(1));
  manager_->send(source, make_response("WS", 0, "z9hG4bKws"));
  EXPECT_EQ(counters(transport_kind::ws).send_failures, 1u);
  EXPECT_EQ(counters(transport_kind::ws).connections_opened, 0u);
}

}  // namespace
}  // namespace callcenterd::sip::test
