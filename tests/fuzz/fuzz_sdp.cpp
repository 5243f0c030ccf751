// libFuzzer target: arbitrary bytes through the SDP parser and the offer/answer code. Nothing
// may crash, hang or read out of bounds; a parsed body must serialise to text that parses
// back to the same session and is a fixed point; an offer we answer must yield an answer
// that parses, that apply_answer() accepts with the same codecs, and that re-offers cleanly.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "callcenterd/sip/offer_answer.hpp"
#include "callcenterd/sip/sdp.hpp"

namespace sdp = callcenterd::sip::sdp;

namespace {

// The parser's size limit already counts CRLF line ends, so a parsed body re-parses under
// the same limits. Our answer to a body at the limit may be a little larger than the offer
// (codec lines, ICE attributes), hence the headroom for answers and re-offers.
sdp::sdp_limits answer_limits() {
  sdp::sdp_limits limits;
  limits.max_size *= 2;
  return limits;
}

sdp::session reparse_or_abort(const sdp::session& value, const sdp::sdp_limits& limits = {}) {
  const auto text = sdp::to_string(value);
  auto again = sdp::parse_sdp(text, limits);
  if (!again || *again != value || sdp::to_string(*again) != text) std::abort();
  return *again;
}

void check_answer(const sdp::session& offer, const sdp::media_capabilities& caps) {
  static constexpr std::array<std::uint16_t, 2> ports{40000, 40002};
  auto answered = sdp::answer_offer(offer, caps, ports);
  if (!answered) {
    if (answered.error() != sdp::sdp_errc::no_acceptable_media) std::abort();
    return;
  }
  if (answered->answer.media.size() != offer.media.size()) std::abort();
  reparse_or_abort(answered->answer, answer_limits());
  auto read_back = sdp::apply_answer(offer, answered->answer);
  if (!read_back || read_back->size() != answered->media.size()) std::abort();
  for (std::size_t i = 0; i < read_back->size(); ++i) {
    if ((*read_back)[i].codec != answered->media[i].codec) std::abort();
  }
  reparse_or_abort(sdp::make_reoffer(answered->answer, sdp::media_direction::sendonly),
                   answer_limits());
}

sdp::media_capabilities browser_caps() {
  sdp::media_capabilities caps;
  caps.ice_dtls = sdp::ice_dtls_parameters{"fuzz", "0123456789abcdefghijklmn", "sha-256",
                                           "00:11:22:33:44:55:66:77"};
  return caps;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = sdp::parse_sdp(bytes);
  if (!parsed) return 0;
  reparse_or_abort(*parsed);
  check_answer(*parsed, sdp::media_capabilities{});
  static const auto browser = browser_caps();
  check_answer(*parsed, browser);
  return 0;
}
