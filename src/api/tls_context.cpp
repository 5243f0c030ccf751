#include "tls_context.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <exception>
#include <system_error>

namespace callcenterd::api::detail {

namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites with forward secrecy and authenticated encryption (TLS 1.3 has only such).
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

tls_context_result failure(boost::system::error_code ec, std::string detail) {
  return {nullptr, ec, std::move(detail)};
}

tls_context_result make_context(const http_tls_settings& settings) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::no_compression);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1) {
    return failure(make_error_code(std::errc::not_supported),
                   "this OpenSSL offers none of the TLS 1.2 cipher suites we allow");
  }
  // Without a callback OpenSSL would ask for the passphrase of an encrypted key on the
  // terminal, and a daemon would wait there forever.
  context->set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });

  // The key first: a certificate that does not match it then shows as a mismatch below
  // rather than as a fault of either file.
  boost::system::error_code ec;
  const auto cert = settings.certificate_file.string();
  const auto key = settings.private_key_file.string();
  context->use_private_key_file(key, ssl::context::pem, ec);
  if (ec) {
    return failure(
        ec, fmt::format("cannot load the private key {} (expected an unencrypted PEM key): {}", key,
                        ec.message()));
  }
  context->use_certificate_chain_file(cert, ec);
  if (ec) {
    return failure(ec, fmt::format("cannot load the certificate {}: {}", cert, ec.message()));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return failure(make_error_code(std::errc::invalid_argument),
                   fmt::format("the private key {} does not match the certificate {}", key, cert));
  }
  return {std::move(context), {}, {}};
}

}  // namespace

tls_context_result blocking_make_tls_context(const http_tls_settings& settings) {
  try {
    return make_context(settings);
  } catch (const std::exception& e) {
    // Only allocation failures inside OpenSSL get here.
    return failure(make_error_code(std::errc::not_enough_memory),
                   fmt::format("cannot create a TLS context: {}", e.what()));
  }
}

}  // namespace callcenterd::api::detail
