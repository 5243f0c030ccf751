#include <gtest/gtest.h>

#include <boost/asio/ssl/context.hpp>

#include "test_certificate.hpp"
#include "transport_fixture.hpp"

namespace callcenterd::sip::test {
namespace {

namespace ssl = boost::asio::ssl;

class tls_transport : public transport_fixture {
 protected:
  transport_settings tls_settings_for(std::initializer_list<transport_kind> kinds) {
    auto settings = settings_for(kinds);
    settings.tls.certificate_file = certificate_.certificate_file();
    settings.tls.private_key_file = certificate_.key_file();
    return settings;
  }

  static ssl::context trusting_client() {
    ssl::context context(ssl::context::tls_client);
    context.set_verify_mode(ssl::verify_none);
    return context;
  }

  flow tls_flow(std::uint16_t port) {
    flow destination;
    destination.transport = transport_kind::tls;
    destination.remote_address = boost::asio::ip::make_address("127.0.0.1");
    destination.remote_port = port;
    return destination;
  }

  test_certificate certificate_;
};

TEST_F(tls_transport, round_trip_over_an_accepted_connection) {
  start(tls_settings_for({transport_kind::tls}));
  auto client_context = trusting_client();
  stream_peer peer(client_context);
  ASSERT_TRUE(peer.connect(port(transport_kind::tls)));
  peer.write(make_request("OPTIONS", "TLS", peer.local_port()));
  ASSERT_TRUE(listener_.wait_messages(1));
  const auto got = listener_.messages().at(0);
  EXPECT_EQ(got.source.transport, transport_kind::tls);
  EXPECT_NE(got.source.connection_id, 0u);
  manager_->send(got.source, make_response("TLS", peer.local_port()));
  const auto reply = peer.read_message();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->substr(0, 15), "SIP/2.0 200 OK\r");
}

TEST_F(tls_transport, old_protocol_versions_are_refused) {
  start(tls_settings_for({transport_kind::tls}));
  auto client_context = trusting_client();
  SSL_CTX_set_security_level(client_context.native_handle(), 0);
  SSL_CTX_set_min_proto_version(client_context.native_handle(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(client_context.native_handle(), TLS1_1_VERSION);
  stream_peer peer(client_context);
  EXPECT_FALSE(peer.connect(port(transport_kind::tls)));
  ASSERT_TRUE(listener_.wait_closed(1));
}

TEST_F(tls_transport, outbound_connection_verifies_the_peer) {
  auto settings = tls_settings_for({transport_kind::tls});
  settings.tls.ca_file = certificate_.certificate_file();
  settings.tls.verify_peer = true;
  start(settings);

  ssl::context server_context(ssl::context::tls_server);
  server_context.use_certificate_chain_file(certificate_.certificate_file());
  server_context.use_private_key_file(certificate_.key_file(), ssl::context::pem);
  stream_peer server(server_context);
  const auto server_port = server.listen();
  manager_->send(tls_flow(server_port), make_request("OPTIONS", "TLS", port(transport_kind::tls)));
  ASSERT_TRUE(server.accept());
  const auto request = server.read_message();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->find("OPTIONS sip:"), 0u);
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::tls).connections_opened == 1; }));
}

TEST_F(tls_transport, outbound_connection_to_an_untrusted_peer_fails) {
  test_certificate other_ca;
  auto settings = tls_settings_for({transport_kind::tls});
  settings.tls.ca_file = other_ca.certificate_file();
  settings.tls.verify_peer = true;
  start(settings);

  ssl::context server_context(ssl::context::tls_server);
  server_context.use_certificate_chain_file(certificate_.certificate_file());
  server_context.use_private_key_file(certificate_.key_file(), ssl::context::pem);
  stream_peer server(server_context);
  const auto server_port = server.listen();
  manager_->send(tls_flow(server_port), make_request("OPTIONS", "TLS", port(transport_kind::tls)));
  EXPECT_FALSE(server.accept());  // the handshake fails on our side
  ASSERT_TRUE(listener_.wait_closed(1));
  EXPECT_TRUE(eventually([&] { return counters(transport_kind::tls).send_failures == 1; }));
  EXPECT_EQ(counters(transport_kind::tls).connections_opened, 0u);
}

TEST_F(tls_transport, missing_certificate_fails_start_with_the_path) {
  auto settings = settings_for({transport_kind::udp, transport_kind::tls});
  settings.tls.certificate_file = "/nonexistent/cert.pem";
  settings.tls.private_key_file = certificate_.key_file();
  manager_.emplace(io_, settings, listener_);
  EXPECT_TRUE(manager_->start());
  EXPECT_EQ(manager_->last_error_detail().rfind(
                "tls: cannot load certificate /nonexistent/cert.pem: ", 0),
            0u)
      << manager_->last_error_detail();
  EXPECT_TRUE(manager_->bound().empty());
}

TEST_F(tls_transport, mismatched_key_fails_start) {
  test_certificate other;
  auto settings = tls_settings_for({transport_kind::wss});
  settings.tls.private_key_file = other.key_file();
  manager_.emplace(io_, settings, listener_);
  EXPECT_TRUE(manager_->start());
  EXPECT_EQ(manager_->last_error_detail().rfind("wss: ", 0), 0u) << manager_->last_error_detail();
}

}  // namespace
}  // namespace callcenterd::sip::test
