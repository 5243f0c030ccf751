#include "test_peers.hpp"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace callcenterd::sip::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;
using boost::system::error_code;

namespace {

const auto loopback = asio::ip::make_address("127.0.0.1");

}  // namespace

bool run_until(asio::io_context& io, const bool& done, std::chrono::steady_clock::duration timeout,
               const std::function<void()>& cancel) {
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    io.run_one_until(deadline);
  }
  if (done) return true;
  cancel();
  io.restart();
  io.run();
  return false;
}

udp_peer::udp_peer() : socket_(io_, udp::endpoint(loopback, 0)) {}

std::uint16_t udp_peer::port() const { return socket_.local_endpoint().port(); }

void udp_peer::send_to(std::uint16_t port, std::string_view bytes) {
  socket_.send_to(asio::buffer(bytes.data(), bytes.size()), udp::endpoint(loopback, port));
}

std::optional<std::string> udp_peer::receive(std::chrono::steady_clock::duration timeout) {
  std::array<char, 65536> data{};
  udp::endpoint from;
  bool done = false;
  error_code ec;
  std::size_t received = 0;
  socket_.async_receive_from(asio::buffer(data), from, [&](const error_code& e, std::size_t n) {
    ec = e;
    received = n;
    done = true;
  });
  if (!run_until(io_, done, timeout, [this] { socket_.cancel(); }) || ec) return std::nullopt;
  return std::string(data.data(), received);
}

stream_peer::stream_peer() : socket_(io_) {}

stream_peer::stream_peer(asio::ssl::context& tls) : socket_(io_) { tls_.emplace(io_, tls); }

tcp::socket& stream_peer::lowest() { return tls_ ? tls_->next_layer() : socket_; }

bool stream_peer::handshake(bool client) {
  if (!tls_) return true;
  bool done = false;
  error_code ec;
  tls_->async_handshake(client ? asio::ssl::stream_base::client : asio::ssl::stream_base::server,
                        [&](const error_code& e) {
                          ec = e;
                          done = true;
                        });
  return run_until(io_, done, wait_timeout, [this] { lowest().cancel(); }) && !ec;
}

bool stream_peer::connect(std::uint16_t port) {
  error_code ec;
  lowest().connect(tcp::endpoint(loopback, port), ec);
  return !ec && handshake(true);
}

std::uint16_t stream_peer::listen() {
  acceptor_.emplace(io_, tcp::endpoint(loopback, 0));
  return acceptor_->local_endpoint().port();
}

bool stream_peer::accept(std::chrono::steady_clock::duration timeout) {
  bool done = false;
  error_code ec;
  acceptor_->async_accept(lowest(), [&](const error_code& e) {
    ec = e;
    done = true;
  });
  if (!run_until(io_, done, timeout, [this] { acceptor_->cancel(); }) || ec) return false;
  return handshake(false);
}

void stream_peer::write(std::string_view bytes) {
  const auto buffer = asio::buffer(bytes.data(), bytes.size());
  if (tls_) {
    asio::write(*tls_, buffer);
  } else {
    asio::write(socket_, buffer);
  }
}

bool stream_peer::read_some(std::chrono::steady_clock::duration timeout, error_code& ec) {
  std::array<char, 4096> chunk{};
  bool done = false;
  std::size_t received = 0;
  auto handler = [&](const error_code& e, std::size_t n) {
    ec = e;
    received = n;
    done = true;
  };
  if (tls_) {
    tls_->async_read_some(asio::buffer(chunk), handler);
  } else {
    socket_.async_read_some(asio::buffer(chunk), handler);
  }
  if (!run_until(io_, done, timeout, [this] { lowest().cancel(); })) return false;
  buffer_.append(chunk.data(), received);
  return !ec;
}

std::optional<std::string> stream_peer::read_until(std::string_view needle,
                                                   std::chrono::steady_clock::duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto at = buffer_.find(needle); at != std::string::npos) {
      auto out = buffer_.substr(0, at + needle.size());
      buffer_.erase(0, at + needle.size());
      return out;
    }
    const auto left = deadline - std::chrono::steady_clock::now();
    error_code ec;
    if (left <= left.zero() || !read_some(left, ec)) return std::nullopt;
  }
}

bool stream_peer::wait_closed(std::chrono::steady_clock::duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= left.zero()) return false;
    error_code ec;
    if (read_some(left, ec)) continue;
    // A timeout leaves ec at operation_aborted; anything else means the other side is gone.
    return ec && ec != asio::error::operation_aborted;
  }
}

std::uint16_t stream_peer::local_port() const {
  return (tls_ ? tls_->next_layer() : socket_).local_endpoint().port();
}

void stream_peer::close() {
  error_code ignored;
  lowest().close(ignored);
}

ws_peer::ws_peer(bool secure) : tls_context_(asio::ssl::context::tls_client) {
  tls_context_.set_verify_mode(asio::ssl::verify_none);
  if (secure) {
    wss_.emplace(io_, tls_context_);
  } else {
    ws_.emplace(io_);
  }
}

ws_peer::~ws_peer() { close(); }

template <class F>
auto ws_peer::with_stream(F&& f) {
  return ws_ ? f(*ws_) : f(*wss_);
}

bool ws_peer::connect(std::uint16_t port, bool offer_sip) {
  return with_stream([&](auto& ws) {
    error_code ec;
    beast::get_lowest_layer(ws).connect(tcp::endpoint(loopback, port), ec);
    if (ec) return false;
    if constexpr (!std::is_same_v<std::decay_t<decltype(ws.next_layer())>, tcp::socket>) {
      ws.next_layer().handshake(asio::ssl::stream_base::client, ec);
      if (ec) return false;
    }
    if (offer_sip) {
      ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
        request.set(beast::http::field::sec_websocket_protocol, "sip");
      }));
    }
    bool done = false;
    ws.async_handshake(response_, "127.0.0.1", "/sip", [&](const error_code& e) {
      ec = e;
      done = true;
    });
    return run_until(io_, done, wait_timeout, [&] { beast::get_lowest_layer(ws).cancel(); }) && !ec;
  });
}

bool ws_peer::write(std::string_view text) {
  return with_stream([&](auto& ws) {
    error_code ec;
    ws.text(true);
    ws.write(asio::buffer(text.data(), text.size()), ec);
    return !ec;
  });
}

std::optional<std::string> ws_peer::read(bool* was_text,
                                         std::chrono::steady_clock::duration timeout) {
  return with_stream([&](auto& ws) -> std::optional<std::string> {
    beast::flat_buffer buffer;
    bool done = false;
    error_code ec;
    ws.async_read(buffer, [&](const error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(io_, done, timeout, [&] { beast::get_lowest_layer(ws).cancel(); }) || ec) {
      return std::nullopt;
    }
    if (was_text != nullptr) *was_text = ws.got_text();
    return beast::buffers_to_string(buffer.data());
  });
}

bool ws_peer::wait_closed(std::chrono::steady_clock::duration timeout) {
  return with_stream([&](auto& ws) {
    beast::flat_buffer buffer;
    bool done = false;
    error_code ec;
    ws.async_read(buffer, [&](const error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
    return run_until(io_, done, timeout, [&] { beast::get_lowest_layer(ws).cancel(); }) && ec &&
           ec != asio::error::operation_aborted;
  });
}

void ws_peer::close() {
  with_stream([](auto& ws) {
    error_code ignored;
    beast::get_lowest_layer(ws).close(ignored);
    return 0;
  });
}

}  // namespace callcenterd::sip::test
