#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <variant>

namespace callcenterd::api {

/// A TLS connection of the HTTP server (http_server_settings::tls), its handshake done.
using tls_stream = boost::beast::ssl_stream<boost::asio::ip::tcp::socket>;

/// One client's connection as the HTTP server hands it over (on_upgrade): plain TCP, or TLS
/// when the server has a certificate. Its executor is the connection's strand; whoever holds
/// it uses it from that strand only.
using client_stream = std::variant<boost::asio::ip::tcp::socket, tls_stream>;

}  // namespace callcenterd::api
