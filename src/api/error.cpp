#include "callcenterd/api/error.hpp"

#include <string>

namespace callcenterd::api {

namespace {

class api_category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.api"; }

  std::string message(int value) const override {
    switch (static_cast<error>(value)) {
      case error::bad_request:
        return "The request is not valid HTTP.";
      case error::not_found:
        return "No resource at this path.";
      case error::method_not_allowed:
        return "This resource does not support the method.";
      case error::request_timeout:
        return "The request did not arrive in time.";
      case error::body_too_large:
        return "The request body is too large.";
      case error::header_too_large:
        return "The request header is too large.";
      case error::internal_error:
        return "The server failed to process the request.";
      case error::too_many_connections:
        return "The server has too many open connections; try again later.";
    }
    return "Unknown api error.";
  }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
  static const api_category category;
  return category;
}

http::status status_of(error e) noexcept {
  switch (e) {
    case error::bad_request:
      return http::status::bad_request;
    case error::not_found:
      return http::status::not_found;
    case error::method_not_allowed:
      return http::status::method_not_allowed;
    case error::request_timeout:
      return http::status::request_timeout;
    case error::body_too_large:
      return http::status::payload_too_large;
    case error::header_too_large:
      return http::status::request_header_fields_too_large;
    case error::internal_error:
      return http::status::internal_server_error;
    case error::too_many_connections:
      return http::status::service_unavailable;
  }
  return http::status::internal_server_error;
}

std::string_view code_of(error e) noexcept {
  switch (e) {
    case error::bad_request:
      return "bad_request";
    case error::not_found:
      return "not_found";
    case error::method_not_allowed:
      return "method_not_allowed";
    case error::request_timeout:
      return "request_timeout";
    case error::body_too_large:
      return "body_too_large";
    case error::header_too_large:
      return "header_too_large";
    case error::internal_error:
      return "internal_error";
    case error::too_many_connections:
      return "too_many_connections";
  }
  return "internal_error";
}

response error_response(error e, std::string_view message) {
  const std::string text = message.empty() ? make_error_code(e).message() : std::string(message);
  return error_response(status_of(e), code_of(e), text);
}

}  // namespace callcenterd::api
