#include "callcenterd/sip/response_builder.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

namespace callcenterd::sip::test {
namespace {

TEST(response_builder, copies_the_headers_a_response_needs) {
  auto request = make_request({});
  request.add_header("Via", "SIP/2.0/TCP 203.0.113.4;branch=z9hG4bK.two, SIP/2.0/UDP c;branch=3");
  request.add_header("Record-Route", "<sip:proxy.example.net;lr>");
  auto response = make_response(request, 486);
  EXPECT_TRUE(response.is_response());
  EXPECT_EQ(response.status(), 486);
  EXPECT_EQ(response.reason(), "Busy Here");
  EXPECT_EQ(response.header_values("Via"), request.header_values("Via"));
  ASSERT_EQ(response.header_values("Via").size(), 3U);
  EXPECT_EQ(response.header("From"), request.header("From"));
  EXPECT_EQ(response.header("To"), request.header("To"));
  EXPECT_EQ(response.header("Call-ID"), request.header("Call-ID"));
  EXPECT_EQ(response.header("CSeq"), request.header("CSeq"));
  EXPECT_FALSE(response.header("Record-Route"));
  EXPECT_FALSE(response.header("Contact"));
  EXPECT_FALSE(response.header("Max-Forwards"));
  EXPECT_FALSE(tag_of_to(response));
}

TEST(response_builder, compact_header_names_are_understood) {
  auto request = sip_message::make_request("OPTIONS", *parse_uri("sip:a@b"));
  request.add_header("v", "SIP/2.0/UDP a;branch=z9hG4bK1");
  request.add_header("f", "<sip:x@y>;tag=1");
  request.add_header("t", "<sip:a@b>");
  request.add_header("i", "abc");
  request.add_header("CSeq", "9 OPTIONS");
  auto response = make_response(request, 200, "Fine");
  EXPECT_EQ(response.reason(), "Fine");
  EXPECT_EQ(response.header("Via"), "SIP/2.0/UDP a;branch=z9hG4bK1");
  EXPECT_EQ(response.header("Call-ID"), "abc");
  EXPECT_EQ(response.header("From"), "<sip:x@y>;tag=1");
}

TEST(response_builder, default_reason_phrases) {
  EXPECT_EQ(default_reason_phrase(100), "Trying");
  EXPECT_EQ(default_reason_phrase(180), "Ringing");
  EXPECT_EQ(default_reason_phrase(200), "OK");
  EXPECT_EQ(default_reason_phrase(481), "Call/Transaction Does Not Exist");
  EXPECT_EQ(default_reason_phrase(487), "Request Terminated");
  EXPECT_EQ(default_reason_phrase(503), "Service Unavailable");
  EXPECT_EQ(default_reason_phrase(603), "Decline");
  EXPECT_EQ(default_reason_phrase(499), "Client Error");
  EXPECT_EQ(default_reason_phrase(299), "Success");
}

}  // namespace
}  // namespace callcenterd::sip::test
