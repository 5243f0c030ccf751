#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace callcenterd::api {

namespace http = boost::beast::http;

/// A complete HTTP request as read from a connection (headers and body in memory).
using request = http::request<http::string_body>;
/// A complete HTTP response. The server fills in Content-Length, Connection and the version.
using response = http::response<http::string_body>;

/// Content-Type of every JSON body the api sends.
inline constexpr std::string_view json_content_type = "application/json";

/// Serialises `value` without throwing: invalid UTF-8 in strings is replaced, not reported.
/// Pure function; callable from any strand.
std::string to_json_text(const nlohmann::json& value);

/// A response with `body` serialised as JSON. Pure function; callable from any strand.
response json_response(http::status status, const nlohmann::json& body);

/// A response with a text body of the given Content-Type. Pure function; any strand.
response text_response(http::status status, std::string body, std::string_view content_type);

/// The api's error shape: {"error": {"code": "<code>", "message": "<message>"}} as JSON.
/// `code` is snake_case and stable (clients branch on it); `message` is for humans.
/// Pure function; callable from any strand.
response error_response(http::status status, std::string_view code, std::string_view message);

}  // namespace callcenterd::api
