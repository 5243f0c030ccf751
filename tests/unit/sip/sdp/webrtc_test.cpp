// A browser leg: Chromium's offer answered with audio only, and our own DTLS-SRTP offers.
#include <gtest/gtest.h>

#include "oa_test_support.hpp"

namespace callcenterd::sip::sdp {
namespace {

using namespace test;

session chromium_with(std::string_view from, std::string_view to) {
  auto text = load_fixture("chromium_webrtc.sdp");
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return parse_or_fail(text);
}

TEST(sdp_webrtc, chromium_offer_without_browser_caps_is_488) {
  auto result = answer_offer(fixture("chromium_webrtc.sdp"), test_caps(), one_port);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), make_error_code(sdp_errc::no_acceptable_media));
}

TEST(sdp_webrtc, chromium_offer_answered_with_audio_only) {
  const auto offer = fixture("chromium_webrtc.sdp");
  auto result = answer_offer(offer, browser_caps(), one_port);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(to_string(result->answer),
            "v=0\r\n"
            "o=callcenterd 777 0 IN IP6 2001:db8::10\r\n"
            "s=callcenterd\r\n"
            "c=IN IP6 2001:db8::10\r\n"
            "t=0 0\r\n"
            "a=ice-lite\r\n"
            "a=group:BUNDLE 0\r\n"
            "m=audio 40000 UDP/TLS/RTP/SAVPF 0 126\r\n"
            "a=mid:0\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:126 telephone-event/8000\r\n"
            "a=fmtp:126 0-15\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n"
            "a=rtcp-mux\r\n"
            "a=ice-ufrag:srv1\r\n"
            "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
            "a=fingerprint:sha-256 01:23:45:67:89:AB:CD:EF\r\n"
            "a=setup:passive\r\n"
            "a=candidate:1 1 udp 2130706431 2001:db8::10 40000 typ host\r\n"
            "a=end-of-candidates\r\n"
            "m=video 0 UDP/TLS/RTP/SAVPF 96 97 102 103\r\n"
            "a=mid:1\r\n"
            "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            "a=mid:2\r\n");
  ASSERT_EQ(result->media.size(), 1u);
  const auto& m = result->media[0];
  EXPECT_EQ(m.codec, (rtp_format{0, "PCMU", 8000, 1}));
  EXPECT_EQ(m.telephone_event_payload_type, 126);
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_EQ(m.remote_address, boost::asio::ip::make_address("2001:db8:41::1c"));
  EXPECT_EQ(m.remote_port, 50734);
  ASSERT_TRUE(m.ice_dtls);
  EXPECT_EQ(m.ice_dtls->ice_ufrag, "Qv7H");
  EXPECT_EQ(m.ice_dtls->ice_pwd, "p3Rk9vLm2XcN8bQwZt5YhJ1d");
  EXPECT_EQ(m.ice_dtls->fingerprint_algorithm, "sha-256");
  EXPECT_EQ(m.ice_dtls->fingerprint.substr(0, 8), "6B:1F:3E");
  EXPECT_EQ(m.ice_dtls->local_role, dtls_role::server);
  EXPECT_EQ(m.ice_dtls->mid, "0");
}

TEST(sdp_webrtc, null_address_is_not_a_hold_for_ice) {
  const auto offer = chromium_with("c=IN IP6 2001:db8:41::1c", "c=IN IP4 0.0.0.0");
  auto result = answer_offer(offer, browser_caps(), one_port);
  ASSERT_TRUE(result);
  const auto& m = result->media[0];
  EXPECT_EQ(m.direction, media_direction::sendrecv);
  EXPECT_TRUE(m.remote_address.is_unspecified());
  EXPECT_TRUE(m.sends());  // the peer comes from ICE checks
  EXPECT_EQ(result->answer.conn->address, "192.0.2.10");
}

TEST(sdp_webrtc, dtls_role_follows_the_offer_and_never_flips) {
  const auto role = [](std::string_view setup, std::optional<dtls_role> current) {
    answer_options options;
    options.current_dtls_role = current;
    auto result =
        answer_offer(chromium_with("a=setup:actpass", setup), browser_caps(), one_port, options);
    return result ? std::optional(result->media[0].ice_dtls->local_role) : std::nullopt;
  };
  EXPECT_EQ(role("a=setup:actpass", std::nullopt), dtls_role::server);
  EXPECT_EQ(role("a=setup:actpass", dtls_role::client), dtls_role::client);
  EXPECT_EQ(role("a=setup:active", std::nullopt), dtls_role::server);
  EXPECT_EQ(role("a=setup:passive", std::nullopt), dtls_role::client);
  EXPECT_EQ(role("a=setup:passive", dtls_role::server), std::nullopt);
  EXPECT_EQ(role("a=setup:active", dtls_role::client), std::nullopt);
  EXPECT_EQ(role("a=setup:holdconn", std::nullopt), std::nullopt);

  auto client =
      answer_offer(chromium_with("a=setup:actpass", "a=setup:passive"), browser_caps(), one_port);
  ASSERT_TRUE(client);
  EXPECT_EQ(find_attribute(client->answer.media[0].attributes, "setup"), "active");
}

TEST(sdp_webrtc, missing_ice_or_dtls_attributes_refuse_the_stream) {
  const std::pair<const char*, const char*> removals[] = {{"a=ice-pwd:", "a=x-removed:"},
                                                          {"a=ice-ufrag:", "a=x-removed:"},
                                                          {"a=fingerprint:", "a=x-removed:"},
                                                          {"a=setup:", "a=x-removed:"},
                                                          {"a=rtcp-mux\n", "a=x-removed\n"}};
  for (const auto& [removed, replacement] : removals) {
    SCOPED_TRACE(removed);
    const auto offer = chromium_with(removed, replacement);
    auto result = answer_offer(offer, browser_caps(), one_port);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), make_error_code(sdp_errc::no_acceptable_media));
  }
}

TEST(sdp_webrtc, session_level_credentials_count) {
  const auto offer = parse_or_fail(
      "v=0\r\no=- 1 1 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\n"
      "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n"
      "a=fingerprint:sha-256 AA:BB\r\na=setup:actpass\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVP 8\r\na=rtcp-mux\r\n");
  auto result = answer_offer(offer, browser_caps(), one_port);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->media[0].ice_dtls->ice_ufrag, "abcd");
  EXPECT_FALSE(result->media[0].ice_dtls->mid);
  EXPECT_FALSE(find_attribute(result->answer.attributes, "group"));
}

TEST(sdp_webrtc, our_browser_offer_round_trip) {
  const auto offer = make_offer(browser_caps(), 40000);
  EXPECT_EQ(offer.media[0].proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_TRUE(find_attribute(offer.attributes, "ice-lite"));
  EXPECT_EQ(find_attribute(offer.media[0].attributes, "setup"), "actpass");
  EXPECT_EQ(find_attribute(offer.media[0].attributes, "candidate"),
            "1 1 udp 2130706431 192.0.2.10 40000 typ host");

  // The browser side, played by a second set of caps, answers; we read its answer.
  auto browser = browser_caps();
  browser.rtp_address = boost::asio::ip::make_address("192.0.2.99");
  browser.ice_dtls->ice_ufrag = "brws";
  auto answered = answer_offer(offer, browser, one_port);
  ASSERT_TRUE(answered);
  auto result = apply_answer(offer, answered->answer);
  ASSERT_TRUE(result) << result.error().message();
  const auto& m = (*result)[0];
  ASSERT_TRUE(m.ice_dtls);
  EXPECT_EQ(m.ice_dtls->ice_ufrag, "brws");
  EXPECT_EQ(m.ice_dtls->local_role, dtls_role::client);  // they answered passive
  EXPECT_EQ(m.ice_dtls->mid, "0");
  EXPECT_TRUE(m.rtcp_mux);

  // Their setup must be active or passive.
  auto bad = answered->answer;
  for (auto& a : bad.media[0].attributes) {
    if (a.name == "setup") a.value = "actpass";
  }
  EXPECT_EQ(apply_answer(offer, bad).error(), make_error_code(sdp_errc::bad_ice_dtls));
  std::erase_if(bad.media[0].attributes, [](const attribute& a) { return a.name == "ice-pwd"; });
  EXPECT_EQ(apply_answer(offer, bad).error(), make_error_code(sdp_errc::bad_ice_dtls));
}

TEST(sdp_webrtc, reoffer_goes_back_to_actpass) {
  auto answered = answer_offer(fixture("chromium_webrtc.sdp"), browser_caps(), one_port);
  ASSERT_TRUE(answered);
  const auto hold = make_reoffer(answered->answer, media_direction::sendonly);
  EXPECT_EQ(find_attribute(hold.media[0].attributes, "setup"), "actpass");
  EXPECT_EQ(direction(hold, hold.media[0]), media_direction::sendonly);
  EXPECT_EQ(hold.orig.session_version, 1u);
  EXPECT_EQ(hold.media[1].port, 0);
  EXPECT_EQ(find_attribute(hold.media[1].attributes, "setup"), std::nullopt);
}

}  // namespace
}  // namespace callcenterd::sip::sdp
