#include "callcenterd/api/error.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace callcenterd::api {
namespace {

TEST(api_error, every_error_has_a_status_a_code_and_a_message) {
  const std::set<std::string> expected_codes{
      "bad_request",    "not_found",        "method_not_allowed", "request_timeout",
      "body_too_large", "header_too_large", "internal_error",     "too_many_connections"};
  std::set<std::string> codes;
  for (int value = static_cast<int>(error::bad_request);
       value <= static_cast<int>(error::too_many_connections); ++value) {
    const auto e = static_cast<error>(value);
    codes.emplace(code_of(e));
    const boost::system::error_code ec = e;  // implicit through is_error_code_enum
    EXPECT_EQ(&ec.category(), &error_category());
    EXPECT_NE(ec.message(), "Unknown api error.");
  }
  EXPECT_EQ(codes, expected_codes);
  EXPECT_EQ(status_of(error::body_too_large), http::status::payload_too_large);
  EXPECT_EQ(status_of(error::header_too_large), http::status::request_header_fields_too_large);
  EXPECT_EQ(status_of(error::too_many_connections), http::status::service_unavailable);
  EXPECT_STREQ(error_category().name(), "callcenterd.api");
}

TEST(api_error, error_response_has_the_documented_json_shape) {
  const response res = error_response(error::not_found, "No agent 7.");
  EXPECT_EQ(res.result(), http::status::not_found);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));
  EXPECT_EQ(nlohmann::json::parse(res.body()),
            (nlohmann::json{{"error", {{"code", "not_found"}, {"message", "No agent 7."}}}}));
  const auto defaulted = nlohmann::json::parse(error_response(error::internal_error).body());
  EXPECT_EQ(defaulted["error"]["message"], "The server failed to process the request.");
}

TEST(api_response, json_text_survives_invalid_utf8) {
  const nlohmann::json value{{"name", std::string("bad \xff byte")}};
  std::string text;
  EXPECT_NO_THROW(text = to_json_text(value));
  EXPECT_NE(text.find("bad "), std::string::npos);
  const response res = json_response(http::status::ok, value);
  EXPECT_EQ(res[http::field::content_type], "application/json");
}

}  // namespace
}  // namespace callcenterd::api
