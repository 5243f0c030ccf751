#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace callcenterd::sip::test {

// How long a test waits for something that should happen promptly. Generous: the machine
// may be loaded and sanitizers slow everything down; a passing test never waits this long.
inline constexpr std::chrono::steady_clock::duration wait_timeout = std::chrono::seconds(10);

// Runs `io` until `done` is set or `timeout` passes; on timeout calls `cancel` and lets the
// cancelled operation finish. True when done in time.
bool run_until(boost::asio::io_context& io, const bool& done,
               std::chrono::steady_clock::duration timeout, const std::function<void()>& cancel);

// A UDP socket on 127.0.0.1 with its own io_context; every receive has a deadline.
class udp_peer {
 public:
  udp_peer();
  [[nodiscard]] std::uint16_t port() const;
  void send_to(std::uint16_t port, std::string_view bytes);
  std::optional<std::string> receive(std::chrono::steady_clock::duration timeout = wait_timeout);

 private:
  boost::asio::io_context io_;
  boost::asio::ip::udp::socket socket_;
};

// A TCP or TLS peer on 127.0.0.1: a client that connects, or a server that accepts one
// connection. Reads have deadlines; writes are small and synchronous.
class stream_peer {
 public:
  stream_peer();
  // A TLS peer; the context decides the role (client or server).
  explicit stream_peer(boost::asio::ssl::context& tls);

  bool connect(std::uint16_t port);
  // Listens on 127.0.0.1 with an ephemeral port; accept() takes one connection.
  std::uint16_t listen();
  bool accept(std::chrono::steady_clock::duration timeout = wait_timeout);

  void write(std::string_view bytes);
  // Reads until the buffered bytes contain `needle`; returns (and consumes) them up to and
  // including it.
  std::optional<std::string> read_until(std::string_view needle,
                                        std::chrono::steady_clock::duration timeout = wait_timeout);
  // A header block: everything up to the empty line (our replies carry no body).
  std::optional<std::string> read_message() { return read_until("\r\n\r\n"); }
  // True when the other side closed (end of stream or reset) within the timeout.
  bool wait_closed(std::chrono::steady_clock::duration timeout = wait_timeout);
  [[nodiscard]] std::uint16_t local_port() const;
  void close();

 private:
  boost::asio::ip::tcp::socket& lowest();
  bool handshake(bool client);
  // One read into buffer_; false on error or timeout.
  bool read_some(std::chrono::steady_clock::duration timeout, boost::system::error_code& ec);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::string buffer_;
};

// A WebSocket client (WS, or WSS with a context that trusts anything).
class ws_peer {
 public:
  explicit ws_peer(bool secure);
  ~ws_peer();

  // Connects and performs the upgrade, offering the `sip` subprotocol when `offer_sip`.
  // False when the upgrade failed; response() then holds what the server answered.
  bool connect(std::uint16_t port, bool offer_sip);
  [[nodiscard]] const boost::beast::websocket::response_type& response() const { return response_; }
  bool write(std::string_view text);
  // The next message; `was_text` tells whether it was a text message.
  std::optional<std::string> read(bool* was_text = nullptr,
                                  std::chrono::steady_clock::duration timeout = wait_timeout);
  bool wait_closed(std::chrono::steady_clock::duration timeout = wait_timeout);
  void close();

 private:
  template <class F>
  auto with_stream(F&& f);

  boost::asio::io_context io_;
  boost::asio::ssl::context tls_context_;
  std::optional<boost::beast::websocket::stream<boost::asio::ip::tcp::socket>> ws_;
  std::optional<
      boost::beast::websocket::stream<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>>>
      wss_;
  boost::beast::websocket::response_type response_;
};

}  // namespace callcenterd::sip::test
