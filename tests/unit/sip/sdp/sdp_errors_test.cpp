// Every way parse_sdp() refuses a body, each with the code a caller can act on.
#include <gtest/gtest.h>

#include <set>

#include "callcenterd/sip/sdp.hpp"
#include "sdp_fixtures.hpp"

namespace callcenterd::sip::sdp {
namespace {

using namespace std::string_literals;

const std::string head =
    "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
const std::string audio = "m=audio 4000 RTP/AVP 0\r\n";

struct bad_case {
  const char* label;
  std::string body;
  sdp_errc expected;
};

std::vector<bad_case> bad_cases() {
  return {
      {"empty", "", sdp_errc::bad_version},
      {"only blank lines", "\r\n\r\n", sdp_errc::bad_version},
      {"version 1", "v=1\r\n", sdp_errc::bad_version},
      {"version with blank", "v= 0\r\n", sdp_errc::bad_version},
      {"origin first", "o=- 1 1 IN IP4 a\r\nv=0\r\n", sdp_errc::bad_version},
      {"second v", head + "v=0\r\n", sdp_errc::duplicate_line},
      {"no equals", head + "a\r\n", sdp_errc::bad_line},
      {"upper-case type", head + "A=x\r\n", sdp_errc::bad_line},
      {"digit type", head + "1=x\r\n", sdp_errc::bad_line},
      {"blank line inside", head + "\r\n" + audio, sdp_errc::bad_line},
      {"NUL", head + "a=x\0y\r\n"s, sdp_errc::bad_line},
      {"bare CR", head + "a=x\ry\r\n", sdp_errc::bad_line},
      {"leading blank", " v=0\r\n", sdp_errc::bad_line},
      {"no origin", "v=0\r\ns=-\r\nt=0 0\r\n", sdp_errc::missing_line},
      {"no name", "v=0\r\no=- 1 1 IN IP4 a\r\nt=0 0\r\n", sdp_errc::missing_line},
      {"no timing", "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\n", sdp_errc::missing_line},
      {"two origins", head + "o=- 1 1 IN IP4 a\r\n", sdp_errc::duplicate_line},
      {"two names", head + "s=x\r\n", sdp_errc::duplicate_line},
      {"two session c", head + "c=IN IP4 a\r\n", sdp_errc::duplicate_line},
      {"two session i", head + "i=a\r\ni=b\r\n", sdp_errc::duplicate_line},
      {"two media c", head + audio + "c=IN IP4 a\r\nc=IN IP4 b\r\n", sdp_errc::duplicate_line},
      {"two media i", head + audio + "i=a\r\ni=b\r\n", sdp_errc::duplicate_line},
      {"two media k", head + audio + "k=a\r\nk=b\r\n", sdp_errc::duplicate_line},
      {"t in media", head + audio + "t=0 0\r\n", sdp_errc::misplaced_line},
      {"o in media", head + audio + "o=- 1 1 IN IP4 a\r\n", sdp_errc::misplaced_line},
      {"r in media", head + audio + "r=1d 1h 0\r\n", sdp_errc::misplaced_line},
      {"r before t", "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nr=1d 1h 0\r\nt=0 0\r\n",
       sdp_errc::misplaced_line},
      {"origin five fields", "v=0\r\no=- 1 1 IN IP4\r\n", sdp_errc::bad_origin},
      {"origin seven fields", "v=0\r\no=- 1 1 IN IP4 a b\r\n", sdp_errc::bad_origin},
      {"origin version not numeric", "v=0\r\no=- 1 x IN IP4 a\r\n", sdp_errc::bad_origin},
      {"origin version overflow", "v=0\r\no=- 1 18446744073709551616 IN IP4 a\r\n",
       sdp_errc::bad_origin},
      {"origin nettype not token", "v=0\r\no=- 1 1 I:N IP4 a\r\n", sdp_errc::bad_origin},
      {"origin control char", "v=0\r\no=- 1 1 IN IP4 a\x01\r\n", sdp_errc::bad_origin},
      {"connection two fields", "v=0\r\nc=IN IP4\r\n", sdp_errc::bad_connection},
      {"connection empty address", "v=0\r\nc=IN IP4 /127\r\n", sdp_errc::bad_connection},
      {"ttl above 255", "v=0\r\nc=IN IP4 224.2.1.1/256\r\n", sdp_errc::bad_connection},
      {"ttl not numeric", "v=0\r\nc=IN IP4 224.2.1.1/x\r\n", sdp_errc::bad_connection},
      {"count zero", "v=0\r\nc=IN IP4 224.2.1.1/1/0\r\n", sdp_errc::bad_connection},
      {"ipv4 three suffixes", "v=0\r\nc=IN IP4 224.2.1.1/1/2/3\r\n", sdp_errc::bad_connection},
      {"ipv6 ttl and count", "v=0\r\nc=IN IP6 ff15::1/1/2\r\n", sdp_errc::bad_connection},
      {"ipv6 count zero", "v=0\r\nc=IN IP6 ff15::1/0\r\n", sdp_errc::bad_connection},
      {"trailing slash", "v=0\r\nc=IN IP4 224.2.1.1/\r\n", sdp_errc::bad_connection},
      {"bandwidth no colon", head + "b=AS64\r\n", sdp_errc::bad_bandwidth},
      {"bandwidth not numeric", head + "b=AS:fast\r\n", sdp_errc::bad_bandwidth},
      {"bandwidth negative", head + "b=AS:-1\r\n", sdp_errc::bad_bandwidth},
      {"bandwidth empty type", head + "b=:64\r\n", sdp_errc::bad_bandwidth},
      {"timing one field", "v=0\r\nt=0\r\n", sdp_errc::bad_timing},
      {"timing letters", "v=0\r\nt=now later\r\n", sdp_errc::bad_timing},
      {"empty repeat", head + "r=\r\n", sdp_errc::bad_timing},
      {"media two fields", head + "m=audio 4000\r\n", sdp_errc::bad_media},
      {"port above 65535", head + "m=audio 65536 RTP/AVP 0\r\n", sdp_errc::bad_media},
      {"port negative", head + "m=audio -1 RTP/AVP 0\r\n", sdp_errc::bad_media},
      {"port count zero", head + "m=audio 4000/0 RTP/AVP 0\r\n", sdp_errc::bad_media},
      {"port count junk", head + "m=audio 4000/x RTP/AVP 0\r\n", sdp_errc::bad_media},
      {"pt 128", head + "m=audio 4000 RTP/AVP 128\r\n", sdp_errc::bad_media},
      {"pt named", head + "m=audio 4000 RTP/AVP PCMU\r\n", sdp_errc::bad_media},
      {"pt in SAVPF", head + "m=audio 9 UDP/TLS/RTP/SAVPF 0 opus\r\n", sdp_errc::bad_media},
      {"no formats", head + "m=audio 4000 RTP/AVP\r\n", sdp_errc::bad_media},
      {"proto empty part", head + "m=audio 4000 RTP//AVP 0\r\n", sdp_errc::bad_media},
      {"media not token", head + "m=au:dio 4000 RTP/AVP 0\r\n", sdp_errc::bad_media},
      {"attribute empty name", head + "a=:x\r\n", sdp_errc::bad_attribute},
      {"attribute name with blank", head + "a=rtp map:0 PCMU/8000\r\n", sdp_errc::bad_attribute},
      {"attribute is blank", head + "a=\r\n", sdp_errc::bad_attribute},
      {"no connection anywhere", "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\n" + audio,
       sdp_errc::missing_connection},
  };
}

TEST(sdp_errors, each_malformed_body_gets_its_code) {
  for (const auto& c : bad_cases()) {
    auto parsed = parse_sdp(c.body);
    ASSERT_FALSE(parsed) << c.label;
    EXPECT_EQ(parsed.error(), make_error_code(c.expected))
        << c.label << ": " << parsed.error().message();
  }
}

TEST(sdp_errors, bad_fixtures_are_refused) {
  const std::vector<std::pair<std::string, sdp_errc>> expected{
      {"bad_missing_timing.sdp", sdp_errc::missing_line},
      {"bad_no_connection.sdp", sdp_errc::missing_connection},
      {"bad_payload_type.sdp", sdp_errc::bad_media},
      {"bad_port.sdp", sdp_errc::bad_media},
      {"bad_version_not_first.sdp", sdp_errc::bad_version}};
  ASSERT_EQ(expected.size(), test::bad_fixture_names().size());
  for (const auto& [name, code] : expected) {
    auto parsed = parse_sdp(test::load_fixture(name));
    ASSERT_FALSE(parsed) << name;
    EXPECT_EQ(parsed.error(), make_error_code(code)) << name;
  }
}

TEST(sdp_errors, size_limit) {
  std::string big = head + "i=" + std::string(65536, 'x') + "\r\n";
  EXPECT_EQ(parse_sdp(big).error(), make_error_code(sdp_errc::too_large));
  sdp_limits small;
  small.max_size = head.size() - 1;
  EXPECT_EQ(parse_sdp(head, small).error(), make_error_code(sdp_errc::too_large));
  small.max_size = head.size();
  EXPECT_TRUE(parse_sdp(head, small));
  // Without the final CRLF the body still counts it; LF-only lines count as CRLF.
  const auto unterminated = head.substr(0, head.size() - 2);
  EXPECT_TRUE(parse_sdp(unterminated, small));
  small.max_size = head.size() - 1;
  EXPECT_EQ(parse_sdp(unterminated, small).error(), make_error_code(sdp_errc::too_large));
  const auto lf_only = test::without_cr(head);
  EXPECT_EQ(parse_sdp(lf_only, small).error(), make_error_code(sdp_errc::too_large));
  small.max_size = head.size();
  EXPECT_TRUE(parse_sdp(lf_only, small));
}

TEST(sdp_errors, lf_body_under_the_limit_that_grows_past_it_with_crlf_is_refused) {
  // 60 sections of 250 short attributes: under 64 KiB with LF, over it with CRLF.
  std::string body = "v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\n";
  for (int m = 0; m < 60; ++m) {
    body += "m=audio 4000 RTP/AVP 0\n";
    for (int a = 0; a < 250; ++a) body += "a=x\n";
  }
  ASSERT_LT(body.size(), 65536u);
  ASSERT_GT(test::with_crlf(body).size(), 65536u);
  EXPECT_EQ(parse_sdp(body).error(), make_error_code(sdp_errc::too_large));
}

TEST(sdp_errors, media_limit) {
  std::string body = head;
  for (int i = 0; i < 65; ++i) body += audio;
  EXPECT_EQ(parse_sdp(body).error(), make_error_code(sdp_errc::too_many_media));
}

TEST(sdp_errors, repeated_line_limit_counts_per_section) {
  std::string session_level = head;
  for (int i = 0; i < 257; ++i) session_level += "a=x\r\n";
  EXPECT_EQ(parse_sdp(session_level).error(), make_error_code(sdp_errc::too_many_attributes));

  // Unknown lines and b= count with attributes.
  std::string mixed = head + audio;
  for (int i = 0; i < 100; ++i) mixed += "a=x\r\nb=AS:1\r\ny=z\r\n";
  EXPECT_EQ(parse_sdp(mixed).error(), make_error_code(sdp_errc::too_many_attributes));

  // Each section has its own budget.
  std::string spread = head;
  for (int i = 0; i < 200; ++i) spread += "a=x\r\n";
  spread += audio;
  for (int i = 0; i < 200; ++i) spread += "a=x\r\n";
  EXPECT_TRUE(parse_sdp(spread));
}

TEST(sdp_errors, category_names_and_messages) {
  boost::system::error_code ec = sdp_errc::bad_media;
  EXPECT_EQ(&ec.category(), &sdp_category());
  EXPECT_STREQ(sdp_category().name(), "callcenterd.sdp");
  EXPECT_EQ(ec.message(), "malformed SDP media line (m=)");
  const auto unknown = sdp_category().message(0);
  std::set<std::string> seen;
  for (int v = static_cast<int>(sdp_errc::too_large);
       v <= static_cast<int>(sdp_errc::bad_capabilities); ++v) {
    const auto text = sdp_category().message(v);
    EXPECT_NE(text, unknown) << v;
    EXPECT_TRUE(seen.insert(text).second) << "duplicate message for " << v;
  }
}

}  // namespace
}  // namespace callcenterd::sip::sdp
