#include <gtest/gtest.h>

#include "oa_test_support.hpp"

namespace callcenterd::sip::sdp {
namespace {

using namespace test;

const session& our_offer() {
  static const session offer = make_offer(test_caps(), 40000);
  return offer;
}

/// An answer to our_offer() with the given m= section (after c=IN IP4 192.0.2.77).
session answer_with(const std::string& media_lines) {
  return parse_or_fail(
      "v=0\r\no=peer 9 9 IN IP4 192.0.2.77\r\ns=-\r\nc=IN IP4 192.0.2.77\r\n"
      "t=0 0\r\n" +
      media_lines);
}

boost::system::error_code apply_error(const session& offer, const session& answer) {
  auto result = apply_answer(offer, answer);
  return result ? boost::system::error_code{} : result.error();
}

TEST(sdp_apply_answer, agent_phone_answer) {
  auto result = apply_answer(our_offer(), fixture("answer_pcma.sdp"));
  ASSERT_TRUE(result) << result.error().message();
  ASSERT_EQ(result->size(), 1u);
  const auto& m = (*result)[0];
  EXPECT_EQ(m.index, 0u);
  EXPECT_EQ(m.local_port, 40000);
  EXPECT_EQ(m.remote_address, boost::asio::ip::make_address("192.0.2.77"));
  EXPECT_EQ(m.remote_port, 20000);
  EXPECT_EQ(m.codec, (rtp_format{8, "PCMA", 8000, 1}));
  EXPECT_EQ(m.telephone_event_payload_type, 101);
  EXPECT_EQ(m.direction, media_direction::sendrecv);
  EXPECT_EQ(m.ptime, 20u);
  EXPECT_FALSE(m.rtcp_mux);  // offered, not accepted
  EXPECT_TRUE(m.sends());
}

TEST(sdp_apply_answer, payload_types_are_the_answerers) {
  auto result = apply_answer(our_offer(), answer_with("m=audio 20000 RTP/AVP 0 100\r\n"
                                                      "a=rtpmap:100 telephone-event/8000\r\n"
                                                      "a=rtcp-mux\r\na=ptime:30\r\n"));
  ASSERT_TRUE(result);
  EXPECT_EQ((*result)[0].codec, (rtp_format{0, "PCMU", 8000, 1}));
  EXPECT_EQ((*result)[0].telephone_event_payload_type, 100);
  EXPECT_TRUE((*result)[0].rtcp_mux);
  EXPECT_EQ((*result)[0].ptime, 30u);
}

TEST(sdp_apply_answer, the_answerers_preference_wins_and_unknown_codecs_are_skipped) {
  auto result = apply_answer(our_offer(), answer_with("m=audio 20000 RTP/AVP 18 8 0\r\n"));
  ASSERT_TRUE(result);
  EXPECT_EQ((*result)[0].codec.encoding, "PCMA");
  EXPECT_FALSE((*result)[0].telephone_event_payload_type);
}

TEST(sdp_apply_answer, codec_must_have_been_offered) {
  EXPECT_EQ(apply_error(our_offer(), answer_with("m=audio 20000 RTP/AVP 18\r\n")),
            make_error_code(sdp_errc::answer_codec_not_offered));
  EXPECT_EQ(apply_error(our_offer(), answer_with("m=audio 20000 RTP/AVP 101\r\n"
                                                 "a=rtpmap:101 telephone-event/8000\r\n")),
            make_error_code(sdp_errc::answer_codec_not_offered));
  EXPECT_EQ(apply_error(our_offer(), answer_with("m=audio 20000 RTP/AVP 96\r\n"
                                                 "a=rtpmap:96 PCMU/16000\r\n")),
            make_error_code(sdp_errc::answer_codec_not_offered));
}

TEST(sdp_apply_answer, m_lines_must_match_the_offer) {
  const auto mismatch = make_error_code(sdp_errc::answer_mismatch);
  EXPECT_EQ(apply_error(our_offer(), answer_with("")), mismatch);
  EXPECT_EQ(apply_error(our_offer(), answer_with("m=audio 20000 RTP/AVP 0\r\n"
                                                 "m=video 0 RTP/AVP 96\r\n")),
            mismatch);
  EXPECT_EQ(apply_error(our_offer(), answer_with("m=video 20000 RTP/AVP 0\r\n")), mismatch);
  EXPECT_EQ(apply_error(our_offer(), answer_with("m=audio 20000 RTP/SAVP 0\r\n")), mismatch);
  // Accepting what the offer had already refused.
  auto offer = our_offer();
  media_description video;
  video.media = "video";
  video.formats = {"96"};
  offer.media.push_back(video);
  EXPECT_EQ(apply_error(offer, answer_with("m=audio 20000 RTP/AVP 0\r\n"
                                           "m=video 30000 RTP/AVP 96\r\n")),
            mismatch);
  EXPECT_FALSE(apply_error(offer, answer_with("m=audio 20000 RTP/AVP 0\r\n"
                                              "m=video 0 RTP/AVP 96\r\n")));
}

TEST(sdp_apply_answer, everything_refused) {
  EXPECT_EQ(apply_error(our_offer(), answer_with("m=audio 0 RTP/AVP 0\r\n")),
            make_error_code(sdp_errc::no_acceptable_media));
}

TEST(sdp_apply_answer, direction_from_both_sides) {
  const auto ours = [](media_direction offered, const std::string& answer_direction) {
    const auto offer = make_offer(test_caps(), 40000, offered);
    auto result =
        apply_answer(offer, answer_with("m=audio 20000 RTP/AVP 0\r\n" + answer_direction));
    EXPECT_TRUE(result);
    return result ? (*result)[0].direction : media_direction::sendrecv;
  };
  using enum media_direction;
  EXPECT_EQ(ours(sendrecv, ""), sendrecv);
  EXPECT_EQ(ours(sendrecv, "a=recvonly\r\n"), sendonly);
  EXPECT_EQ(ours(sendrecv, "a=sendonly\r\n"), recvonly);
  EXPECT_EQ(ours(sendrecv, "a=inactive\r\n"), inactive);
  EXPECT_EQ(ours(sendonly, "a=recvonly\r\n"), sendonly);  // our hold, answered properly
  EXPECT_EQ(ours(sendonly, "a=sendrecv\r\n"), sendonly);  // sloppy answerer, still a hold
  EXPECT_EQ(ours(inactive, "a=inactive\r\n"), inactive);
  EXPECT_EQ(ours(recvonly, "a=sendonly\r\n"), recvonly);
}

TEST(sdp_apply_answer, null_address_answer_means_do_not_send) {
  auto result = apply_answer(our_offer(), parse_or_fail("v=0\r\no=p 1 1 IN IP4 a\r\ns=-\r\n"
                                                        "c=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                                                        "m=audio 20000 RTP/AVP 0\r\n"));
  ASSERT_TRUE(result);
  EXPECT_EQ((*result)[0].direction, media_direction::recvonly);
  EXPECT_FALSE((*result)[0].sends());
}

TEST(sdp_apply_answer, host_names_are_unusable) {
  EXPECT_EQ(apply_error(our_offer(), answer_with("m=audio 20000 RTP/AVP 0\r\n"
                                                 "c=IN IP4 phone.example.com\r\n")),
            make_error_code(sdp_errc::unusable_address));
}

TEST(sdp_apply_answer, ipv6_answer) {
  auto result = apply_answer(our_offer(), fixture("trunk_ipv6.sdp"));
  ASSERT_TRUE(result);
  EXPECT_EQ((*result)[0].remote_address, boost::asio::ip::make_address("2001:db8:5::20"));
  EXPECT_EQ((*result)[0].telephone_event_payload_type, 96);
  EXPECT_EQ((*result)[0].ptime, 30u);
}

TEST(sdp_apply_answer, our_offer_answered_by_ourselves) {
  auto caps_b = test_caps();
  caps_b.rtp_address = boost::asio::ip::make_address("192.0.2.20");
  caps_b.codecs = {{"PCMA", 8000, 8, 1}};
  const auto answered = answer_offer(our_offer(), caps_b, one_port);
  ASSERT_TRUE(answered);
  auto result = apply_answer(our_offer(), answered->answer);
  ASSERT_TRUE(result);
  const auto& m = (*result)[0];
  EXPECT_EQ(m.codec, answered->media[0].codec);
  EXPECT_EQ(m.remote_address, caps_b.rtp_address);
  EXPECT_EQ(m.remote_port, 40000);
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_TRUE(answered->media[0].rtcp_mux);
}

}  // namespace
}  // namespace callcenterd::sip::sdp
