#include "tls_test_client.hpp"

#include <array>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace callcenterd::api::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

tls_test_client::tls_test_client(std::uint16_t port, const std::filesystem::path& ca_file)
    : context_(asio::ssl::context::tls_client), stream_(io_, context_) {
  context_.load_verify_file(ca_file.string());
  context_.set_verify_mode(asio::ssl::verify_peer);
  stream_.set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port);
  handshake_error_ =
      run_guarded([&](auto done) { stream_.next_layer().async_connect(server, done); });
  if (!handshake_error_) {
    handshake_error_ = run_guarded(
        [&](auto done) { stream_.async_handshake(asio::ssl::stream_base::client, done); });
  }
}

template <typename Start>
boost::system::error_code tls_test_client::run_guarded(Start start) {
  std::optional<boost::system::error_code> result;
  start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
  io_.restart();
  io_.run_for(guard);
  if (!result) {
    boost::system::error_code ignored;
    stream_.next_layer().cancel(ignored);
    io_.restart();
    io_.run();
    return asio::error::timed_out;
  }
  return *result;
}

std::optional<client_response> tls_test_client::request(std::string_view target,
                                                        std::string_view method,
                                                        std::string_view extra_headers,
                                                        std::string_view body) {
  std::string text = raw_request(target, method, extra_headers);
  text.append(body);
  last_error_ =
      run_guarded([&](auto done) { asio::async_write(stream_, asio::buffer(text), done); });
  if (last_error_) return std::nullopt;
  http::response_parser<http::string_body> parser;
  parser.skip(method == "HEAD");
  last_error_ = run_guarded([&](auto done) { http::async_read(stream_, buffer_, parser, done); });
  if (last_error_) return std::nullopt;
  return parser.release();
}

bool tls_test_client::wait_closed_by_server() {
  std::array<char, 4096> chunk{};
  for (;;) {
    last_error_ =
        run_guarded([&](auto done) { stream_.async_read_some(asio::buffer(chunk), done); });
    if (last_error_ == asio::error::eof || last_error_ == asio::error::connection_reset ||
        last_error_ == asio::ssl::error::stream_truncated) {
      return true;
    }
    if (last_error_) return false;
  }
}

std::optional<std::string> tls_test_client::websocket_round_trip(std::string_view target,
                                                                 std::string_view text) {
  websocket::stream<boost::beast::ssl_stream<tcp::socket>&> ws(stream_);
  last_error_ = run_guarded([&](auto done) { ws.async_handshake("127.0.0.1", target, done); });
  if (last_error_) return std::nullopt;
  last_error_ = run_guarded([&](auto done) { ws.async_write(asio::buffer(text), done); });
  if (last_error_) return std::nullopt;
  boost::beast::flat_buffer received;
  last_error_ = run_guarded([&](auto done) { ws.async_read(received, done); });
  if (last_error_) return std::nullopt;
  return boost::beast::buffers_to_string(received.data());
}

}  // namespace callcenterd::api::test
