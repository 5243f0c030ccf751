#pragma once

#include <boost/system/error_code.hpp>
#include <string_view>
#include <type_traits>

#include "callcenterd/api/response.hpp"

namespace callcenterd::api {

/// Why the api refused or failed a request. Each value has a fixed HTTP status and a stable
/// snake_case code that appears in JSON error bodies.
enum class error {
  bad_request = 1,       ///< 400: the bytes are not an HTTP request we understand
  not_found,             ///< 404: no route for the path
  method_not_allowed,    ///< 405: a route exists but not for this method
  request_timeout,       ///< 408: the request did not arrive in time
  body_too_large,        ///< 413: the body is over max_body_bytes
  header_too_large,      ///< 431: the header is over max_header_bytes
  internal_error,        ///< 500: a handler failed
  too_many_connections,  ///< 503: max_connections reached
};

/// The category of api::error codes. Thread-safe; any strand.
const boost::system::error_category& error_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// The HTTP status that goes with `e`. Pure function; any strand.
http::status status_of(error e) noexcept;

/// The snake_case code of `e` as it appears in JSON bodies, e.g. "body_too_large".
std::string_view code_of(error e) noexcept;

/// The JSON error response for `e`; an empty `message` takes the category's text.
response error_response(error e, std::string_view message = {});

}  // namespace callcenterd::api

template <>
struct boost::system::is_error_code_enum<callcenterd::api::error> : std::true_type {};
