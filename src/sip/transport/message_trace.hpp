#pragma once

#include <string_view>

#include "callcenterd/sip/flow.hpp"

namespace callcenterd::sip::transport_detail {

// Logs one message going in or out when tracing is on: a summary at debug level, the whole
// text at trace level. Cheap when off or when the logger's level hides both. Any thread.
void trace_message(bool enabled, std::string_view direction, const flow& peer,
                   std::string_view bytes);

}  // namespace callcenterd::sip::transport_detail
