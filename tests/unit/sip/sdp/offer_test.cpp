#include <gtest/gtest.h>

#include "callcenterd/sip/offer_answer.hpp"

namespace callcenterd::sip::sdp {
namespace {

media_capabilities test_caps() {
  media_capabilities caps;
  caps.rtp_address = boost::asio::ip::make_address("192.0.2.10");
  caps.session_id_source = [] { return std::uint64_t{1234}; };
  return caps;
}

TEST(sdp_offer, default_offer_text) {
  const auto offer = make_offer(test_caps(), 40000);
  EXPECT_EQ(to_string(offer),
            "v=0\r\n"
            "o=callcenterd 1234 0 IN IP4 192.0.2.10\r\n"
            "s=callcenterd\r\n"
            "c=IN IP4 192.0.2.10\r\n"
            "t=0 0\r\n"
            "m=audio 40000 RTP/AVP 0 8 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-15\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n"
            "a=rtcp-mux\r\n");
  auto reparsed = parse_sdp(to_string(offer));
  ASSERT_TRUE(reparsed);
  EXPECT_EQ(*reparsed, offer);
}

TEST(sdp_offer, follows_caps_order_address_family_and_options) {
  auto caps = test_caps();
  caps.rtp_address = boost::asio::ip::make_address("2001:db8::10");
  caps.codecs = {{"PCMA", 8000, 8, 1}, {"PCMU", 8000, 0, 1}};
  caps.telephone_event_payload_type = std::nullopt;
  caps.rtcp_mux = false;
  caps.ptime = 30;
  caps.username = "node-a";
  const auto offer = make_offer(caps, 40002, media_direction::sendonly, 9);
  EXPECT_EQ(offer.orig, (origin{"node-a", "1234", 9, "IN", "IP6", "2001:db8::10"}));
  EXPECT_EQ(offer.conn, (connection{"IN", "IP6", "2001:db8::10", {}, {}}));
  ASSERT_EQ(offer.media.size(), 1u);
  const auto& m = offer.media[0];
  EXPECT_EQ(m.formats, (std::vector<std::string>{"8", "0"}));
  EXPECT_EQ(direction(offer, m), media_direction::sendonly);
  EXPECT_EQ(ptime(offer, m), 30u);
  EXPECT_FALSE(find_attribute(m.attributes, "rtcp-mux"));
  EXPECT_FALSE(find_attribute(m.attributes, "fmtp"));
}

TEST(sdp_offer, default_session_id_is_a_timestamp) {
  media_capabilities caps;
  const auto offer = make_offer(caps, 40000);
  EXPECT_NE(offer.orig.session_id, "0");
  EXPECT_GT(offer.orig.session_id.size(), 10u);
  EXPECT_TRUE(parse_sdp(to_string(offer)));
}

TEST(sdp_offer, reoffer_for_hold_and_resume_bumps_version_and_keeps_id) {
  auto first = make_offer(test_caps(), 40000, media_direction::sendrecv, 3);
  first.attributes.push_back({"sendrecv", std::nullopt});  // stale session-level direction
  media_description video;
  video.media = "video";
  video.formats = {"96"};
  first.media.push_back(video);

  const auto hold = make_reoffer(first, media_direction::sendonly);
  EXPECT_EQ(hold.orig.session_id, first.orig.session_id);
  EXPECT_EQ(hold.orig.session_version, 4u);
  EXPECT_TRUE(hold.attributes.empty());
  EXPECT_EQ(direction(hold, hold.media[0]), media_direction::sendonly);
  // Only the direction changed, in place.
  EXPECT_EQ(hold.media[0].attributes.size(), first.media[0].attributes.size());
  EXPECT_EQ(hold.media[0].attributes[5], (attribute{"sendonly", std::nullopt}));
  EXPECT_EQ(hold.media[1], first.media[1]);  // refused streams stay as they were

  const auto resume = make_reoffer(hold, media_direction::sendrecv);
  EXPECT_EQ(resume.orig.session_version, 5u);
  EXPECT_EQ(direction(resume, resume.media[0]), media_direction::sendrecv);
  auto expected = first;
  expected.orig.session_version = 5;
  expected.attributes.clear();
  EXPECT_EQ(resume, expected);
}

TEST(sdp_offer, reoffer_adds_direction_when_none_was_written) {
  auto parsed = parse_sdp(
      "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=inactive\r\na=recvonly\r\n");
  ASSERT_TRUE(parsed);
  const auto next = make_reoffer(*parsed, media_direction::sendonly);
  EXPECT_EQ(next.media[0].attributes,
            (std::vector<attribute>{{"rtpmap", "0 PCMU/8000"}, {"sendonly", std::nullopt}}));
  parsed->media[0].attributes.resize(1);
  const auto added = make_reoffer(*parsed, media_direction::inactive);
  EXPECT_EQ(added.media[0].attributes.back(), (attribute{"inactive", std::nullopt}));
}

TEST(sdp_offer, check_capabilities) {
  EXPECT_FALSE(check_capabilities(test_caps()));
  EXPECT_FALSE(check_capabilities(media_capabilities{}));
  const auto bad = [](auto change) {
    auto caps = test_caps();
    change(caps);
    return check_capabilities(caps) == make_error_code(sdp_errc::bad_capabilities);
  };
  using caps_t = media_capabilities;
  EXPECT_TRUE(bad([](caps_t& c) { c.codecs.clear(); }));
  EXPECT_TRUE(bad([](caps_t& c) { c.codecs[0].payload_type = 128; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.codecs[1].payload_type = 0; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.codecs[0].encoding = "PC MU"; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.codecs[0].clock_rate = 0; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.telephone_event_payload_type = 8; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.telephone_event_payload_type = 200; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.ptime = 5; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.ptime = 200; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.username = "two words"; }));
  EXPECT_TRUE(bad([](caps_t& c) { c.rtp_address = boost::asio::ip::address_v4::any(); }));
  EXPECT_TRUE(bad(
      [](caps_t& c) { c.secondary_rtp_address = boost::asio::ip::make_address("192.0.2.11"); }));
  EXPECT_TRUE(bad([](caps_t& c) {
    c.ice_dtls = ice_dtls_parameters{"abc", "0123456789012345678901", "sha-256", "AA:BB"};
  }));
  EXPECT_TRUE(bad([](caps_t& c) {
    c.ice_dtls = ice_dtls_parameters{"abcd", "012345678901234567890", "sha-256", "AA:BB"};
  }));
  EXPECT_FALSE(bad([](caps_t& c) {
    c.secondary_rtp_address = boost::asio::ip::make_address("2001:db8::1");
    c.ice_dtls = ice_dtls_parameters{"abcd", "0123456789012345678901", "sha-256", "AA:BB"};
  }));
}

}  // namespace
}  // namespace callcenterd::sip::sdp
