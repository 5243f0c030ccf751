#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <string>
#include <vector>

#include "callcenterd/sip/header_values.hpp"
#include "transport_fixture.hpp"

namespace callcenterd::sip::test {
namespace {

class udp_transport : public transport_fixture {
 protected:
  void SetUp() override { start(settings_for({transport_kind::udp})); }
};

TEST_F(udp_transport, round_trip) {
  udp_peer peer;
  peer.send_to(port(transport_kind::udp), make_request("OPTIONS", "UDP", peer.port()));
  ASSERT_TRUE(listener_.wait_messages(1));
  const auto got = listener_.messages().at(0);
  EXPECT_EQ(got.message.method(), "OPTIONS");
  EXPECT_EQ(got.source.transport, transport_kind::udp);
  EXPECT_EQ(got.source.remote_address.to_string(), "127.0.0.1");
  EXPECT_EQ(got.source.remote_port, peer.port());
  EXPECT_EQ(got.source.local_port, port(transport_kind::udp));
  EXPECT_EQ(got.source.connection_id, 0u);

  manager_->send(got.source, make_response("UDP", peer.port()));
  const auto reply = peer.receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->substr(0, 15), "SIP/2.0 200 OK\r");
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::udp).messages_out == 1; }));
  EXPECT_EQ(counters(transport_kind::udp).messages_in, 1u);
}

TEST_F(udp_transport, rport_is_filled_and_received_added) {
  udp_peer peer;
  peer.send_to(port(transport_kind::udp), make_request("OPTIONS", "UDP", 5070));
  ASSERT_TRUE(listener_.wait_messages(1));
  auto top = parse_via(listener_.messages().at(0).message.header_values("Via").at(0));
  ASSERT_TRUE(top);
  EXPECT_EQ(find_param(top->params, "rport"), std::to_string(peer.port()));
  EXPECT_EQ(find_param(top->params, "received"), "127.0.0.1");
}

TEST_F(udp_transport, keep_alive_is_ignored) {
  udp_peer peer;
  peer.send_to(port(transport_kind::udp), "\r\n\r\n");
  peer.send_to(port(transport_kind::udp), make_request("OPTIONS", "UDP", peer.port()));
  ASSERT_TRUE(listener_.wait_messages(1));
  // Datagrams from one peer are read in order, so the keep-alive was seen first.
  EXPECT_EQ(counters(transport_kind::udp).keep_alives_in, 1u);
  EXPECT_EQ(listener_.messages().size(), 1u);
  EXPECT_EQ(counters(transport_kind::udp).malformed, 0u);
}

TEST_F(udp_transport, one_senders_datagrams_reach_the_listener_in_order) {
  // Two io threads parse; a sender's datagrams must still arrive in the order sent (a
  // phone's 183 before its 200). A burst makes a reordering likely if it can happen.
  udp_peer peer;
  constexpr int burst = 300;
  for (int i = 0; i < burst; ++i) {
    peer.send_to(port(transport_kind::udp),
                 make_request("OPTIONS", "UDP", peer.port(), "z9hG4bK" + std::to_string(i)));
  }
  ASSERT_TRUE(listener_.wait_messages(burst));
  const auto got = listener_.messages();
  for (int i = 0; i < burst; ++i) {
    const auto via =
        parse_via(got.at(static_cast<std::size_t>(i)).message.header_values("Via").at(0));
    ASSERT_TRUE(via);
    ASSERT_EQ(find_param(via->params, "branch"), "z9hG4bK" + std::to_string(i)) << "at " << i;
  }
}

TEST_F(udp_transport, malformed_request_gets_400_back) {
  udp_peer peer;
  auto request = make_request("INVITE", "UDP", peer.port());
  request.replace(request.find("Content-Length: 0"), 17, "Content-Length: x");
  peer.send_to(port(transport_kind::udp), request);
  const auto reply = peer.receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->substr(0, 12), "SIP/2.0 400 ");
  EXPECT_NE(reply->find("received=127.0.0.1"), std::string::npos);
  EXPECT_NE(reply->find("CSeq: 1 INVITE\r\n"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::udp).messages_out == 1; }));
  const auto c = counters(transport_kind::udp);
  EXPECT_EQ(c.malformed, 1u);
  EXPECT_EQ(c.error_replies, 1u);
  EXPECT_TRUE(listener_.messages().empty());
}

TEST_F(udp_transport, unroutable_garbage_is_dropped_and_counted) {
  udp_peer peer;
  peer.send_to(port(transport_kind::udp), "\x16\x03\x01 not sip at all\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return counters(transport_kind::udp).malformed == 1; }));
  EXPECT_EQ(counters(transport_kind::udp).error_replies, 0u);
  // The counter already says no reply was made; this only confirms nothing is on the wire.
  EXPECT_FALSE(peer.receive(std::chrono::milliseconds(100)));
}

TEST_F(udp_transport, send_picks_the_socket_by_family_when_local_is_unknown) {
  udp_peer peer;
  flow destination;
  destination.transport = transport_kind::udp;
  destination.remote_address = boost::asio::ip::make_address("127.0.0.1");
  destination.remote_port = peer.port();
  manager_->send(destination, make_response("UDP", peer.port()));
  ASSERT_TRUE(peer.receive());
}

TEST_F(udp_transport, send_to_nowhere_is_counted) {
  flow destination;
  destination.transport = transport_kind::udp;
  manager_->send(destination, "x");
  EXPECT_EQ(counters(transport_kind::udp).send_failures, 1u);
}

// Keeps every record's text. Installed as the default logger before the io threads have work
// and restored after they have returned, so no thread ever logs to a logger being replaced.
class capturing_sink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> records() {
    std::lock_guard lock(mutex_);
    return records_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    records_.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string> records_;
};

class traced_udp_transport : public transport_fixture {
 protected:
  traced_udp_transport() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("capture", sink_);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~traced_udp_transport() override {
    stop_and_join();
    spdlog::set_default_logger(previous_);
  }

  bool logged(const std::string& text) {
    for (const auto& record : sink_->records()) {
      if (record.find(text) != std::string::npos) return true;
    }
    return false;
  }

  std::shared_ptr<capturing_sink> sink_ = std::make_shared<capturing_sink>();
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(traced_udp_transport, trace_logs_summaries_and_whole_messages) {
  auto settings = settings_for({transport_kind::udp});
  settings.trace_messages = true;
  start(settings);
  udp_peer peer;
  const auto request = make_request("OPTIONS", "UDP", peer.port());
  peer.send_to(port(transport_kind::udp), request);
  ASSERT_TRUE(listener_.wait_messages(1));
  const auto source = listener_.messages().at(0).source;
  EXPECT_TRUE(logged("sip: in udp 127.0.0.1:" + std::to_string(peer.port()) +
                     ": OPTIONS sip:agent@127.0.0.1 SIP/2.0 (" + std::to_string(request.size()) +
                     " bytes)"));
  EXPECT_TRUE(logged(request));
  manager_->send(source, make_response("UDP", peer.port()));
  EXPECT_TRUE(
      logged("sip: out udp 127.0.0.1:" + std::to_string(peer.port()) + ": SIP/2.0 200 OK ("));
}

TEST_F(traced_udp_transport, nothing_is_traced_unless_asked) {
  start(settings_for({transport_kind::udp}));
  udp_peer peer;
  peer.send_to(port(transport_kind::udp), make_request("OPTIONS", "UDP", peer.port()));
  ASSERT_TRUE(listener_.wait_messages(1));
  manager_->send(listener_.messages().at(0).source, make_response("UDP", peer.port()));
  ASSERT_TRUE(peer.receive());
  EXPECT_FALSE(logged("OPTIONS sip:"));
  EXPECT_FALSE(logged("SIP/2.0 200 OK"));
}

}  // namespace
}  // namespace callcenterd::sip::test
