#include <gtest/gtest.h>

#include "oa_test_support.hpp"

namespace callcenterd::sip::sdp {
namespace {

using namespace test;

answer_result answer_ok(const session& offer, const media_capabilities& caps = test_caps(),
                        std::span<const std::uint16_t> ports = one_port,
                        const answer_options& options = {}) {
  auto result = answer_offer(offer, caps, ports, options);
  EXPECT_TRUE(result) << (result ? "" : result.error().message());
  if (!result) return {};
  // Whatever we answer must parse back to itself.
  auto reparsed = parse_sdp(to_string(result->answer));
  EXPECT_TRUE(reparsed);
  if (reparsed) {
    EXPECT_EQ(*reparsed, result->answer);
  }
  return *result;
}

boost::system::error_code answer_error(const session& offer,
                                       const media_capabilities& caps = test_caps(),
                                       std::span<const std::uint16_t> ports = one_port) {
  auto result = answer_offer(offer, caps, ports);
  return result ? boost::system::error_code{} : result.error();
}

TEST(sdp_answer, desk_phone_offer_gets_pcmu_and_its_dtmf) {
  const auto result = answer_ok(fixture("desk_phone_g711.sdp"));
  EXPECT_EQ(to_string(result.answer),
            "v=0\r\n"
            "o=callcenterd 777 0 IN IP4 192.0.2.10\r\n"
            "s=callcenterd\r\n"
            "c=IN IP4 192.0.2.10\r\n"
            "t=0 0\r\n"
            "m=audio 40000 RTP/AVP 0 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-15\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n");
  ASSERT_EQ(result.media.size(), 1u);
  const auto& m = result.media[0];
  EXPECT_EQ(m.index, 0u);
  EXPECT_EQ(m.proto, "RTP/AVP");
  EXPECT_EQ(m.local_port, 40000);
  EXPECT_EQ(m.remote_address, boost::asio::ip::make_address("192.0.2.45"));
  EXPECT_EQ(m.remote_port, 11796);
  EXPECT_EQ(m.codec, (rtp_format{0, "PCMU", 8000, 1}));
  EXPECT_EQ(m.telephone_event_payload_type, 101);
  EXPECT_EQ(m.ptime, 20u);
  EXPECT_EQ(m.direction, media_direction::sendrecv);
  EXPECT_FALSE(m.rtcp_mux);
  EXPECT_FALSE(m.ice_dtls);
  EXPECT_TRUE(m.sends());
  EXPECT_TRUE(m.receives());
}

TEST(sdp_answer, offerer_order_wins_over_ours) {
  auto caps = test_caps();
  caps.codecs = {{"PCMA", 8000, 8, 1}, {"PCMU", 8000, 0, 1}};
  EXPECT_EQ(answer_ok(fixture("desk_phone_g711.sdp"), caps).media[0].codec.encoding, "PCMU");
  const auto pcma_first = offer_with("m=audio 5000 RTP/AVP 8 0\r\n");
  EXPECT_EQ(answer_ok(pcma_first).media[0].codec, (rtp_format{8, "PCMA", 8000, 1}));
  // Codecs we lack are skipped: opus and G722 come first in baresip's offer.
  const auto baresip = answer_ok(fixture("baresip_offer.sdp"));
  EXPECT_EQ(baresip.media[0].codec, (rtp_format{0, "PCMU", 8000, 1}));
  EXPECT_EQ(baresip.answer.media[0].formats, (std::vector<std::string>{"0", "101"}));
}

TEST(sdp_answer, codec_names_match_case_insensitively_under_the_offerers_numbers) {
  const auto offer = offer_with(
      "m=audio 5000 RTP/AVP 97 98\r\na=rtpmap:97 pcma/8000\r\n"
      "a=rtpmap:98 TELEPHONE-EVENT/8000\r\n");
  const auto result = answer_ok(offer);
  EXPECT_EQ(result.media[0].codec, (rtp_format{97, "PCMA", 8000, 1}));
  EXPECT_EQ(result.media[0].telephone_event_payload_type, 98);
  EXPECT_EQ(find_rtpmap(result.answer.media[0], 97), (rtp_format{97, "PCMA", 8000, 1}));
}

TEST(sdp_answer, clock_rate_and_channels_must_match) {
  EXPECT_EQ(answer_error(offer_with("m=audio 5000 RTP/AVP 96\r\na=rtpmap:96 PCMU/16000\r\n")),
            make_error_code(sdp_errc::no_acceptable_media));
  EXPECT_EQ(answer_error(offer_with("m=audio 5000 RTP/AVP 96\r\na=rtpmap:96 PCMU/8000/2\r\n")),
            make_error_code(sdp_errc::no_acceptable_media));
}

TEST(sdp_answer, no_common_codec_is_488) {
  auto caps = test_caps();
  caps.codecs = {{"PCMA", 8000, 8, 1}};
  EXPECT_EQ(answer_error(fixture("sipp_default.sdp"), caps),
            make_error_code(sdp_errc::no_acceptable_media));
  // telephone-event alone is not a codec.
  EXPECT_EQ(answer_error(offer_with("m=audio 5000 RTP/AVP 101\r\n"
                                    "a=rtpmap:101 telephone-event/8000\r\n")),
            make_error_code(sdp_errc::no_acceptable_media));
}

TEST(sdp_answer, dtmf_payload_type_follows_the_offer) {
  const auto trunk = answer_ok(fixture("trunk_ipv6.sdp"));
  EXPECT_EQ(trunk.media[0].telephone_event_payload_type, 96);
  EXPECT_EQ(trunk.answer.media[0].formats, (std::vector<std::string>{"8", "96"}));
  EXPECT_EQ(find_fmtp(trunk.answer.media[0], 96), "0-15");

  const auto sipp = answer_ok(fixture("sipp_default.sdp"));
  EXPECT_FALSE(sipp.media[0].telephone_event_payload_type);
  EXPECT_EQ(sipp.answer.media[0].formats, (std::vector<std::string>{"0"}));

  auto no_dtmf = test_caps();
  no_dtmf.telephone_event_payload_type = std::nullopt;
  const auto off = answer_ok(fixture("desk_phone_g711.sdp"), no_dtmf);
  EXPECT_FALSE(off.media[0].telephone_event_payload_type);
  EXPECT_EQ(off.answer.media[0].formats, (std::vector<std::string>{"0"}));

  // Only telephone-event at the codec's clock rate goes with it.
  const auto wide = offer_with(
      "m=audio 5000 RTP/AVP 0 110 126\r\n"
      "a=rtpmap:110 telephone-event/48000\r\n"
      "a=rtpmap:126 telephone-event/8000\r\n");
  EXPECT_EQ(answer_ok(wide).media[0].telephone_event_payload_type, 126);
  const auto only_wide = offer_with(
      "m=audio 5000 RTP/AVP 0 110\r\n"
      "a=rtpmap:110 telephone-event/48000\r\n");
  EXPECT_FALSE(answer_ok(only_wide).media[0].telephone_event_payload_type);
}

TEST(sdp_answer, direction_is_the_complement_of_the_offer) {
  const auto hold = answer_ok(fixture("hold_sendonly.sdp"));
  EXPECT_EQ(hold.media[0].direction, media_direction::recvonly);
  EXPECT_EQ(direction(hold.answer, hold.answer.media[0]), media_direction::recvonly);
  EXPECT_FALSE(hold.media[0].sends());
  EXPECT_TRUE(hold.media[0].receives());

  const auto inactive = answer_ok(fixture("hold_inactive.sdp"));
  EXPECT_EQ(inactive.media[0].direction, media_direction::inactive);
  EXPECT_FALSE(inactive.media[0].sends());
  EXPECT_FALSE(inactive.media[0].receives());

  const auto recvonly = answer_ok(offer_with("m=audio 5000 RTP/AVP 0\r\na=recvonly\r\n"));
  EXPECT_EQ(recvonly.media[0].direction, media_direction::sendonly);
  EXPECT_TRUE(recvonly.media[0].sends());
  EXPECT_FALSE(recvonly.media[0].receives());

  const auto session_level = answer_ok(offer_with("a=sendonly\r\nm=audio 5000 RTP/AVP 0\r\n"));
  EXPECT_EQ(session_level.media[0].direction, media_direction::recvonly);
}

TEST(sdp_answer, our_wish_is_intersected) {
  const auto offer = fixture("desk_phone_g711.sdp");
  const auto held = fixture("hold_sendonly.sdp");
  const auto ask = [](const session& o, media_direction wish) {
    answer_options options;
    options.direction = wish;
    return answer_ok(o, test_caps(), one_port, options).media[0].direction;
  };
  EXPECT_EQ(ask(offer, media_direction::sendonly), media_direction::sendonly);
  EXPECT_EQ(ask(offer, media_direction::recvonly), media_direction::recvonly);
  EXPECT_EQ(ask(offer, media_direction::inactive), media_direction::inactive);
  EXPECT_EQ(ask(held, media_direction::sendonly), media_direction::inactive);
  EXPECT_EQ(ask(held, media_direction::sendrecv), media_direction::recvonly);
}

TEST(sdp_answer, rfc2543_hold_with_null_address) {
  const auto result = answer_ok(fixture("hold_rfc2543.sdp"));
  const auto& m = result.media[0];
  EXPECT_TRUE(m.remote_address.is_unspecified());
  EXPECT_EQ(m.direction, media_direction::recvonly);
  EXPECT_FALSE(m.sends());
  EXPECT_EQ(m.codec.encoding, "PCMA");
  // The answer still carries our real address.
  EXPECT_EQ(result.answer.conn->address, "192.0.2.10");
  // recvonly at 0.0.0.0 leaves nothing to do either way.
  const auto recvonly_null = parse_or_fail(
      "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
      "m=audio 5000 RTP/AVP 0\r\na=recvonly\r\n");
  EXPECT_EQ(answer_ok(recvonly_null).media[0].direction, media_direction::inactive);
}

TEST(sdp_answer, video_is_refused_with_port_zero_in_place) {
  const auto result = answer_ok(fixture("audio_video_phone.sdp"));
  ASSERT_EQ(result.answer.media.size(), 2u);
  ASSERT_EQ(result.media.size(), 1u);
  EXPECT_EQ(result.media[0].codec.encoding, "PCMU");
  EXPECT_TRUE(result.media[0].rtcp_mux);
  EXPECT_TRUE(find_attribute(result.answer.media[0].attributes, "rtcp-mux"));
  const auto& video = result.answer.media[1];
  EXPECT_EQ(video.media, "video");
  EXPECT_EQ(video.port, 0);
  EXPECT_EQ(video.proto, "RTP/AVP");
  EXPECT_EQ(video.formats, (std::vector<std::string>{"99"}));
  EXPECT_TRUE(video.attributes.empty());

  auto no_mux = test_caps();
  no_mux.rtcp_mux = false;
  const auto plain = answer_ok(fixture("audio_video_phone.sdp"), no_mux);
  EXPECT_FALSE(plain.media[0].rtcp_mux);
  EXPECT_FALSE(find_attribute(plain.answer.media[0].attributes, "rtcp-mux"));
}

TEST(sdp_answer, one_port_per_accepted_stream) {
  const auto two_audio = offer_with("m=audio 5000 RTP/AVP 0\r\nm=audio 5002 RTP/AVP 8\r\n");
  const auto single = answer_ok(two_audio);
  ASSERT_EQ(single.media.size(), 1u);
  EXPECT_EQ(single.answer.media[1].port, 0);

  const std::array<std::uint16_t, 2> ports{40000, 40002};
  const auto both = answer_ok(two_audio, test_caps(), ports);
  ASSERT_EQ(both.media.size(), 2u);
  EXPECT_EQ(both.media[1].index, 1u);
  EXPECT_EQ(both.media[1].local_port, 40002);
  EXPECT_EQ(both.media[1].codec.encoding, "PCMA");

  // A refused first stream does not use up a port.
  const auto after_video = offer_with("m=video 5000 RTP/AVP 96\r\nm=audio 5002 RTP/AVP 0\r\n");
  const auto skipped = answer_ok(after_video);
  EXPECT_EQ(skipped.media[0].index, 1u);
  EXPECT_EQ(skipped.media[0].local_port, 40000);

  EXPECT_EQ(answer_error(two_audio, test_caps(), {}),
            make_error_code(sdp_errc::no_acceptable_media));
}

TEST(sdp_answer, refuses_what_it_cannot_terminate) {
  const auto refused = [](const std::string& media) {
    return answer_error(offer_with(media)) == make_error_code(sdp_errc::no_acceptable_media);
  };
  EXPECT_TRUE(refused("m=audio 0 RTP/AVP 0\r\n"));
  EXPECT_TRUE(
      refused("m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
              "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"));
  EXPECT_TRUE(refused("m=audio 5000 UDP/TLS/RTP/SAVPF 0\r\n"));  // no ice_dtls caps
  EXPECT_TRUE(refused("m=image 5000 udptl t38\r\n"));
  EXPECT_TRUE(refused("m=audio 5000 RTP/AVP 0\r\nc=IN IP4 media.example.com\r\n"));
  EXPECT_TRUE(refused("m=audio 5000 RTP/AVP 0\r\nc=IN IP4 224.2.1.1/16\r\n"));
  EXPECT_TRUE(refused(""));
  EXPECT_FALSE(refused("m=audio 5000 RTP/AVPF 0\r\n"));
}

TEST(sdp_answer, ipv6_offer_gets_our_ipv6_address_when_we_have_one) {
  const auto v4_only = answer_ok(fixture("trunk_ipv6.sdp"));
  EXPECT_EQ(v4_only.answer.conn->address_type, "IP4");
  EXPECT_EQ(v4_only.media[0].remote_address, boost::asio::ip::make_address("2001:db8:5::20"));
  EXPECT_EQ(v4_only.media[0].ptime, 30u);

  auto caps = test_caps();
  caps.secondary_rtp_address = boost::asio::ip::make_address("2001:db8::10");
  const auto dual = answer_ok(fixture("trunk_ipv6.sdp"), caps);
  EXPECT_EQ(dual.answer.conn, (connection{"IN", "IP6", "2001:db8::10", {}, {}}));
  EXPECT_EQ(dual.answer.orig.address_type, "IP6");
  EXPECT_EQ(dual.answer.orig.address, "2001:db8::10");
  EXPECT_FALSE(dual.answer.media[0].conn);

  // A v4 stream after a v6 one gets its own c= line.
  const auto mixed = parse_or_fail(
      "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"
      "c=IN IP6 2001:db8::50\r\nm=audio 5002 RTP/AVP 0\r\nc=IN IP4 192.0.2.50\r\n");
  const std::array<std::uint16_t, 2> ports{40000, 40002};
  const auto both = answer_ok(mixed, caps, ports);
  EXPECT_EQ(both.answer.conn->address, "2001:db8::10");
  EXPECT_FALSE(both.answer.media[0].conn);
  ASSERT_TRUE(both.answer.media[1].conn);
  EXPECT_EQ(both.answer.media[1].conn->address, "192.0.2.10");
}

TEST(sdp_answer, ptime_we_send_is_the_offerers_when_sane) {
  EXPECT_EQ(answer_ok(offer_with("m=audio 5000 RTP/AVP 0\r\na=ptime:40\r\n")).media[0].ptime, 40u);
  EXPECT_EQ(answer_ok(offer_with("m=audio 5000 RTP/AVP 0\r\na=ptime:1\r\n")).media[0].ptime, 20u);
  EXPECT_EQ(answer_ok(offer_with("m=audio 5000 RTP/AVP 0\r\na=ptime:9999\r\n")).media[0].ptime,
            20u);
}

TEST(sdp_answer, timing_copied_and_origin_continued_in_a_dialog) {
  auto offer = offer_with("m=audio 5000 RTP/AVP 0\r\n");
  offer.timings = {timing{3034423619, 3042462419, {"7d 1h 0"}}};
  answer_options options;
  options.previous_origin = origin{"callcenterd", "4242", 6, "IN", "IP4", "192.0.2.10"};
  const auto result = answer_ok(offer, test_caps(), one_port, options);
  EXPECT_EQ(result.answer.timings, offer.timings);
  EXPECT_EQ(result.answer.orig, (origin{"callcenterd", "4242", 7, "IN", "IP4", "192.0.2.10"}));
}

TEST(sdp_answer, every_fixture_is_answered_or_refused_cleanly) {
  for (const auto& name : valid_fixture_names()) {
    SCOPED_TRACE(name);
    const auto offer = fixture(name);
    for (const auto& caps : {test_caps(), browser_caps()}) {
      auto result = answer_offer(offer, caps, one_port);
      if (!result) {
        EXPECT_EQ(result.error(), make_error_code(sdp_errc::no_acceptable_media));
        continue;
      }
      EXPECT_EQ(result->answer.media.size(), offer.media.size());
      auto read_back = apply_answer(offer, result->answer);
      ASSERT_TRUE(read_back) << read_back.error().message();
      ASSERT_EQ(read_back->size(), result->media.size());
      for (std::size_t i = 0; i < read_back->size(); ++i) {
        EXPECT_EQ((*read_back)[i].codec, result->media[i].codec);
        EXPECT_EQ((*read_back)[i].telephone_event_payload_type,
                  result->media[i].telephone_event_payload_type);
      }
    }
  }
}

}  // namespace
}  // namespace callcenterd::sip::sdp
