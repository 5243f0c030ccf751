#pragma once

// Messages the layer writes itself rather than the TU: the ACK for a non-2xx final, CANCEL,
// 100 Trying and the responses it sends without asking the TU.

#include <string_view>

#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip::txn {

/// RFC 3261 §17.1.1.3: Request-URI, top Via, Call-ID, From and Route of the INVITE, To of the
/// response, the INVITE's CSeq number with method ACK.
sip_message build_ack(const sip_message& invite, const sip_message& response,
                      std::string_view user_agent);

/// RFC 3261 §9.1: Request-URI, top Via (only that one), Route, Call-ID, From, To and CSeq
/// number of the INVITE, method CANCEL.
sip_message build_cancel(const sip_message& invite, std::string_view user_agent);

/// 100 Trying: the request's To as it came (no tag added) and its Timestamp (§8.2.6.1).
sip_message build_trying(const sip_message& request, std::string_view server);

/// A response the layer sends on its own. A To without tag gets `to_tag` (RFC 3261 §8.2.6.2:
/// every response but 100 carries one).
sip_message build_local_response(const sip_message& request, int status, std::string_view reason,
                                 std::string_view to_tag, std::string_view server);

}  // namespace callcenterd::sip::txn
