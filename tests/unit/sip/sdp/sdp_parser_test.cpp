#include <gtest/gtest.h>

#include "callcenterd/sip/sdp.hpp"
#include "sdp_fixtures.hpp"

namespace callcenterd::sip::sdp {
namespace {

using test::load_fixture;
using test::with_crlf;

session parse_ok(const std::string& text) {
  auto parsed = parse_sdp(text);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message()) << "\n" << text;
  return parsed ? *parsed : session{};
}

TEST(sdp_parser, every_valid_fixture_parses_the_same_with_lf_and_crlf) {
  for (const auto& name : test::valid_fixture_names()) {
    SCOPED_TRACE(name);
    const auto text = load_fixture(name);
    auto lf = parse_sdp(text);
    auto crlf = parse_sdp(with_crlf(text));
    ASSERT_TRUE(lf) << lf.error().message();
    ASSERT_TRUE(crlf) << crlf.error().message();
    EXPECT_EQ(*lf, *crlf);
    EXPECT_FALSE(lf->media.empty());
  }
}

TEST(sdp_parser, desk_phone_offer_fields) {
  const auto s = parse_ok(load_fixture("desk_phone_g711.sdp"));
  EXPECT_EQ(s.orig, (origin{"-", "20518", 0, "IN", "IP4", "192.0.2.45"}));
  EXPECT_EQ(s.name, "SDP data");
  ASSERT_TRUE(s.conn);
  EXPECT_EQ(s.conn->address, "192.0.2.45");
  EXPECT_FALSE(s.conn->ttl);
  ASSERT_EQ(s.timings.size(), 1u);
  EXPECT_EQ(s.timings[0], (timing{0, 0, {}}));
  ASSERT_EQ(s.media.size(), 1u);
  const auto& m = s.media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.port, 11796);
  EXPECT_FALSE(m.port_count);
  EXPECT_EQ(m.proto, "RTP/AVP");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "8", "18", "9", "101"}));
  ASSERT_EQ(m.attributes.size(), 9u);
  EXPECT_EQ(m.attributes[3], (attribute{"fmtp", "18 annexb=no"}));
  EXPECT_EQ(m.attributes[8], (attribute{"sendrecv", std::nullopt}));
}

TEST(sdp_parser, chromium_offer_keeps_every_attribute_in_order) {
  const auto s = parse_ok(load_fixture("chromium_webrtc.sdp"));
  EXPECT_EQ(s.orig.session_id, "5823047719920143281");
  EXPECT_EQ(s.orig.session_version, 2u);
  EXPECT_FALSE(s.conn);
  ASSERT_EQ(s.attributes.size(), 3u);
  EXPECT_EQ(s.attributes[0], (attribute{"group", "BUNDLE 0 1 2"}));
  EXPECT_EQ(s.attributes[1], (attribute{"extmap-allow-mixed", std::nullopt}));
  // The blank after the colon belongs to the value and is kept.
  EXPECT_EQ(s.attributes[2].value, " WMS 3f2c9a0e-6d1b-4c55-9e1a-0b7d2f8c4a11");
  ASSERT_EQ(s.media.size(), 3u);
  EXPECT_EQ(s.media[0].proto, "UDP/TLS/RTP/SAVPF");
  ASSERT_TRUE(s.media[0].conn);
  EXPECT_EQ(s.media[0].conn->address_type, "IP6");
  EXPECT_EQ(s.media[0].conn->address, "2001:db8:41::1c");
  EXPECT_EQ(s.media[0].attributes.front().name, "rtcp");
  EXPECT_EQ(s.media[0].attributes.back().value,
            "2706345981 msid:3f2c9a0e-6d1b-4c55-9e1a-0b7d2f8c4a11 "
            "9a6e1c2d-77f0-4e3b-b5a8-2c4d6e8f0a13");
  EXPECT_EQ(s.media[1].media, "video");
  EXPECT_EQ(s.media[2].proto, "UDP/DTLS/SCTP");
  EXPECT_EQ(s.media[2].formats, (std::vector<std::string>{"webrtc-datachannel"}));
}

TEST(sdp_parser, every_line_type_lands_in_its_field) {
  const auto s = parse_ok(load_fixture("every_line_type.sdp"));
  EXPECT_EQ(s.info, "A seminar about the session description protocol");
  EXPECT_EQ(s.uri, "http://www.example.com/seminars/sdp.pdf");
  EXPECT_EQ(s.emails, (std::vector<std::string>{"j.doe@example.com (Jane Doe)"}));
  EXPECT_EQ(s.phones, (std::vector<std::string>{"+1 617 555-6011"}));
  EXPECT_EQ(s.conn, (connection{"IN", "IP4", "224.2.17.12", 127, std::nullopt}));
  EXPECT_EQ(s.bandwidths, (std::vector<bandwidth>{{"CT", 1000}}));
  ASSERT_EQ(s.timings.size(), 2u);
  EXPECT_EQ(s.timings[0], (timing{2873397496, 2873404696, {"7d 1h 0 25h"}}));
  EXPECT_EQ(s.timings[1], (timing{3034423619, 3042462419, {}}));
  EXPECT_EQ(s.zone_adjustments, "2882844526 -1h 2898848070 0");
  EXPECT_EQ(s.key, "prompt");
  EXPECT_EQ(s.attributes.size(), 2u);
  EXPECT_EQ(s.other_lines, (std::vector<other_line>{{'y', "an unknown line type"}}));
  ASSERT_EQ(s.media.size(), 3u);
  const auto& audio = s.media[0];
  EXPECT_EQ(audio.port_count, 2);
  EXPECT_EQ(audio.title, "the audio stream");
  EXPECT_EQ(audio.conn, (connection{"IN", "IP4", "224.2.17.12", 127, 2}));
  EXPECT_EQ(audio.bandwidths, (std::vector<bandwidth>{{"AS", 64}}));
  EXPECT_EQ(audio.key, "clear:secret");
  EXPECT_EQ(audio.other_lines, (std::vector<other_line>{{'q', "unknown in media"}}));
  EXPECT_EQ(s.media[2].proto, "udp");
  EXPECT_EQ(s.media[2].formats, (std::vector<std::string>{"wb"}));
}

TEST(sdp_parser, session_name_keeps_its_blank_and_other_lines_drop_trailing_blanks) {
  const auto s = parse_ok(
      "v=0\no=- 1 1 IN IP4 192.0.2.1 \ns= \nc=IN IP4 192.0.2.1\t\nt=0 0\n"
      "m=audio 4000 RTP/AVP 0 \na=sendrecv  \na=fmtp:0 x=1 \t\n");
  EXPECT_EQ(s.name, " ");
  EXPECT_EQ(s.orig.address, "192.0.2.1");
  EXPECT_EQ(s.media[0].formats, (std::vector<std::string>{"0"}));
  EXPECT_EQ(s.media[0].attributes[0], (attribute{"sendrecv", std::nullopt}));
  EXPECT_EQ(s.media[0].attributes[1], (attribute{"fmtp", "0 x=1"}));
}

TEST(sdp_parser, tolerates_runs_of_spaces_between_fields) {
  const auto s = parse_ok(
      "v=0\r\no=-  1 1  IN IP4 192.0.2.1\r\ns=-\r\nc=IN  IP4 192.0.2.1\r\nt=0  0\r\n"
      "m=audio  4000 RTP/AVP  0   8\r\n");
  EXPECT_EQ(s.media[0].formats, (std::vector<std::string>{"0", "8"}));
  EXPECT_EQ(s.conn->address, "192.0.2.1");
}

TEST(sdp_parser, accepts_missing_final_line_end_and_trailing_empty_lines) {
  const std::string body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0";
  EXPECT_TRUE(parse_sdp(body));
  EXPECT_TRUE(parse_sdp(body + "\r\n\r\n\r\n"));
  EXPECT_TRUE(parse_sdp(body + "\n\n"));
}

TEST(sdp_parser, empty_value_and_flag_attributes_differ) {
  const auto s = parse_ok(
      "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\na=flag\na=empty:\n"
      "a=colons:a:b\n");
  EXPECT_EQ(s.attributes[0], (attribute{"flag", std::nullopt}));
  EXPECT_EQ(s.attributes[1], (attribute{"empty", ""}));
  EXPECT_EQ(s.attributes[2], (attribute{"colons", "a:b"}));
}

TEST(sdp_parser, lines_within_a_section_may_come_in_any_order) {
  const auto s = parse_ok(
      "v=0\ns=-\nt=0 0\nc=IN IP4 192.0.2.1\no=- 1 1 IN IP4 192.0.2.1\n"
      "m=audio 4000 RTP/AVP 0\na=sendonly\nc=IN IP4 192.0.2.9\nb=AS:64\n");
  EXPECT_EQ(s.media[0].conn->address, "192.0.2.9");
  EXPECT_EQ(s.media[0].bandwidths.size(), 1u);
}

TEST(sdp_parser, connection_forms) {
  const std::string head = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\nc=";
  auto conn = [&](const std::string& value) {
    auto s = parse_sdp(head + value + "\n");
    return s ? s->conn : std::nullopt;
  };
  EXPECT_EQ(conn("IN IP6 ff15::101/3"), (connection{"IN", "IP6", "ff15::101", std::nullopt, 3}));
  EXPECT_EQ(conn("IN IP4 host.example.com"), (connection{"IN", "IP4", "host.example.com", {}, {}}));
  // Types we do not know keep their address whole.
  EXPECT_EQ(conn("ATM NSAP 47.0005/80"), (connection{"ATM", "NSAP", "47.0005/80", {}, {}}));
}

TEST(sdp_parser, rejected_stream_without_formats_is_accepted_only_with_port_zero) {
  const auto s = parse_ok(load_fixture("crlf_rejected_video.sdp"));
  EXPECT_EQ(s.media[1].port, 0);
  EXPECT_TRUE(s.media[1].formats.empty());
  EXPECT_FALSE(parse_sdp("v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\nm=video 9 RTP/AVP\n"));
}

TEST(sdp_parser, non_rtp_formats_are_tokens_not_numbers) {
  const auto s =
      parse_ok("v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\nm=image 5000 udptl t38\n");
  EXPECT_EQ(s.media[0].formats, (std::vector<std::string>{"t38"}));
}

TEST(sdp_parser, limits_hold_exactly_at_their_value) {
  std::string body = "v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\n";
  for (int i = 0; i < 64; ++i) body += "m=audio 4000 RTP/AVP 0\n";
  auto ok = parse_sdp(body);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->media.size(), 64u);
  // 256 repeated lines in one media section, the limit itself.
  std::string attrs = "v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\nm=audio 4000 RTP/AVP 0\n";
  for (int i = 0; i < 256; ++i) attrs += "a=x\n";
  EXPECT_TRUE(parse_sdp(attrs));
  std::string big = "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\n";
  big += "i=" + std::string(65536 - big.size() - 4, 'x') + "\r\n";
  ASSERT_EQ(big.size(), 65536u);
  EXPECT_TRUE(parse_sdp(big));
}

}  // namespace
}  // namespace callcenterd::sip::sdp
