#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include "test_certificate.hpp"
#include "transport_fixture.hpp"

namespace callcenterd::sip::test {
namespace {

using transport_start = transport_fixture;

TEST_F(transport_start, bound_reports_every_listener_with_its_port) {
  test_certificate certificate;
  auto settings = settings_for({transport_kind::udp, transport_kind::tcp, transport_kind::tls,
                                transport_kind::ws, transport_kind::wss});
  settings.tls.certificate_file = certificate.certificate_file();
  settings.tls.private_key_file = certificate.key_file();
  start(settings);
  const auto flows = manager_->bound();
  ASSERT_EQ(flows.size(), 5u);
  for (std::size_t i = 0; i < flows.size(); ++i) {
    EXPECT_EQ(flows[i].transport, settings.listen[i].transport);
    EXPECT_EQ(flows[i].local_address.to_string(), "127.0.0.1");
    EXPECT_NE(flows[i].local_port, 0);
  }
}

TEST_F(transport_start, port_in_use_names_the_endpoint_and_closes_the_rest) {
  boost::asio::io_context other;
  boost::asio::ip::tcp::acceptor taken(other, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto busy = taken.local_endpoint().port();
  auto settings = settings_for({transport_kind::udp, transport_kind::tcp});
  settings.listen.push_back({transport_kind::tcp, "127.0.0.1", busy});
  manager_.emplace(io_, settings, listener_);
  const auto ec = manager_->start();
  EXPECT_EQ(ec, boost::asio::error::address_in_use);
  EXPECT_EQ(manager_->last_error_detail(),
            "tcp 127.0.0.1:" + std::to_string(busy) + ": " + ec.message());
  EXPECT_TRUE(manager_->bound().empty());
  EXPECT_EQ(manager_->start(), boost::asio::error::already_started);
}

TEST_F(transport_start, bad_address_names_the_endpoint) {
  transport_settings settings;
  settings.listen.push_back({transport_kind::udp, "not-an-address", 5060});
  manager_.emplace(io_, settings, listener_);
  EXPECT_TRUE(manager_->start());
  EXPECT_EQ(manager_->last_error_detail().rfind("udp not-an-address:5060: ", 0), 0u);
}

TEST_F(transport_start, stop_closes_everything_and_run_returns) {
  start(settings_for({transport_kind::udp, transport_kind::tcp, transport_kind::ws}));
  stream_peer tcp_peer;
  ASSERT_TRUE(tcp_peer.connect(port(transport_kind::tcp)));
  tcp_peer.write(make_request("OPTIONS", "TCP", tcp_peer.local_port()));
  ws_peer ws(false);
  ASSERT_TRUE(ws.connect(port(transport_kind::ws), true));
  ASSERT_TRUE(listener_.wait_messages(1));
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::ws).connections_open == 1; }));

  ASSERT_TRUE(stop_and_join());
  EXPECT_TRUE(tcp_peer.wait_closed());
  EXPECT_TRUE(ws.wait_closed());
  EXPECT_EQ(listener_.closed().size(), 2u);
  EXPECT_EQ(counters(transport_kind::tcp).connections_open, 0u);
  EXPECT_EQ(counters(transport_kind::ws).connections_open, 0u);

  stream_peer late;
  EXPECT_FALSE(late.connect(port(transport_kind::tcp)));
  manager_->send(listener_.messages().at(0).source, "x");
  EXPECT_EQ(counters(transport_kind::tcp).send_failures, 1u);
  manager_->stop();  // idempotent
}

TEST_F(transport_start, stop_before_start_is_harmless) {
  manager_.emplace(io_, settings_for({transport_kind::udp}), listener_);
  manager_->stop();
  EXPECT_EQ(manager_->start(), boost::asio::error::operation_aborted);
}

}  // namespace
}  // namespace callcenterd::sip::test
