#include <gtest/gtest.h>

#include "callcenterd/sip/sdp.hpp"
#include "sdp_fixtures.hpp"

namespace callcenterd::sip::sdp {
namespace {

session parse_fixture(const std::string& name) {
  auto parsed = parse_sdp(test::load_fixture(name));
  EXPECT_TRUE(parsed) << name;
  return parsed ? *parsed : session{};
}

session parse_text(const std::string& text) {
  auto parsed = parse_sdp(text);
  EXPECT_TRUE(parsed) << text;
  return parsed ? *parsed : session{};
}

TEST(sdp_lookup, rtpmap_and_static_payload_types) {
  const auto s = parse_fixture("baresip_offer.sdp");
  const auto& m = s.media[0];
  EXPECT_EQ(payload_types(m), (std::vector<std::uint8_t>{96, 9, 0, 8, 101}));
  EXPECT_EQ(find_rtpmap(m, 96), (rtp_format{96, "opus", 48000, 2}));
  EXPECT_EQ(find_rtpmap(m, 101), (rtp_format{101, "telephone-event", 8000, 1}));
  EXPECT_FALSE(find_rtpmap(m, 18));
  EXPECT_EQ(find_fmtp(m, 96), "stereo=1;sprop-stereo=1");
  EXPECT_EQ(find_fmtp(m, 101), "0-15");
  EXPECT_FALSE(find_fmtp(m, 0));

  const auto sipp =
      parse_text("v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\nm=audio 6000 RTP/AVP 0 8 18 97\n");
  const auto& bare = sipp.media[0];
  EXPECT_FALSE(find_rtpmap(bare, 8));
  EXPECT_EQ(payload_format(bare, 0), (rtp_format{0, "PCMU", 8000, 1}));
  EXPECT_EQ(payload_format(bare, 8), (rtp_format{8, "PCMA", 8000, 1}));
  EXPECT_EQ(payload_format(bare, 18), (rtp_format{18, "G729", 8000, 1}));
  EXPECT_FALSE(payload_format(bare, 97));  // dynamic without rtpmap means nothing
}

TEST(sdp_lookup, malformed_rtpmaps_are_ignored) {
  const auto s = parse_text(
      "v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\nm=audio 6000 RTP/AVP 96 97 98 99 100\n"
      "a=rtpmap:96 opus\na=rtpmap:97 x/0\na=rtpmap:98 x/8000/0\na=rtpmap:99 x/8000/1/2\n"
      "a=rtpmap:100\na=rtpmap:100x y/8000\n");
  for (std::uint8_t pt = 96; pt <= 100; ++pt) EXPECT_FALSE(find_rtpmap(s.media[0], pt)) << +pt;
}

TEST(sdp_lookup, payload_types_are_empty_for_other_protos) {
  const auto s = parse_fixture("chromium_webrtc.sdp");
  EXPECT_EQ(payload_types(s.media[0]).size(), 8u);
  EXPECT_TRUE(payload_types(s.media[2]).empty());
  EXPECT_TRUE(is_rtp_proto("RTP/AVP"));
  EXPECT_TRUE(is_rtp_proto("UDP/TLS/RTP/SAVPF"));
  EXPECT_TRUE(is_rtp_proto("TCP/RTP/AVP"));
  EXPECT_FALSE(is_rtp_proto("UDP/DTLS/SCTP"));
  EXPECT_FALSE(is_rtp_proto("udptl"));
  EXPECT_FALSE(is_rtp_proto("AVP/RTP"));
  EXPECT_TRUE(is_dtls_srtp_proto("UDP/TLS/RTP/SAVPF"));
  EXPECT_TRUE(is_dtls_srtp_proto("UDP/TLS/RTP/SAVP"));
  EXPECT_FALSE(is_dtls_srtp_proto("RTP/SAVP"));
}

TEST(sdp_lookup, direction_media_level_overrides_session_level) {
  const std::string head = "v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\n";
  const auto plain = parse_text(head + "m=audio 1 RTP/AVP 0\n");
  EXPECT_EQ(direction(plain, plain.media[0]), media_direction::sendrecv);
  const auto session_level = parse_text(head + "a=recvonly\nm=audio 1 RTP/AVP 0\n");
  EXPECT_EQ(direction(session_level, session_level.media[0]), media_direction::recvonly);
  const auto both = parse_text(head + "a=recvonly\nm=audio 1 RTP/AVP 0\na=inactive\n");
  EXPECT_EQ(direction(both, both.media[0]), media_direction::inactive);
  // A value makes it a different attribute.
  const auto valued = parse_text(head + "m=audio 1 RTP/AVP 0\na=sendonly:x\n");
  EXPECT_EQ(direction(valued, valued.media[0]), media_direction::sendrecv);
  for (auto d : {media_direction::sendrecv, media_direction::sendonly, media_direction::recvonly,
                 media_direction::inactive}) {
    EXPECT_EQ(parse_direction(to_string(d)), d);
  }
  EXPECT_FALSE(parse_direction("SENDONLY"));
}

TEST(sdp_lookup, effective_connection_and_null_address) {
  const auto chrome = parse_fixture("chromium_webrtc.sdp");
  ASSERT_NE(effective_connection(chrome, chrome.media[0]), nullptr);
  EXPECT_EQ(effective_connection(chrome, chrome.media[0])->address, "2001:db8:41::1c");
  const auto hold = parse_fixture("hold_rfc2543.sdp");
  const auto* conn = effective_connection(hold, hold.media[0]);
  ASSERT_NE(conn, nullptr);
  EXPECT_TRUE(is_null_address(*conn));
  EXPECT_TRUE(is_null_address(connection{"IN", "IP6", "::", {}, {}}));
  EXPECT_FALSE(is_null_address(connection{"IN", "IP4", "192.0.2.1", {}, {}}));
  EXPECT_FALSE(is_null_address(connection{"IN", "IP4", "host.example.com", {}, {}}));
  const auto no_media_conn =
      parse_text("v=0\no=- 1 1 IN IP4 a\ns=-\nt=0 0\nm=video 0 RTP/AVP 96\n");
  EXPECT_EQ(effective_connection(no_media_conn, no_media_conn.media[0]), nullptr);
}

TEST(sdp_lookup, ptime_whole_milliseconds_media_first) {
  const std::string head = "v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nt=0 0\n";
  const auto both = parse_text(head + "a=ptime:40\nm=audio 1 RTP/AVP 0\na=ptime:30\n");
  EXPECT_EQ(ptime(both, both.media[0]), 30u);
  const auto session_only = parse_text(head + "a=ptime:40\nm=audio 1 RTP/AVP 0\n");
  EXPECT_EQ(ptime(session_only, session_only.media[0]), 40u);
  const auto fraction = parse_fixture("every_line_type.sdp");
  EXPECT_EQ(ptime(fraction, fraction.media[0]), 22u);
  for (const char* bad : {"x", "20.", ".5", "20.x", ""}) {
    const auto s = parse_text(head + "m=audio 1 RTP/AVP 0\na=ptime:" + bad + "\n");
    EXPECT_FALSE(ptime(s, s.media[0])) << bad;
  }
}

TEST(sdp_lookup, find_attribute_returns_first_and_empty_for_flags) {
  const auto s = parse_fixture("chromium_webrtc.sdp");
  EXPECT_EQ(find_attribute(s.media[0].attributes, "extmap"),
            "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
  EXPECT_EQ(find_attribute(s.media[0].attributes, "rtcp-mux"), "");
  EXPECT_FALSE(find_attribute(s.media[0].attributes, "RTCP-MUX"));
}

}  // namespace
}  // namespace callcenterd::sip::sdp
