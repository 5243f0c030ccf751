#include "register_request.hpp"

#include <gtest/gtest.h>

#include "callcenterd/sip/parser.hpp"

namespace callcenterd::sip::ua_detail {
namespace {

sip_message register_with(const std::string& headers) {
  const std::string text =
      "REGISTER sip:pbx SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
      "From: <sip:1001@pbx>;tag=a\r\nTo: <sip:1001@pbx>\r\nCall-ID: c1\r\nCSeq: 7 REGISTER\r\n" +
      headers + "Content-Length: 0\r\n\r\n";
  auto parsed = parse_message(text);
  EXPECT_TRUE(parsed) << text;
  return parsed ? *parsed : sip_message{};
}

TEST(register_request, expiry_comes_from_the_parameter_the_header_or_the_default) {
  const registrar_settings settings;
  const auto request = read_register(
      register_with("Contact: <sip:1001@192.0.2.1:5062>;expires=120, <sip:1001@192.0.2.2>\r\n"
                    "Expires: 300\r\n"),
      settings);
  ASSERT_TRUE(request);
  ASSERT_EQ(request->contacts.size(), 2u);
  EXPECT_EQ(request->contacts[0].uri, "sip:1001@192.0.2.1:5062");
  EXPECT_EQ(request->contacts[0].expires, 120u);
  EXPECT_EQ(request->contacts[1].expires, 300u);
  EXPECT_EQ(request->cseq, 7u);
  EXPECT_EQ(request->call_id, "c1");
  const auto defaulted =
      read_register(register_with("Contact: <sip:1001@192.0.2.1>\r\n"), settings);
  ASSERT_TRUE(defaulted);
  EXPECT_EQ(defaulted->contacts[0].expires, 600u);
}

TEST(register_request, long_expiries_are_capped_and_short_ones_refused) {
  const registrar_settings settings;
  const auto capped =
      read_register(register_with("Contact: <sip:1001@192.0.2.1>;expires=99999\r\n"), settings);
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->contacts[0].expires, 3600u);
  const auto brief =
      read_register(register_with("Contact: <sip:1001@192.0.2.1>;expires=10\r\n"), settings);
  ASSERT_FALSE(brief);
  EXPECT_EQ(brief.error().status, 423);
  const auto zero =
      read_register(register_with("Contact: <sip:1001@192.0.2.1>;expires=0\r\n"), settings);
  ASSERT_TRUE(zero) << "zero removes a binding; it is not too brief";
  EXPECT_EQ(zero->contacts[0].expires, 0u);
}

TEST(register_request, wildcard_needs_expires_zero_and_to_stand_alone) {
  const registrar_settings settings;
  const auto ok = read_register(register_with("Contact: *\r\nExpires: 0\r\n"), settings);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->wildcard);
  EXPECT_FALSE(read_register(register_with("Contact: *\r\n"), settings));
  EXPECT_FALSE(read_register(register_with("Contact: *\r\nExpires: 60\r\n"), settings));
  EXPECT_FALSE(
      read_register(register_with("Contact: *, <sip:1001@192.0.2.1>\r\nExpires: 0\r\n"), settings));
}

TEST(register_request, parameters_and_bad_values) {
  const registrar_settings settings;
  const auto request = read_register(
      register_with(
          "Contact: <sip:1001@192.0.2.1>;q=0.5;+sip.instance=\"<urn:uuid:1>\";reg-id=2\r\n"),
      settings);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->contacts[0].q_milli, 500);
  EXPECT_EQ(request->contacts[0].instance_id, "<urn:uuid:1>");
  EXPECT_EQ(request->contacts[0].reg_id, 2u);
  for (const char* bad :
       {"Contact: <sip:1001@192.0.2.1>;expires=x\r\n", "Contact: <sip:1001@192.0.2.1>;q=2\r\n",
        "Contact: <nonsense\r\n", "Contact: <sip:1001@192.0.2.1>\r\nExpires: soon\r\n"}) {
    const auto refused = read_register(register_with(bad), settings);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().status, 400) << bad;
  }
}

TEST(register_request, q_values) {
  EXPECT_EQ(parse_q("1"), 1000);
  EXPECT_EQ(parse_q("1.000"), 1000);
  EXPECT_EQ(parse_q("0.7"), 700);
  EXPECT_EQ(parse_q("0.125"), 125);
  EXPECT_EQ(parse_q("0"), 0);
  EXPECT_FALSE(parse_q("1.5"));
  EXPECT_FALSE(parse_q("0.1234"));
  EXPECT_FALSE(parse_q(".5"));
  EXPECT_FALSE(parse_q(""));
}

}  // namespace
}  // namespace callcenterd::sip::ua_detail
