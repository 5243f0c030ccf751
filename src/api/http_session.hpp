#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "callcenterd/api/error.hpp"
#include "callcenterd/api/response.hpp"
#include "socket_deadline.hpp"

namespace callcenterd::api::detail {

class server_state;

// One HTTP connection: reads a request, lets the application answer it, writes the response,
// and repeats while keep-alive allows. Requests are answered strictly in arrival order, so
// pipelining needs no queue; there is never more than one write in flight. Everything runs on
// the socket's strand. Its life is its coroutine: the server's table holds only a weak_ptr.
class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<server_state> server);

  // Starts the connection's coroutine. Once, from the accept loop.
  void start();
  // The server is stopping: close now if idle, else after the current response. Any thread.
  void stop();

 private:
  enum class phase { idle, reading, handling, writing, closing };
  using request_parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  boost::asio::awaitable<void> run();
  // Waits for the first byte of the next request; false when the connection should close.
  boost::asio::awaitable<bool> wait_for_request();
  boost::asio::awaitable<boost::system::error_code> read_request(request_parser& parser);
  boost::asio::awaitable<response> respond(request req);
  boost::asio::awaitable<bool> write(response& res);

  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<server_state> server_;
  socket_deadline deadline_;
  boost::beast::flat_buffer buffer_;
  phase phase_ = phase::idle;
  bool stopping_ = false;
};

// What the read error `ec` means for the client: the error to answer with, or nothing when the
// connection should just close (the peer left, or the socket failed).
std::optional<error> classify_read_error(const boost::system::error_code& ec, bool timed_out);

// Shuts down our sending side, then discards what the peer still sends for up to `linger`, so
// that closing with unread bytes does not reset the connection before the peer reads our last
// response. Closes the socket.
boost::asio::awaitable<void> close_gracefully(boost::asio::ip::tcp::socket& socket,
                                              socket_deadline& deadline,
                                              std::chrono::steady_clock::duration linger);

// Answers a connection over max_connections with 503 and closes it. Runs on the socket's strand.
boost::asio::awaitable<void> turn_away(boost::asio::ip::tcp::socket socket,
                                       std::chrono::milliseconds timeout);

}  // namespace callcenterd::api::detail
