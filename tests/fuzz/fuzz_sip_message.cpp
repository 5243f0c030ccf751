// libFuzzer target: arbitrary bytes through the SIP parser and the stream framer. Neither
// may crash, hang or read out of bounds; the serialized form of a parsed message must parse
// again and be a fixed point of parse + serialize; a framed message must lie inside the
// buffer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "callcenterd/sip/parser.hpp"

namespace sip = callcenterd::sip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  if (auto parsed = sip::parse_message(bytes)) {
    // Serializing may add a Content-Length header and write compact names in full, so the
    // re-parse allows for that growth; everything else must come back unchanged.
    const sip::parse_limits defaults;
    sip::parse_limits grown;
    grown.max_headers = defaults.max_headers + 1;
    grown.max_message_size = defaults.max_message_size * 2;
    grown.max_header_line = defaults.max_header_line * 2;
    const auto text = sip::to_string(*parsed);
    auto again = sip::parse_message(text, grown);
    if (!again || sip::to_string(*again) != text) std::abort();  // serializer and parser disagree
  }

  if (auto framed = sip::frame_message(bytes)) {
    if (framed->skipped > size) std::abort();
    if (framed->what == sip::frame_result::kind::message && framed->skipped + framed->size > size) {
      std::abort();
    }
  }
  return 0;
}
