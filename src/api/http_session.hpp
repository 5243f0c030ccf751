#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "callcenterd/api/client_stream.hpp"
#include "callcenterd/api/error.hpp"
#include "callcenterd/api/response.hpp"
#include "socket_deadline.hpp"

namespace callcenterd::api::detail {

class server_state;

// What the server's table knows of a connection, whatever its stream.
class http_connection {
 public:
  virtual ~http_connection() = default;
  // Starts the connection's coroutine. Once, from the accept loop.
  virtual void start() = 0;
  // The server is stopping: close now if idle, else after the current response. Any thread.
  virtual void stop() = 0;
};

// One HTTP connection over `Stream` (tcp::socket, or tls_stream whose handshake it does
// first): reads a request, lets the application answer it, writes the response, and repeats
// while keep-alive allows. Requests are answered strictly in arrival order, so pipelining
// needs no queue; there is never more than one write in flight. Everything runs on the
// connection's strand. Its life is its coroutine: the server's table holds only a weak_ptr.
template <class Stream>
class http_session final : public http_connection,
                           public std::enable_shared_from_this<http_session<Stream>> {
 public:
  http_session(Stream stream, std::shared_ptr<server_state> server);

  void start() override;
  void stop() override;

 private:
  // handed_over: the stream belongs to the upgrade handler now.
  enum class phase { idle, reading, handling, writing, closing, handed_over };
  using request_parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  boost::asio::awaitable<void> run();
  // The TLS handshake, within the request timeout; true at once for plain TCP. False when it
  // failed, and the connection should just close.
  boost::asio::awaitable<bool> handshake();
  // Waits for the first byte of the next request; false when the connection should close.
  boost::asio::awaitable<bool> wait_for_request();
  boost::asio::awaitable<boost::system::error_code> read_request(request_parser& parser);
  boost::asio::awaitable<response> respond(request req);
  boost::asio::awaitable<bool> write(response& res);
  [[nodiscard]] std::string client_address();

  Stream stream_;
  // The strand, kept apart from stream_, which is empty once handed over.
  boost::asio::any_io_executor executor_;
  std::shared_ptr<server_state> server_;
  socket_deadline deadline_;
  boost::beast::flat_buffer buffer_;
  phase phase_ = phase::idle;
  bool stopping_ = false;
};

extern template class http_session<boost::asio::ip::tcp::socket>;
extern template class http_session<tls_stream>;

// What the read error `ec` means for the client: the error to answer with, or nothing when the
// connection should just close (the peer left, or the socket failed).
std::optional<error> classify_read_error(const boost::system::error_code& ec, bool timed_out);

// Shuts down our sending side, then discards what the peer still sends for up to `linger`, so
// that closing with unread bytes does not reset the connection before the peer reads our last
// response. Closes the socket.
boost::asio::awaitable<void> close_gracefully(boost::asio::ip::tcp::socket& socket,
                                              socket_deadline& deadline,
                                              std::chrono::steady_clock::duration linger);
// TLS: sends close_notify and waits up to `linger` for the peer's, then closes the socket.
boost::asio::awaitable<void> close_gracefully(tls_stream& stream, socket_deadline& deadline,
                                              std::chrono::steady_clock::duration linger);

// Answers a connection over max_connections with 503 and closes it (after the TLS handshake,
// for TLS; all within `timeout`). Runs on the stream's strand.
boost::asio::awaitable<void> turn_away(boost::asio::ip::tcp::socket socket,
                                       std::chrono::milliseconds timeout);
boost::asio::awaitable<void> turn_away(tls_stream stream, std::chrono::milliseconds timeout);

}  // namespace callcenterd::api::detail
