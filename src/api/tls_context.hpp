#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

#include "callcenterd/api/http_server.hpp"

namespace callcenterd::api::detail {

// The server's TLS context, or why it could not be made, naming the file
// ("cannot load the private key /etc/cc/key.pem: ...").
struct tls_context_result {
  std::unique_ptr<boost::asio::ssl::context> context;
  boost::system::error_code error;
  std::string detail;
};

// A server context for HTTPS and WSS: TLS 1.2 or newer, forward-secret AEAD cipher suites only
// for TLS 1.2, no compression or renegotiation, the certificate chain and key of `settings`
// (which must match). Encrypted keys are refused rather than prompted for. Blocking: reads
// the files.
tls_context_result blocking_make_tls_context(const http_tls_settings& settings);

}  // namespace callcenterd::api::detail
