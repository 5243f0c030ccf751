// Malformed messages in the spirit of RFC 4475, written for this project. Each case must be
// refused with the expected error and must not crash or read out of bounds (ASan watches).
#include <gtest/gtest.h>

#include "callcenterd/sip/error.hpp"
#include "callcenterd/sip/parser.hpp"
#include "fixtures.hpp"

namespace callcenterd::sip {
namespace {

struct bad_case {
  const char* label;
  std::string bytes;
  sip_errc expected;
};

const std::string ok_headers = "Call-ID: t1\r\nCSeq: 1 OPTIONS\r\n";

std::vector<bad_case> torture_cases() {
  using namespace std::string_literals;
  return {
      {"empty", "", sip_errc::incomplete},
      {"only start line", "OPTIONS sip:h.com SIP/2.0\r\n", sip_errc::incomplete},
      {"no empty line", "OPTIONS sip:h.com SIP/2.0\r\nCall-ID: x\r\n", sip_errc::incomplete},
      {"method only", "OPTIONS\r\n\r\n", sip_errc::bad_start_line},
      {"two spaces", "OPTIONS  sip:h.com SIP/2.0\r\n\r\n", sip_errc::bad_start_line},
      {"missing version", "OPTIONS sip:h.com\r\n\r\n", sip_errc::bad_start_line},
      {"wrong version", "OPTIONS sip:h.com SIP/7.0\r\n\r\n", sip_errc::bad_version},
      {"trailing junk", "OPTIONS sip:h.com SIP/2.0 x\r\n\r\n", sip_errc::bad_version},
      {"bad method char", "OPT(ONS sip:h.com SIP/2.0\r\n\r\n", sip_errc::bad_method},
      {"uri with space", "OPTIONS sip:a b@h.com SIP/2.0\r\n\r\n", sip_errc::bad_start_line},
      {"bad uri scheme", "OPTIONS http://h.com SIP/2.0\r\n\r\n", sip_errc::bad_uri},
      {"bad uri port", "OPTIONS sip:h.com:99999 SIP/2.0\r\n\r\n", sip_errc::bad_uri},
      {"response version", "SIP/3.0 200 OK\r\n\r\n", sip_errc::bad_version},
      {"status two digits", "SIP/2.0 20 OK\r\n\r\n", sip_errc::bad_status},
      {"status four digits", "SIP/2.0 2000 OK\r\n\r\n", sip_errc::bad_status},
      {"status 700", "SIP/2.0 700 Nope\r\n\r\n", sip_errc::bad_status},
      {"status 099", "SIP/2.0 099 Nope\r\n\r\n", sip_errc::bad_status},
      {"status letters", "SIP/2.0 2x0 OK\r\n\r\n", sip_errc::bad_status},
      {"no status", "SIP/2.0\r\n\r\n", sip_errc::bad_start_line},
      {"missing colon", "OPTIONS sip:h.com SIP/2.0\r\nCall-ID t1\r\n\r\n", sip_errc::bad_header},
      {"empty name", "OPTIONS sip:h.com SIP/2.0\r\n: value\r\n\r\n", sip_errc::bad_header},
      {"name with space", "OPTIONS sip:h.com SIP/2.0\r\nCall ID: x\r\n\r\n", sip_errc::bad_header},
      {"fold before first header", "OPTIONS sip:h.com SIP/2.0\r\n folded: x\r\n\r\n",
       sip_errc::bad_header},
      {"NUL in header", "OPTIONS sip:h.com SIP/2.0\r\nCall-ID: a\0b\r\n\r\n"s,
       sip_errc::bad_header},
      {"NUL in start line", "OPTIONS sip:h.com\0 SIP/2.0\r\n\r\n"s, sip_errc::bad_start_line},
      {"bare CR inside", "OPTIONS sip:h.com SIP/2.0\r\nCall-ID: a\rb\r\n\r\n",
       sip_errc::bad_header},
      {"negative length", "SIP/2.0 200 OK\r\nContent-Length: -5\r\n\r\n",
       sip_errc::bad_content_length},
      {"huge length", "SIP/2.0 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
       sip_errc::bad_content_length},
      {"length above limit", "SIP/2.0 200 OK\r\nContent-Length: 70000\r\n\r\n",
       sip_errc::bad_content_length},
      {"non-numeric length", "SIP/2.0 200 OK\r\nContent-Length: ten\r\n\r\n",
       sip_errc::bad_content_length},
      {"empty length", "SIP/2.0 200 OK\r\nContent-Length:\r\n\r\n", sip_errc::bad_content_length},
      {"plus sign length", "SIP/2.0 200 OK\r\nl: +3\r\n\r\nabc", sip_errc::bad_content_length},
      {"conflicting lengths", "SIP/2.0 200 OK\r\nl: 1\r\nContent-Length: 2\r\n\r\nab",
       sip_errc::bad_content_length},
      {"short body", "SIP/2.0 200 OK\r\nContent-Length: 50\r\n\r\nshort", sip_errc::incomplete},
  };
}

TEST(sip_torture, malformed_messages_are_refused) {
  for (const auto& c : torture_cases()) {
    auto m = parse_message(c.bytes);
    ASSERT_FALSE(m) << c.label;
    EXPECT_EQ(m.error(), make_error_code(c.expected)) << c.label << ": got " << m.error().message();
  }
}

TEST(sip_torture, limits_are_enforced) {
  parse_limits limits;
  limits.max_message_size = 1000;
  limits.max_headers = 3;
  limits.max_header_line = 100;
  const std::string start = "OPTIONS sip:h.com SIP/2.0\r\n";

  auto too_large = parse_message(start + "\r\n" + std::string(1000, 'x'), limits);
  ASSERT_FALSE(too_large);
  EXPECT_EQ(too_large.error(), make_error_code(sip_errc::message_too_large));

  auto four = start + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
  auto too_many = parse_message(four, limits);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error(), make_error_code(sip_errc::too_many_headers));
  limits.max_headers = 4;
  EXPECT_TRUE(parse_message(four, limits));

  auto long_line = parse_message(start + "Subject: " + std::string(100, 'a') + "\r\n\r\n", limits);
  ASSERT_FALSE(long_line);
  EXPECT_EQ(long_line.error(), make_error_code(sip_errc::header_too_long));

  // Folding must not be a way around the line limit.
  std::string folded = start + "Subject: a";
  for (int i = 0; i < 20; ++i) folded += "\r\n " + std::string(10, 'b');
  auto long_folded = parse_message(folded + "\r\n\r\n", limits);
  ASSERT_FALSE(long_folded);
  EXPECT_EQ(long_folded.error(), make_error_code(sip_errc::header_too_long));

  auto long_start =
      parse_message("OPTIONS sip:" + std::string(200, 'h') + " SIP/2.0\r\n\r\n", limits);
  ASSERT_FALSE(long_start);
  EXPECT_EQ(long_start.error(), make_error_code(sip_errc::header_too_long));
}

TEST(sip_torture, default_limits) {
  parse_limits limits;
  EXPECT_EQ(limits.max_message_size, 64U * 1024U);
  EXPECT_EQ(limits.max_headers, 128U);
  EXPECT_EQ(limits.max_header_line, 8U * 1024U);
  std::string many = "OPTIONS sip:h.com SIP/2.0\r\n";
  for (int i = 0; i < 129; ++i) many += "X-N: 1\r\n";
  auto m = parse_message(many + "\r\n");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), make_error_code(sip_errc::too_many_headers));
}

// Every prefix of every valid message, and every one-byte corruption of it: the parser and
// the framer may accept or refuse, but they must return, and a frame must lie inside the buffer
// (ASan/UBSan catch out-of-bounds reads).
TEST(sip_torture, truncations_and_byte_flips_never_crash) {
  for (const auto& name : test::valid_fixture_names()) {
    auto bytes = test::load_fixture(name);
    for (std::size_t n = 0; n <= bytes.size(); ++n) {
      (void)parse_message(std::string_view(bytes).substr(0, n));
    }
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      for (char c : {'\0', '\r', '\n', '"', '<', ':', ';', '[', ' ', '\xff'}) {
        auto copy = bytes;
        copy[i] = c;
        auto m = parse_message(copy);
        if (m) {
          (void)to_string(*m);
        }
        auto f = frame_message(copy);
        if (f && f->what == frame_result::kind::message) {
          EXPECT_LE(f->skipped + f->size, copy.size());
        }
      }
    }
  }
}

}  // namespace
}  // namespace callcenterd::sip
