#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace callcenterd::sip {

/// Why an Authorization or WWW-Authenticate value could not be used. Parsing and answering
/// challenges never throw; these travel as boost::system::error_code values.
enum class auth_errc {
  not_digest = 1,         ///< the scheme is not Digest
  value_too_long,         ///< the header value or one parameter exceeds its length limit
  too_many_params,        ///< more auth-params than the parser keeps
  bad_syntax,             ///< not `Digest name=value, ...`
  duplicate_param,        ///< the same parameter name twice (names compare case-insensitively)
  missing_param,          ///< a parameter the message kind requires is absent
  bad_param_value,        ///< e.g. nc not eight hex digits, response not hex
  no_usable_challenge,    ///< no offered challenge uses an algorithm and qop we support
  no_credentials,         ///< the request carries no Digest credentials for our realm
  bad_client_credentials  ///< local username or password cannot be sent (control characters)
};

/// The category of auth_errc. Thread-safe; callable from any strand.
const boost::system::error_category& auth_category() noexcept;

/// Wraps an auth_errc in an error_code of auth_category(). Callable from any strand.
boost::system::error_code make_error_code(auth_errc e) noexcept;

}  // namespace callcenterd::sip

template <>
struct boost::system::is_error_code_enum<callcenterd::sip::auth_errc> : std::true_type {};
