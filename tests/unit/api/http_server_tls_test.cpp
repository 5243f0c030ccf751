// The HTTP server with TLS: HTTPS with keep-alive, handshakes that fail or stall closing only
// their own connection, the connection cap, the WebSocket hand-off of a TLS stream, and
// certificate files that cannot be used.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <string>
#include <thread>
#include <variant>

#include "callcenterd/api/http_server.hpp"
#include "server_fixture.hpp"
#include "test_client.hpp"
#include "tls_context.hpp"
#include "tls_identity.hpp"
#include "tls_test_client.hpp"

namespace callcenterd::api::test {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using namespace std::chrono_literals;

constexpr auto as_values = asio::as_tuple(asio::use_awaitable);

class http_server_tls_test : public server_fixture {
 protected:
  http_server_settings tls_settings() const {
    auto settings = short_settings();
    settings.tls = identity_.settings();
    return settings;
  }

  [[nodiscard]] bool metric_is(const std::string& sample) const {
    return metrics_.render().find(sample + "\n") != std::string::npos;
  }

  tls_identity identity_;
  // What echoing() saw: the index of the stream's kind in client_stream, -1 before.
  std::atomic<int> upgraded_kind_{-1};
};

// Accepts the WebSocket on a handed-over stream and sends the first message back.
template <class Stream>
asio::awaitable<void> echo_once(Stream stream, request upgrade) {
  websocket::stream<Stream> ws(std::move(stream));
  auto [accepted] = co_await ws.async_accept(upgrade, as_values);
  if (accepted) co_return;
  boost::beast::flat_buffer buffer;
  auto [read, unused] = co_await ws.async_read(buffer, as_values);
  if (read) co_return;
  co_await ws.async_write(buffer.data(), as_values);
}

// An upgrade handler that echoes once and records which kind of stream it was given.
upgrade_handler echoing(std::atomic<int>& kind) {
  return [&kind](client_stream stream, request upgrade, const std::string&) {
    kind = static_cast<int>(stream.index());
    std::visit(
        [&](auto& s) {
          const auto executor = s.get_executor();
          asio::co_spawn(executor, echo_once(std::move(s), std::move(upgrade)), asio::detached);
        },
        stream);
  };
}

TEST_F(http_server_tls_test, serves_https_with_keep_alive_and_the_socket_peer) {
  start_server(tls_settings());
  tls_test_client client(port(), identity_.certificate_file());
  ASSERT_TRUE(client.ready()) << client.handshake_error().message();
  for (int i = 0; i < 2; ++i) {
    const auto res = client.request("/hello");
    ASSERT_TRUE(res) << client.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok);
    EXPECT_EQ(res->body(), "hello");
    EXPECT_TRUE(res->keep_alive());
  }
  const auto who = client.request("/whoami");
  ASSERT_TRUE(who) << client.last_error().message();
  EXPECT_EQ(who->body(), "127.0.0.1");
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(http_server_tls_test, a_large_body_and_a_connection_close_work_over_tls) {
  auto settings = tls_settings();
  settings.max_body_bytes = std::uint64_t{256} * 1024;
  start_server(settings);
  tls_test_client client(port(), identity_.certificate_file());
  ASSERT_TRUE(client.ready()) << client.handshake_error().message();
  const std::string body(std::size_t{200} * 1024, 'x');
  const auto res = client.request(
      "/echo", "POST",
      "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n", body);
  ASSERT_TRUE(res) << client.last_error().message();
  EXPECT_EQ(res->body().size(), body.size());
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(client.wait_closed_by_server()) << client.last_error().message();
}

TEST_F(http_server_tls_test, plain_http_on_the_tls_port_is_dropped_and_others_are_served) {
  start_server(tls_settings());
  tls_test_client before(port(), identity_.certificate_file());
  ASSERT_TRUE(before.ready()) << before.handshake_error().message();

  test_client plain(port());
  ASSERT_TRUE(plain.connected());
  ASSERT_TRUE(plain.send(raw_request("/hello")));
  EXPECT_TRUE(plain.wait_closed_by_server()) << plain.last_error().message();

  const auto res = before.request("/hello");
  ASSERT_TRUE(res) << before.last_error().message();
  EXPECT_EQ(res->body(), "hello");
  tls_test_client after(port(), identity_.certificate_file());
  ASSERT_TRUE(after.ready()) << after.handshake_error().message();
  EXPECT_TRUE(after.request("/hello"));
  EXPECT_TRUE(metric_is("callcenterd_http_tls_handshake_failures_total 1")) << metrics_.render();
}

TEST_F(http_server_tls_test, a_garbage_client_hello_is_dropped) {
  start_server(tls_settings());
  test_client garbage(port());
  ASSERT_TRUE(garbage.connected());
  // A handshake record header claiming TLS 1.0, then bytes that are no ClientHello.
  std::string hello("\x16\x03\x01\x00\x40", 5);
  hello.append(64, '\xA5');
  ASSERT_TRUE(garbage.send(hello));
  EXPECT_TRUE(garbage.wait_closed_by_server()) << garbage.last_error().message();
  tls_test_client client(port(), identity_.certificate_file());
  ASSERT_TRUE(client.ready()) << client.handshake_error().message();
  EXPECT_TRUE(client.request("/hello"));
}

TEST_F(http_server_tls_test, a_handshake_that_stalls_is_closed_after_the_request_timeout) {
  start_server(tls_settings());  // request_timeout 200 ms, idle_timeout 5 s
  test_client silent(port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.wait_closed_by_server()) << silent.last_error().message();
  EXPECT_EQ(silent.bytes_before_close(), 0u);
}

TEST_F(http_server_tls_test, stop_cuts_a_pending_handshake_short) {
  auto settings = tls_settings();
  settings.request_timeout = 60s;  // longer than the drain guard
  start_server(settings);
  test_client silent(port());
  ASSERT_TRUE(silent.connected());
  for (int i = 0; i < 2000 && server_->connection_count() == 0; ++i) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(server_->connection_count(), 1u);
  EXPECT_TRUE(stop_and_wait_drained());
  EXPECT_TRUE(silent.wait_closed_by_server()) << silent.last_error().message();
}

TEST_F(http_server_tls_test, connections_over_the_maximum_get_503_over_tls) {
  auto settings = tls_settings();
  settings.max_connections = 1;
  start_server(settings);
  tls_test_client first(port(), identity_.certificate_file());
  ASSERT_TRUE(first.ready()) << first.handshake_error().message();
  ASSERT_TRUE(first.request("/hello"));
  tls_test_client second(port(), identity_.certificate_file());
  ASSERT_TRUE(second.ready()) << second.handshake_error().message();
  const auto res = second.request("/hello");
  ASSERT_TRUE(res) << second.last_error().message();
  EXPECT_EQ(res->result(), http::status::service_unavailable);
  EXPECT_EQ((*res)[http::field::retry_after], "1");
}

TEST_F(http_server_tls_test, a_websocket_upgrade_hands_over_the_tls_stream) {
  upgrade_ = echoing(upgraded_kind_);
  start_server(tls_settings());
  tls_test_client client(port(), identity_.certificate_file());
  ASSERT_TRUE(client.ready()) << client.handshake_error().message();
  const auto echoed = client.websocket_round_trip("/ws", "over tls");
  ASSERT_TRUE(echoed) << client.last_error().message();
  EXPECT_EQ(*echoed, "over tls");
  EXPECT_EQ(upgraded_kind_.load(), 1) << "the handler got a tls_stream";
  EXPECT_EQ(server_->connection_count(), 0u) << "the connection is the handler's now";
}

TEST_F(http_server_tls_test, a_websocket_upgrade_without_tls_hands_over_the_socket) {
  upgrade_ = echoing(upgraded_kind_);
  start_server();
  test_client client(port());
  ASSERT_TRUE(client.connected());
  const auto echoed = client.websocket_round_trip("/ws", "plain");
  ASSERT_TRUE(echoed) << client.last_error().message();
  EXPECT_EQ(*echoed, "plain");
  EXPECT_EQ(upgraded_kind_.load(), 0) << "the handler got a tcp::socket";
}

TEST_F(http_server_tls_test, start_fails_without_listening_when_the_files_are_unusable) {
  const auto garbage = identity_.write("garbage.pem", "not a certificate\n");
  const auto other_key = identity_.write_other_key("other-key.pem");
  const http_tls_settings cases[] = {
      {identity_.directory() / "missing.pem", identity_.private_key_file()},
      {identity_.certificate_file(), identity_.directory() / "missing-key.pem"},
      {garbage, identity_.private_key_file()},
      {identity_.certificate_file(), garbage},
      {identity_.certificate_file(), other_key},
  };
  for (const auto& files : cases) {
    auto settings = short_settings();
    settings.tls = files;
    http_server server(
        io_, settings,
        [](request, std::string) -> asio::awaitable<response> { co_return response{}; }, metrics_);
    EXPECT_TRUE(server.start()) << files.certificate_file << " " << files.private_key_file;
    EXPECT_EQ(server.port(), 0);
  }
}

TEST(tls_context, names_the_file_that_cannot_be_used) {
  const tls_identity identity;
  const auto missing = identity.directory() / "missing.pem";
  auto made = detail::blocking_make_tls_context({missing, identity.private_key_file()});
  EXPECT_TRUE(made.error);
  EXPECT_EQ(made.context, nullptr);
  EXPECT_NE(made.detail.find("cannot load the certificate " + missing.string() + ": "),
            std::string::npos)
      << made.detail;

  const auto garbage = identity.write("garbage.pem", "-----BEGIN PRIVATE KEY-----\nxx\n");
  made = detail::blocking_make_tls_context({identity.certificate_file(), garbage});
  EXPECT_TRUE(made.error);
  EXPECT_NE(made.detail.find("cannot load the private key " + garbage.string()), std::string::npos)
      << made.detail;

  // Refused at once: never a passphrase prompt on the terminal.
  const auto encrypted = identity.write_encrypted_key("encrypted-key.pem");
  made = detail::blocking_make_tls_context({identity.certificate_file(), encrypted});
  EXPECT_TRUE(made.error);
  EXPECT_NE(made.detail.find("cannot load the private key " + encrypted.string() +
                             " (expected an unencrypted PEM key): "),
            std::string::npos)
      << made.detail;

  const auto other_key = identity.write_other_key("other-key.pem");
  made = detail::blocking_make_tls_context({identity.certificate_file(), other_key});
  EXPECT_TRUE(made.error);
  EXPECT_EQ(made.detail, "the private key " + other_key.string() +
                             " does not match the certificate " +
                             identity.certificate_file().string());

  made = detail::blocking_make_tls_context(identity.settings());
  EXPECT_FALSE(made.error) << made.detail;
  ASSERT_NE(made.context, nullptr);
}

}  // namespace
}  // namespace callcenterd::api::test
