#pragma once

#include <string_view>

#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip::ua_detail {

/// A response to `request` (make_response) with a To tag of ours when the request had none
/// (RFC 3261 §8.2.6.2) and, when `server` is not empty, a Server header. Any strand.
sip_message make_reply(const sip_message& request, int status, std::string_view reason,
                       std::string_view server);

}  // namespace callcenterd::sip::ua_detail
