#include <gtest/gtest.h>

#include "callcenterd/sip/sdp.hpp"
#include "sdp_fixtures.hpp"

namespace callcenterd::sip::sdp {
namespace {

using test::load_fixture;
using test::with_crlf;

TEST(sdp_writer, writes_crlf_lines_in_rfc_4566_order) {
  session s;
  s.orig = origin{"cc", "42", 7, "IN", "IP4", "192.0.2.5"};
  s.name = "call";
  s.conn = connection{"IN", "IP4", "192.0.2.5", {}, {}};
  s.attributes.push_back({"recvonly", std::nullopt});
  s.other_lines.push_back({'y', "unknown"});
  s.key = "prompt";
  s.zone_adjustments = "1 -1h";
  s.timings[0].repeats.push_back("7d 1h 0");
  s.bandwidths.push_back({"AS", 64});
  s.phones.push_back("+1 555");
  s.emails.push_back("a@example.com");
  s.uri = "http://example.com";
  s.info = "about";
  media_description m;
  m.port = 4000;
  m.port_count = 2;
  m.formats = {"0", "8"};
  m.title = "voice";
  m.conn = connection{"IN", "IP6", "ff15::1", {}, 2};
  m.bandwidths.push_back({"TIAS", 64000});
  m.key = "clear:x";
  m.attributes.push_back({"fmtp", ""});
  m.other_lines.push_back({'q', "z"});
  s.media.push_back(m);
  EXPECT_EQ(to_string(s),
            "v=0\r\n"
            "o=cc 42 7 IN IP4 192.0.2.5\r\n"
            "s=call\r\n"
            "i=about\r\n"
            "u=http://example.com\r\n"
            "e=a@example.com\r\n"
            "p=+1 555\r\n"
            "c=IN IP4 192.0.2.5\r\n"
            "b=AS:64\r\n"
            "t=0 0\r\n"
            "r=7d 1h 0\r\n"
            "z=1 -1h\r\n"
            "k=prompt\r\n"
            "a=recvonly\r\n"
            "y=unknown\r\n"
            "m=audio 4000/2 RTP/AVP 0 8\r\n"
            "i=voice\r\n"
            "c=IN IP6 ff15::1/2\r\n"
            "b=TIAS:64000\r\n"
            "k=clear:x\r\n"
            "a=fmtp:\r\n"
            "q=z\r\n");
}

TEST(sdp_writer, session_without_timing_still_gets_t_line) {
  session s;
  s.timings.clear();
  const auto text = to_string(s);
  EXPECT_NE(text.find("\r\nt=0 0\r\n"), std::string::npos);
  EXPECT_TRUE(parse_sdp(text));
}

TEST(sdp_writer, crlf_fixture_already_in_canonical_form_is_reproduced_byte_for_byte) {
  // Written in canonical order with single blanks; only the trailing empty line goes.
  const auto text = load_fixture("crlf_rejected_video.sdp");
  auto parsed = parse_sdp(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(to_string(*parsed) + "\r\n", text);
  for (const auto* name : {"desk_phone_g711.sdp", "chromium_webrtc.sdp", "sipp_default.sdp"}) {
    const auto wire = with_crlf(load_fixture(name));
    auto fixture = parse_sdp(wire);
    ASSERT_TRUE(fixture) << name;
    EXPECT_EQ(to_string(*fixture), wire) << name;
  }
}

TEST(sdp_writer, every_fixture_round_trips_to_a_fixed_point) {
  for (const auto& name : test::valid_fixture_names()) {
    SCOPED_TRACE(name);
    auto first = parse_sdp(load_fixture(name));
    ASSERT_TRUE(first);
    const auto text = to_string(*first);
    auto second = parse_sdp(text);
    ASSERT_TRUE(second) << second.error().message();
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(to_string(*second), text);
  }
}

TEST(sdp_writer, normalises_numbers_and_blanks_but_keeps_values) {
  auto parsed = parse_sdp(
      "v=0\no=-  007 0010 IN IP4 a\ns=  spaced  \nc=IN IP4 224.0.0.1/007\nt=00 01\n"
      "m=audio 04000 RTP/AVP 08\na=x: v \n");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(to_string(*parsed),
            "v=0\r\no=- 007 10 IN IP4 a\r\ns=  spaced  \r\nc=IN IP4 224.0.0.1/7\r\nt=0 1\r\n"
            "m=audio 4000 RTP/AVP 08\r\na=x: v\r\n");
}

TEST(sdp_writer, every_truncation_of_every_fixture_is_handled) {
  // Whatever the parser makes of a prefix, it must not crash (ASan/UBSan watch), and what it
  // accepts must survive a round trip.
  std::size_t accepted = 0;
  std::size_t total = 0;
  std::vector<std::string> names = test::valid_fixture_names();
  for (const auto& bad : test::bad_fixture_names()) names.push_back(bad);
  for (const auto& name : names) {
    for (const auto& text : {load_fixture(name), with_crlf(load_fixture(name))}) {
      for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        ++total;
        auto parsed = parse_sdp(std::string_view(text).substr(0, cut));
        if (!parsed) continue;
        ++accepted;
        auto again = parse_sdp(to_string(*parsed));
        ASSERT_TRUE(again) << name << " cut at " << cut;
        ASSERT_EQ(*again, *parsed) << name << " cut at " << cut;
      }
    }
  }
  // Prefixes that end after a complete t= line (and whose media have their c=) are valid.
  EXPECT_GT(accepted, 100u);
  EXPECT_LT(accepted, total);
}

}  // namespace
}  // namespace callcenterd::sip::sdp
