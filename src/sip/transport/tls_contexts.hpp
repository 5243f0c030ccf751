#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

#include "callcenterd/sip/transport_manager.hpp"

namespace callcenterd::sip::transport_detail {

// A TLS context, or why it could not be made ("cannot load certificate /x: ...").
struct tls_context_result {
  std::unique_ptr<boost::asio::ssl::context> context;
  boost::system::error_code error;
  std::string detail;
};

// The context TLS and WSS listeners share: TLS 1.2 or newer, the configured certificate
// chain and private key (which must match). Start-up only.
tls_context_result make_server_tls(const tls_settings& settings);

// The context outbound TLS connections share: TLS 1.2 or newer; peer verification against
// ca_file (or the system store) when verify_peer; the certificate as a client certificate
// when one is configured. Start-up only.
tls_context_result make_client_tls(const tls_settings& settings);

}  // namespace callcenterd::sip::transport_detail
