#include "tls_contexts.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <exception>
#include <system_error>

namespace callcenterd::sip::transport_detail {
namespace {

namespace ssl = boost::asio::ssl;

tls_context_result failure(boost::system::error_code ec, std::string detail) {
  return {nullptr, ec, std::move(detail)};
}

std::unique_ptr<ssl::context> tls12_or_newer(ssl::context::method method) {
  auto context = std::make_unique<ssl::context>(method);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  return context;
}

// Loads the certificate chain and key into `context`; an empty result when both loaded.
tls_context_result load_identity(ssl::context& context, const tls_settings& settings) {
  boost::system::error_code ec;
  context.use_certificate_chain_file(settings.certificate_file, ec);
  if (ec) {
    return failure(
        ec, fmt::format("cannot load certificate {}: {}", settings.certificate_file, ec.message()));
  }
  context.use_private_key_file(settings.private_key_file, ssl::context::pem, ec);
  if (ec) {
    return failure(
        ec, fmt::format("cannot load private key {}: {}", settings.private_key_file, ec.message()));
  }
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return failure(make_error_code(std::errc::invalid_argument),
                   fmt::format("private key {} does not match certificate {}",
                               settings.private_key_file, settings.certificate_file));
  }
  return {};
}

tls_context_result guarded(const auto& build) {
  try {
    return build();
  } catch (const std::exception& e) {
    // Only allocation failures inside OpenSSL get here.
    return failure(make_error_code(std::errc::not_enough_memory),
                   fmt::format("cannot create a TLS context: {}", e.what()));
  }
}

}  // namespace

tls_context_result make_server_tls(const tls_settings& settings) {
  return guarded([&]() -> tls_context_result {
    if (settings.certificate_file.empty() || settings.private_key_file.empty()) {
      return failure(make_error_code(std::errc::invalid_argument),
                     "certificate_file and private_key_file are required");
    }
    auto context = tls12_or_newer(ssl::context::tls_server);
    if (auto loaded = load_identity(*context, settings); loaded.error) return loaded;
    return {std::move(context), {}, {}};
  });
}

tls_context_result make_client_tls(const tls_settings& settings) {
  return guarded([&]() -> tls_context_result {
    auto context = tls12_or_newer(ssl::context::tls_client);
    boost::system::error_code ec;
    if (settings.verify_peer) {
      if (settings.ca_file.empty()) {
        context->set_default_verify_paths(ec);
      } else {
        context->load_verify_file(settings.ca_file, ec);
      }
      if (ec) {
        return failure(ec, fmt::format("cannot load CA file {}: {}",
                                       settings.ca_file.empty() ? "(system)" : settings.ca_file,
                                       ec.message()));
      }
      context->set_verify_mode(ssl::verify_peer);
    } else {
      context->set_verify_mode(ssl::verify_none);
    }
    if (!settings.certificate_file.empty() && !settings.private_key_file.empty()) {
      if (auto loaded = load_identity(*context, settings); loaded.error) return loaded;
    }
    return {std::move(context), {}, {}};
  });
}

}  // namespace callcenterd::sip::transport_detail
