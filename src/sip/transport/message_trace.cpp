#include "message_trace.hpp"

#include <spdlog/spdlog.h>

namespace callcenterd::sip::transport_detail {

void trace_message(bool enabled, std::string_view direction, const flow& peer,
                   std::string_view bytes) {
  if (!enabled || !spdlog::should_log(spdlog::level::debug)) return;
  const auto first_line = bytes.substr(0, bytes.find_first_of("\r\n"));
  spdlog::debug("sip: {} {}: {} ({} bytes)", direction, to_string(peer), first_line, bytes.size());
  spdlog::trace("sip: {} {}:\n{}", direction, to_string(peer), bytes);
}

}  // namespace callcenterd::sip::transport_detail
