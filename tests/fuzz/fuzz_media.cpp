// libFuzzer target: arbitrary bytes through every parser of the media engine that meets
// network or file input: RTP, RTCP compounds, RFC 4733 payloads, SIP INFO DTMF bodies and
// WAV prompts. Nothing may crash or read out of bounds, and what parses must survive a
// write and a second parse unchanged.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "callcenterd/media/dtmf_info.hpp"
#include "callcenterd/media/rtcp_packet.hpp"
#include "callcenterd/media/rtp_packet.hpp"
#include "callcenterd/media/rtp_statistics.hpp"
#include "callcenterd/media/telephone_event.hpp"
#include "callcenterd/media/wav.hpp"

namespace media = callcenterd::media;

namespace {

void check_rtp(std::span<const std::uint8_t> bytes) {
  const auto parsed = media::parse_rtp(bytes);
  if (!parsed) return;
  // The writer emits no CSRCs or extension: what it writes back must read the same.
  auto plain = *parsed;
  plain.csrc_count = 0;
  plain.extension = false;
  plain.padding = false;
  std::array<std::uint8_t, 2048> out{};
  const auto size = media::write_rtp(plain, parsed->payload, out);
  if (size == 0) {
    if (media::rtp_fixed_header_size + parsed->payload.size() <= out.size()) std::abort();
    return;
  }
  const auto again = media::parse_rtp(std::span(out).first(size));
  if (!again || again->marker != parsed->marker || again->payload_type != parsed->payload_type ||
      again->sequence != parsed->sequence || again->timestamp != parsed->timestamp ||
      again->ssrc != parsed->ssrc || !std::ranges::equal(again->payload, parsed->payload)) {
    std::abort();
  }
  media::rtp_receive_statistics statistics;
  statistics.on_packet(*parsed, {}, 8000);
}

void check_rtcp(std::span<const std::uint8_t> bytes) {
  const auto parsed = media::parse_rtcp_compound(bytes);
  if (!parsed || !parsed->has_cname || parsed->cname_size == 0) return;
  const media::rtcp_report report{parsed->sender_ssrc, parsed->sender, parsed->report_blocks(),
                                  parsed->cname(), parsed->bye};
  std::array<std::uint8_t, 2048> out{};
  const auto size = media::write_rtcp_compound(report, out);
  if (size != media::rtcp_compound_size(report)) std::abort();
  const auto again = media::parse_rtcp_compound(std::span(out).first(size));
  if (!again || again->sender_ssrc != parsed->sender_ssrc || again->sender != parsed->sender ||
      !std::ranges::equal(again->report_blocks(), parsed->report_blocks()) ||
      again->cname() != parsed->cname() || again->bye != parsed->bye) {
    std::abort();
  }
}

void check_telephone_event(std::span<const std::uint8_t> bytes) {
  const auto parsed = media::parse_telephone_event(bytes);
  if (!parsed) return;
  std::array<std::uint8_t, media::telephone_event_size> out{};
  media::write_telephone_event(*parsed, out);
  const auto again = media::parse_telephone_event(out);
  if (!again || again->event != parsed->event || again->end != parsed->end ||
      again->duration != parsed->duration) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  static_cast<void>(media::classify(bytes));
  check_rtp(bytes);
  check_rtcp(bytes);
  check_telephone_event(bytes);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static_cast<void>(media::parse_dtmf_info("application/dtmf-relay", text));
  static_cast<void>(media::parse_dtmf_info("application/dtmf", text));
  static_cast<void>(media::parse_wav(bytes, "fuzz.wav", 1 << 20));
  return 0;
}
