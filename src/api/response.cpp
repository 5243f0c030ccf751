#include "callcenterd/api/response.hpp"

#include <boost/beast/http/field.hpp>
#include <utility>

namespace callcenterd::api {

std::string to_json_text(const nlohmann::json& value) {
  // Strings may carry client bytes; `replace` keeps dump() from throwing on invalid UTF-8.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

response text_response(http::status status, std::string body, std::string_view content_type) {
  response res{status, 11};
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response json_response(http::status status, const nlohmann::json& body) {
  return text_response(status, to_json_text(body), json_content_type);
}

response error_response(http::status status, std::string_view code, std::string_view message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace callcenterd::api
