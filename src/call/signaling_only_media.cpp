#include <array>
#include <optional>

#include "callcenterd/call/media_session.hpp"
#include "callcenterd/sip/offer_answer.hpp"

namespace callcenterd::call {

namespace {

namespace sdp = sip::sdp;

// RFC 4145 uses port 9 (discard) for "no media will be received here"; with a=inactive the
// peer neither sends nor expects RTP, which is the truth until the media engine runs.
constexpr std::uint16_t no_media_port = 9;

class signaling_only_session final : public media_session {
 public:
  boost::system::result<std::string> answer_locally(leg_side side,
                                                    std::string_view offer) override {
    auto& last = last_[side == leg_side::caller ? 0 : 1];
    if (offer.empty()) {
      last = last ? sdp::make_reoffer(*last, sdp::media_direction::inactive)
                  : sdp::make_offer(caps_, no_media_port, sdp::media_direction::inactive);
      return sdp::to_string(*last);
    }
    auto parsed = sdp::parse_sdp(offer);
    if (!parsed) return parsed.error();
    const std::array<std::uint16_t, 4> ports{no_media_port, no_media_port, no_media_port,
                                             no_media_port};
    sdp::answer_options options;
    options.direction = sdp::media_direction::inactive;
    // A later answer in the same dialog keeps our o= id and raises its version (RFC 3264 §8).
    if (last) options.previous_origin = last->orig;
    auto answer = sdp::answer_offer(*parsed, caps_, ports, options);
    if (!answer) return answer.error();
    last = answer->answer;
    return sdp::to_string(*last);
  }

  boost::system::result<std::string> relay_offer(leg_side, std::string_view offer) override {
    return std::string(offer);
  }

  boost::system::result<std::string> relay_answer(leg_side, std::string_view answer) override {
    return std::string(answer);
  }

  void close() override {}

 private:
  sdp::media_capabilities caps_;
  // Our last session description per leg, for the o= line of later answers and offers.
  std::array<std::optional<sdp::session>, 2> last_;
};

class signaling_only_factory final : public media_factory {
 public:
  std::unique_ptr<media_session> create(strand_type /*strand*/,
                                        const media_call_info& /*info*/) override {
    return std::make_unique<signaling_only_session>();
  }
};

}  // namespace

std::unique_ptr<media_factory> make_signaling_only_media_factory() {
  return std::make_unique<signaling_only_factory>();
}

}  // namespace callcenterd::call
