#include <gtest/gtest.h>

#include "callcenterd/call/media_session.hpp"
#include "callcenterd/sip/offer_answer.hpp"
#include "callcenterd/sip/sdp.hpp"

namespace callcenterd::call {
namespace {

namespace sdp = sip::sdp;

std::unique_ptr<media_session> make_session() {
  static boost::asio::io_context io;
  return make_signaling_only_media_factory()->create(boost::asio::make_strand(io), {});
}

constexpr std::string_view offer =
    "v=0\r\n"
    "o=alice 1 1 IN IP4 192.0.2.7\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.7\r\n"
    "t=0 0\r\n"
    "m=audio 4000 RTP/AVP 8 0 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n";

TEST(signaling_only_media, a_local_answer_accepts_the_codec_but_carries_no_media) {
  auto session = make_session();
  const auto answer = session->answer_locally(leg_side::caller, offer);
  ASSERT_TRUE(answer);
  const auto parsed = sdp::parse_sdp(*answer);
  ASSERT_TRUE(parsed) << *answer;
  ASSERT_EQ(parsed->media.size(), 1U);
  EXPECT_EQ(parsed->media[0].port, 9);
  EXPECT_EQ(sdp::direction(*parsed, parsed->media[0]), sdp::media_direction::inactive);
  EXPECT_EQ(sdp::payload_types(parsed->media[0]).front(), 8) << "the offerer's first codec";
  // The next answer in the dialog keeps the o= id and raises its version (RFC 3264 §8).
  const auto again = sdp::parse_sdp(*session->answer_locally(leg_side::caller, offer));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->orig.session_id, parsed->orig.session_id);
  EXPECT_EQ(again->orig.session_version, parsed->orig.session_version + 1);
}

TEST(signaling_only_media, an_invite_without_sdp_gets_an_inactive_offer) {
  auto session = make_session();
  const auto ours = session->answer_locally(leg_side::caller, "");
  ASSERT_TRUE(ours);
  const auto parsed = sdp::parse_sdp(*ours);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(sdp::direction(*parsed, parsed->media.at(0)), sdp::media_direction::inactive);
}

TEST(signaling_only_media, unacceptable_offers_fail_and_bridged_sdp_passes_unchanged) {
  auto session = make_session();
  EXPECT_FALSE(session->answer_locally(leg_side::caller, "v=0\r\nnonsense\r\n"));
  const std::string video_only =
      "v=0\r\no=a 1 1 IN IP4 192.0.2.7\r\ns=-\r\nc=IN IP4 192.0.2.7\r\nt=0 0\r\n"
      "m=video 4000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n";
  EXPECT_FALSE(session->answer_locally(leg_side::caller, video_only));
  EXPECT_EQ(*session->relay_offer(leg_side::caller, offer), offer);
  EXPECT_EQ(*session->relay_answer(leg_side::callee, offer), offer);
}

}  // namespace
}  // namespace callcenterd::call
