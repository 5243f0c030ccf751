#include "http_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <exception>
#include <utility>

#include "server_state.hpp"

namespace callcenterd::api::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto as_values = asio::as_tuple(asio::use_awaitable);

// Enough for a request line and a few headers; a bigger request makes the parser read more.
constexpr std::size_t first_read_size = 4096;
// A peer that keeps sending after we said goodbye gets cut off after this much.
constexpr std::size_t max_linger_bytes = std::size_t{1024} * 1024;
constexpr std::chrono::steady_clock::duration max_linger = std::chrono::seconds(2);

std::chrono::steady_clock::duration linger_for(const http_server_settings& settings) {
  return std::min<std::chrono::steady_clock::duration>(settings.request_timeout, max_linger);
}

// Fills in what the protocol decides rather than the handler: version, length, keep-alive.
void finish_response(response& res, unsigned version, bool head, bool keep_alive) {
  res.version(version);
  const unsigned status = res.result_int();
  if (status / 100 == 1 || status == 204 || status == 304) res.body().clear();
  if (head) {
    // The router has already recorded the GET body's length; a bare handler may not have.
    if (!res.has_content_length()) res.content_length(res.body().size());
    res.body().clear();
  } else {
    res.prepare_payload();
  }
  res.keep_alive(keep_alive);
}

bool expects_continue(const request& req) {
  return beast::iequals(req[http::field::expect], "100-continue");
}

constexpr bool is_tls(const tcp::socket&) { return false; }
constexpr bool is_tls(const tls_stream&) { return true; }

// Plain TCP has nothing to agree on.
asio::awaitable<boost::system::error_code> server_handshake(tcp::socket&) {
  co_return boost::system::error_code();
}

asio::awaitable<boost::system::error_code> server_handshake(tls_stream& stream) {
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, as_values);
  co_return ec;
}

template <class Stream>
asio::awaitable<void> turn_away_over(Stream stream, std::chrono::milliseconds timeout) {
  auto& socket = beast::get_lowest_layer(stream);
  socket_deadline deadline(socket);
  deadline.arm(timeout);
  auto handshaking = server_handshake(stream);
  if (const auto ec = co_await std::move(handshaking)) {
    deadline.disarm();
    boost::system::error_code ignored;
    socket.close(ignored);
    co_return;
  }
  response res = error_response(error::too_many_connections);
  res.set(http::field::retry_after, "1");
  finish_response(res, 11, false, false);
  co_await http::async_write(stream, res, as_values);
  deadline.disarm();
  co_await close_gracefully(stream, deadline,
                            std::min<std::chrono::steady_clock::duration>(timeout, max_linger));
}

}  // namespace

std::optional<error> classify_read_error(const boost::system::error_code& ec, bool timed_out) {
  if (timed_out) return error::request_timeout;
  if (ec == http::error::header_limit) return error::header_too_large;
  if (ec == http::error::body_limit) return error::body_too_large;
  // A peer that closes, cleanly or halfway through a request, is not waiting for an answer.
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return std::nullopt;
  if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
    return error::bad_request;
  }
  return std::nullopt;
}

template <class Stream>
http_session<Stream>::http_session(Stream stream, std::shared_ptr<server_state> server)
    : stream_(std::move(stream)),
      executor_(stream_.get_executor()),
      server_(std::move(server)),
      deadline_(beast::get_lowest_layer(stream_)) {}

template <class Stream>
void http_session<Stream>::start() {
  asio::co_spawn(executor_, run(),
                 [self = this->shared_from_this()](const std::exception_ptr& failure) {
                   if (failure) {
                     try {
                       std::rethrow_exception(failure);
                     } catch (const std::exception& e) {
                       spdlog::error("http: connection failed: {}", e.what());
                     } catch (...) {
                       spdlog::error("http: connection failed");
                     }
                   }
                   self->server_->remove_session(self.get());
                 });
}

template <class Stream>
void http_session<Stream>::stop() {
  asio::post(executor_, [self = this->shared_from_this()] {
    self->stopping_ = true;
    if (self->phase_ == phase::idle) {
      boost::system::error_code ignored;
      beast::get_lowest_layer(self->stream_).cancel(ignored);
    }
  });
}

template <class Stream>
asio::awaitable<void> http_session<Stream>::run() {
  const auto& settings = server_->settings();
  if (!co_await handshake()) {
    phase_ = phase::closing;
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).close(ignored);
    co_return;
  }
  for (;;) {
    // Bytes of a pipelined request may already be buffered; then there is no idle wait.
    if (buffer_.size() == 0 && !co_await wait_for_request()) break;

    phase_ = phase::reading;
    request_parser parser;
    parser.header_limit(settings.max_header_bytes);
    parser.body_limit(settings.max_body_bytes);
    if (const auto ec = co_await read_request(parser)) {
      if (const auto reason = classify_read_error(ec, deadline_.expired())) {
        server_->count_protocol_error(*reason);
        response res = error_response(*reason);
        finish_response(res, 11, false, false);
        co_await write(res);
      }
      break;
    }

    phase_ = phase::handling;
    if (server_->upgrade() && boost::beast::websocket::is_upgrade(parser.get()) && !stopping_) {
      // The connection becomes the upgrade handler's; this session ends without closing it.
      std::string client = client_address();
      phase_ = phase::handed_over;
      server_->upgrade()(client_stream(std::in_place_type<Stream>, std::move(stream_)),
                         parser.release(), std::move(client));
      co_return;
    }
    response res = co_await respond(parser.release());
    phase_ = phase::writing;
    if (!co_await write(res) || !res.keep_alive()) break;
  }
  phase_ = phase::closing;
  co_await close_gracefully(stream_, deadline_, linger_for(settings));
}

template <class Stream>
asio::awaitable<bool> http_session<Stream>::handshake() {
  if (!is_tls(stream_)) co_return true;
  // Nothing asked yet: a stopping server may cut the handshake short, as an idle wait.
  phase_ = phase::idle;
  if (stopping_) co_return false;
  deadline_.arm(server_->settings().request_timeout);
  auto handshaking = server_handshake(stream_);
  const auto ec = co_await std::move(handshaking);
  deadline_.disarm();
  if (!ec) co_return true;
  // A plain HTTP request, a scanner, a client that distrusts our certificate: its business.
  spdlog::debug("http: TLS handshake with {} failed: {}", client_address(),
                deadline_.expired() ? std::string("timed out") : ec.message());
  server_->count_tls_handshake_failure();
  co_return false;
}

template <class Stream>
asio::awaitable<bool> http_session<Stream>::wait_for_request() {
  phase_ = phase::idle;
  if (stopping_) co_return false;
  deadline_.arm(server_->settings().idle_timeout);
  auto [ec, received] =
      co_await stream_.async_read_some(buffer_.prepare(first_read_size), as_values);
  deadline_.disarm();
  if (ec) co_return false;  // idle timeout, server stop, peer gone: all just close
  buffer_.commit(received);
  co_return true;
}

template <class Stream>
asio::awaitable<boost::system::error_code> http_session<Stream>::read_request(
    request_parser& parser) {
  deadline_.arm(server_->settings().request_timeout);
  auto [ec, unused] = co_await http::async_read_header(stream_, buffer_, parser, as_values);
  if (!ec && expects_continue(parser.get()) && !parser.is_done()) {
    // The body limit was already checked against Content-Length; invite the body.
    http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
    std::tie(ec, unused) = co_await http::async_write(stream_, go_on, as_values);
  }
  if (!ec) std::tie(ec, unused) = co_await http::async_read(stream_, buffer_, parser, as_values);
  deadline_.disarm();
  co_return ec;
}

template <class Stream>
asio::awaitable<response> http_session<Stream>::respond(request req) {
  const unsigned version = req.version();
  const bool head = req.method() == http::verb::head;
  const bool keep_alive = req.keep_alive();
  // Made, then awaited: GCC 12 mishandles temporaries in a full expression that co_awaits.
  auto handling = server_->handle(std::move(req), client_address());
  response res = co_await std::move(handling);
  // A stop() while the handler ran turns this into the connection's last response.
  finish_response(res, version, head, keep_alive && !stopping_);
  co_return res;
}

template <class Stream>
asio::awaitable<bool> http_session<Stream>::write(response& res) {
  deadline_.arm(server_->settings().request_timeout);
  auto [ec, unused] = co_await http::async_write(stream_, res, as_values);
  deadline_.disarm();
  co_return !ec;
}

template <class Stream>
std::string http_session<Stream>::client_address() {
  boost::system::error_code ec;
  const auto peer = beast::get_lowest_layer(stream_).remote_endpoint(ec);
  return ec ? std::string() : peer.address().to_string();
}

template class http_session<tcp::socket>;
template class http_session<tls_stream>;

asio::awaitable<void> close_gracefully(tcp::socket& socket, socket_deadline& deadline,
                                       std::chrono::steady_clock::duration linger) {
  boost::system::error_code ec;
  socket.shutdown(tcp::socket::shutdown_send, ec);
  deadline.arm(linger);
  std::array<char, 4096> discard{};
  std::size_t discarded = 0;
  while (!ec && discarded < max_linger_bytes) {
    std::size_t received = 0;
    std::tie(ec, received) = co_await socket.async_read_some(asio::buffer(discard), as_values);
    discarded += received;
  }
  deadline.disarm();
  socket.close(ec);
}

asio::awaitable<void> close_gracefully(tls_stream& stream, socket_deadline& deadline,
                                       std::chrono::steady_clock::duration linger) {
  deadline.arm(linger);
  // Whether the peer answered with its own close_notify or just left, we close next.
  co_await stream.async_shutdown(as_values);
  deadline.disarm();
  boost::system::error_code ignored;
  stream.next_layer().close(ignored);
}

asio::awaitable<void> turn_away(tcp::socket socket, std::chrono::milliseconds timeout) {
  return turn_away_over(std::move(socket), timeout);
}

asio::awaitable<void> turn_away(tls_stream stream, std::chrono::milliseconds timeout) {
  return turn_away_over(std::move(stream), timeout);
}

}  // namespace callcenterd::api::detail
