#pragma once

#include <string_view>

#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip {

/// Builds a response to `request` (RFC 3261 §8.2.6): every Via value in order, From, To,
/// Call-ID and CSeq are copied. No To tag is added (the TU adds its own) and no Record-Route
/// is copied (the B2BUA never record-routes). An empty `reason` takes the default phrase of
/// default_reason_phrase(). Pure function; callable from any strand.
sip_message make_response(const sip_message& request, int status, std::string_view reason = {});

/// The RFC 3261 §21 reason phrase for `status` (and the common extension codes); for a code
/// it does not know, a phrase naming its class ("Client Error" for 4xx, ...). Any strand.
std::string_view default_reason_phrase(int status);

}  // namespace callcenterd::sip
