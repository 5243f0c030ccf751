#include <gtest/gtest.h>

#include "callcenterd/sip/parser.hpp"
#include "transport_fixture.hpp"

namespace callcenterd::sip::test {
namespace {

class tcp_transport : public transport_fixture {
 protected:
  void start_tcp(transport_settings settings = settings_for({transport_kind::tcp})) {
    start(std::move(settings));
  }
  [[nodiscard]] std::uint16_t tcp_port() const { return port(transport_kind::tcp); }
};

TEST_F(tcp_transport, two_messages_in_one_write) {
  start_tcp();
  stream_peer peer;
  ASSERT_TRUE(peer.connect(tcp_port()));
  peer.write(make_request("OPTIONS", "TCP", peer.local_port(), "z9hG4bK1") +
             make_request("MESSAGE", "TCP", peer.local_port(), "z9hG4bK2", "hi"));
  ASSERT_TRUE(listener_.wait_messages(2));
  const auto got = listener_.messages();
  EXPECT_EQ(got[0].message.method(), "OPTIONS");
  EXPECT_EQ(got[1].message.method(), "MESSAGE");
  EXPECT_EQ(got[1].message.body(), "hi");
  EXPECT_EQ(got[0].source.transport, transport_kind::tcp);
  EXPECT_NE(got[0].source.connection_id, 0u);
  EXPECT_EQ(got[0].source.connection_id, got[1].source.connection_id);
  EXPECT_EQ(got[0].source.remote_port, peer.local_port());
  EXPECT_EQ(got[0].source.local_port, tcp_port());
  EXPECT_EQ(counters(transport_kind::tcp).connections_accepted, 1u);
}

TEST_F(tcp_transport, message_split_over_many_writes) {
  start_tcp();
  stream_peer peer;
  ASSERT_TRUE(peer.connect(tcp_port()));
  const auto request = make_request("MESSAGE", "TCP", peer.local_port(), "z9hG4bK1", "body!");
  for (char c : request) peer.write(std::string(1, c));
  ASSERT_TRUE(listener_.wait_messages(1));
  const auto expected = parse_message(request);
  ASSERT_TRUE(expected);
  EXPECT_EQ(listener_.messages().at(0).message.body(), "body!");
  EXPECT_EQ(listener_.messages().at(0).message.header("Call-ID"), expected->header("Call-ID"));
}

TEST_F(tcp_transport, ping_gets_pong) {
  start_tcp();
  stream_peer peer;
  ASSERT_TRUE(peer.connect(tcp_port()));
  peer.write("\r\n\r\n");
  const auto pong = peer.read_until("\r\n");
  ASSERT_TRUE(pong);
  EXPECT_EQ(*pong, "\r\n");
  const auto c = counters(transport_kind::tcp);
  EXPECT_EQ(c.pongs_sent, 1u);
  EXPECT_EQ(c.keep_alives_in, 1u);
  EXPECT_EQ(c.messages_out, 0u);
}

TEST_F(tcp_transport, idle_connection_is_closed) {
  auto settings = settings_for({transport_kind::tcp});
  settings.idle_timeout = std::chrono::seconds(1);
  start_tcp(settings);
  stream_peer peer;
  ASSERT_TRUE(peer.connect(tcp_port()));
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(peer.wait_closed(std::chrono::seconds(5)));
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(5));
  ASSERT_TRUE(listener_.wait_closed(1));
  EXPECT_EQ(listener_.closed().at(0).transport, transport_kind::tcp);
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::tcp).connections_open == 0; }));
  EXPECT_EQ(counters(transport_kind::tcp).connections_closed, 1u);
}

TEST_F(tcp_transport, send_reuses_the_inbound_connection) {
  start_tcp();
  stream_peer peer;
  ASSERT_TRUE(peer.connect(tcp_port()));
  peer.write(make_request("OPTIONS", "TCP", peer.local_port()));
  ASSERT_TRUE(listener_.wait_messages(1));
  manager_->send(listener_.messages().at(0).source, make_response("TCP", peer.local_port()));
  const auto reply = peer.read_message();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->substr(0, 15), "SIP/2.0 200 OK\r");
  // A flow without the connection id finds the same connection by its remote end.
  auto by_address = listener_.messages().at(0).source;
  by_address.connection_id = 0;
  manager_->send(by_address, make_response("TCP", peer.local_port(), "z9hG4bK2"));
  ASSERT_TRUE(peer.read_message());
  EXPECT_EQ(counters(transport_kind::tcp).connections_opened, 0u);
}

TEST_F(tcp_transport, send_to_a_fresh_flow_connects_out) {
  start_tcp();
  stream_peer server;
  const auto server_port = server.listen();
  flow destination;
  destination.transport = transport_kind::tcp;
  destination.remote_address = boost::asio::ip::make_address("127.0.0.1");
  destination.remote_port = server_port;
  manager_->send(destination, make_request("OPTIONS", "TCP", tcp_port(), "z9hG4bKout"));
  manager_->send(destination, make_request("OPTIONS", "TCP", tcp_port(), "z9hG4bKout2"));
  ASSERT_TRUE(server.accept());
  const auto first = server.read_until("z9hG4bKout2");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->find("OPTIONS sip:"), 0u);
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::tcp).connections_opened == 1; }));

  // What the far end sends back arrives with the outbound connection's id.
  server.write(make_response("TCP", tcp_port(), "z9hG4bKout"));
  ASSERT_TRUE(listener_.wait_messages(1));
  const auto back = listener_.messages().at(0).source;
  EXPECT_NE(back.connection_id, 0u);
  EXPECT_EQ(back.remote_port, server_port);
  EXPECT_EQ(counters(transport_kind::tcp).connections_accepted, 0u);
}

TEST_F(tcp_transport, refused_connect_counts_the_queued_messages) {
  start_tcp();
  std::uint16_t closed_port = 0;
  {
    stream_peer unused;
    closed_port = unused.listen();
  }
  flow destination;
  destination.transport = transport_kind::tcp;
  destination.remote_address = boost::asio::ip::make_address("127.0.0.1");
  destination.remote_port = closed_port;
  manager_->send(destination, make_request("OPTIONS", "TCP", tcp_port()));
  ASSERT_TRUE(listener_.wait_closed(1));
  EXPECT_EQ(listener_.closed().at(0).remote_port, closed_port);
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::tcp).send_failures == 1; }));
  EXPECT_EQ(counters(transport_kind::tcp).connections_opened, 0u);
}

TEST_F(tcp_transport, framing_error_gets_400_then_close) {
  start_tcp();
  stream_peer peer;
  ASSERT_TRUE(peer.connect(tcp_port()));
  auto request = make_request("INVITE", "TCP", peer.local_port());
  request.erase(request.find("Content-Length: 0\r\n"), 19);
  peer.write(request + "more bytes that can no longer be framed");
  const auto reply = peer.read_message();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->substr(0, 42), "SIP/2.0 400 Missing or Bad Content-Length\r");
  EXPECT_NE(reply->find(";received=127.0.0.1"), std::string::npos);
  EXPECT_TRUE(peer.wait_closed());
  peer.close();  // ends the server's linger at once
  ASSERT_TRUE(listener_.wait_closed(1));
  const auto c = counters(transport_kind::tcp);
  EXPECT_EQ(c.malformed, 1u);
  EXPECT_EQ(c.error_replies, 1u);
  EXPECT_TRUE(listener_.messages().empty());
}

TEST_F(tcp_transport, unparsable_framed_message_is_answered_and_the_stream_goes_on) {
  start_tcp();
  stream_peer peer;
  ASSERT_TRUE(peer.connect(tcp_port()));
  auto bad = make_request("OPTIONS", "TCP", peer.local_port(), "z9hG4bKbad");
  bad.replace(bad.find("SIP/2.0\r\n"), 7, "SIP/3.0");
  peer.write(bad + make_request("OPTIONS", "TCP", peer.local_port(), "z9hG4bKgood"));
  const auto reply = peer.read_message();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->substr(0, 12), "SIP/2.0 505 ");
  ASSERT_TRUE(listener_.wait_messages(1));
  EXPECT_NE(listener_.messages().at(0).message.header("Via")->find("z9hG4bKgood"),
            std::string::npos);
}

TEST_F(tcp_transport, queue_overflow_closes_the_connection) {
  auto settings = settings_for({transport_kind::tcp});
  settings.max_queued_bytes_per_connection = 1000;
  start_tcp(settings);
  stream_peer peer;
  ASSERT_TRUE(peer.connect(tcp_port()));
  peer.write(make_request("OPTIONS", "TCP", peer.local_port()));
  ASSERT_TRUE(listener_.wait_messages(1));
  manager_->send(listener_.messages().at(0).source, std::string(2000, 'x'));
  EXPECT_TRUE(peer.wait_closed());
  ASSERT_TRUE(listener_.wait_closed(1));
  const auto c = counters(transport_kind::tcp);
  EXPECT_EQ(c.queue_overflows, 1u);
  EXPECT_EQ(c.send_failures, 1u);
  EXPECT_EQ(c.bytes_out, 0u);
}

TEST_F(tcp_transport, connections_over_the_limit_are_turned_away) {
  auto settings = settings_for({transport_kind::tcp});
  settings.max_connections = 1;
  start_tcp(settings);
  stream_peer first;
  ASSERT_TRUE(first.connect(tcp_port()));
  first.write(make_request("OPTIONS", "TCP", first.local_port()));
  ASSERT_TRUE(listener_.wait_messages(1));
  stream_peer second;
  ASSERT_TRUE(second.connect(tcp_port()));
  EXPECT_TRUE(second.wait_closed());
  EXPECT_EQ(counters(transport_kind::tcp).connections_rejected, 1u);
  // The first connection is unaffected.
  first.write("\r\n\r\n");
  EXPECT_TRUE(first.read_until("\r\n"));
}

}  // namespace
}  // namespace callcenterd::sip::test
