#include "callcenterd/call/anchored_media.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>

#include "callcenterd/sip/offer_answer.hpp"
#include "callcenterd/sip/sdp.hpp"

namespace callcenterd::call {
namespace {

namespace sdp = sip::sdp;
using namespace std::chrono_literals;

std::string offer_from(const std::string& who, int port, const std::string& codecs,
                       const std::string& extra = "") {
  return "v=0\r\no=" + who + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
         "m=audio " + std::to_string(port) + " RTP/AVP " + codecs + "\r\n" + extra;
}

sdp::media_description audio_of(const std::string& text) {
  auto parsed = sdp::parse_sdp(text);
  EXPECT_TRUE(parsed) << text;
  return parsed->media.at(0);
}

class anchored_media_test : public ::testing::Test {
 protected:
  anchored_media_test() : engine_(engine_settings()) {
    anchored_media_settings settings;
    settings.capabilities.rtp_address = boost::asio::ip::make_address("127.0.0.1");
    factory_ = make_anchored_media_factory(engine_, settings, nullptr, {});
    session_ = factory_->create(boost::asio::make_strand(io_),
                                {.call_uuid = "uuid", .sip_call_id = "call-id", .record = false});
  }
  ~anchored_media_test() override { session_->close(); }

  static media::media_engine_settings engine_settings() {
    media::media_engine_settings s;
    s.address = boost::asio::ip::make_address("127.0.0.1");
    s.first_port = 43000;
    s.last_port = 43099;
    return s;
  }

  boost::asio::io_context io_;
  media::media_engine engine_;
  std::unique_ptr<media_factory> factory_;
  std::unique_ptr<media_session> session_;
};

TEST_F(anchored_media_test, each_leg_sees_our_ports_and_codecs_not_the_other_legs) {
  const auto caller_offer = offer_from("caller", 4000, "8");
  const auto to_callee = session_->relay_offer(leg_side::caller, caller_offer);
  ASSERT_TRUE(to_callee);
  const auto offered = audio_of(*to_callee);
  EXPECT_NE(offered.port, 4000) << "our own port, not the caller's";
  EXPECT_GE(offered.port, 43000);
  EXPECT_EQ(sdp::payload_types(offered), (std::vector<std::uint8_t>{0, 8, 101}))
      << "the callee may choose any codec we know, whatever the caller chose";
  EXPECT_FALSE(sdp::find_attribute(offered.attributes, "rtcp-mux"))
      << "each leg has its own RTCP port";

  const auto to_caller = session_->relay_answer(
      leg_side::caller,
      offer_from("callee", 5000, "0 101", "a=rtpmap:101 telephone-event/8000\r\n"));
  ASSERT_TRUE(to_caller);
  const auto answered = audio_of(*to_caller);
  EXPECT_NE(answered.port, offered.port) << "a port pair per leg";
  EXPECT_EQ(sdp::payload_types(answered), std::vector<std::uint8_t>{8})
      << "the caller keeps PCMA; the bridge transcodes";
  EXPECT_EQ(engine_.ports().in_use(), 2U);
  // A 183 and then the 2xx carry one answer: the same text twice.
  const auto again = session_->relay_answer(leg_side::caller, offer_from("callee", 5000, "0"));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *to_caller);
  session_->close();
  EXPECT_EQ(engine_.ports().in_use(), 0U);
}

TEST_F(anchored_media_test, a_caller_without_an_offer_gets_ours_and_answers_in_the_ack) {
  const auto to_callee = session_->relay_offer(leg_side::caller, "");
  ASSERT_TRUE(to_callee);
  const auto to_caller = session_->relay_answer(leg_side::caller, offer_from("callee", 5000, "0"));
  ASSERT_TRUE(to_caller);
  EXPECT_EQ(sdp::direction(*sdp::parse_sdp(*to_caller), audio_of(*to_caller)),
            sdp::media_direction::sendrecv);
  EXPECT_EQ(sdp::payload_types(audio_of(*to_caller)), (std::vector<std::uint8_t>{0, 8, 101}))
      << "an offer, not an answer";
  session_->accept_answer(leg_side::caller, offer_from("caller", 4000, "8"));
}

TEST_F(anchored_media_test,
       the_same_offer_again_keeps_its_answer_and_a_new_one_gets_a_new_version) {
  const auto offer = offer_from("caller", 4000, "0");
  const auto first = session_->answer_locally(leg_side::caller, offer);
  ASSERT_TRUE(first);
  const auto hold =
      session_->answer_locally(leg_side::caller, offer_from("caller", 4000, "0", "a=sendonly\r\n"));
  ASSERT_TRUE(hold);
  const auto held = sdp::parse_sdp(*hold);
  EXPECT_EQ(held->orig.session_version, sdp::parse_sdp(*first)->orig.session_version + 1);
  EXPECT_EQ(held->orig.session_id, sdp::parse_sdp(*first)->orig.session_id);
  EXPECT_EQ(sdp::direction(*held, held->media[0]), sdp::media_direction::recvonly);
}

TEST_F(anchored_media_test, an_offer_without_usable_audio_is_refused) {
  EXPECT_FALSE(session_->answer_locally(leg_side::caller, offer_from("caller", 4000, "18")));
  EXPECT_FALSE(session_->answer_locally(leg_side::caller, "not sdp"));
}

}  // namespace
}  // namespace callcenterd::call
