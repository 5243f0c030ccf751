#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/sip/flow.hpp"
#include "callcenterd/sip/message.hpp"
#include "callcenterd/sip/uri.hpp"

namespace callcenterd::sip {

/// One dialog as our side of it sees it (RFC 3261 §12): the identifiers, the peer's target
/// and route set, and both CSeq counters. A plain value owned by the call leg that holds it,
/// used on that call's strand.
struct dialog {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;              ///< empty until the peer gave one (UAC before a tagged 1xx)
  std::string local_uri;               ///< our From (UAC) or To (UAS) name-addr, tag excluded
  std::string remote_uri;              ///< the peer's, tag excluded
  sip_uri remote_target;               ///< the peer's Contact; the Request-URI of our requests
  std::vector<std::string> route_set;  ///< Route values to send, first hop first
  std::uint32_t local_cseq = 0;        ///< last CSeq number we used
  std::optional<std::uint32_t> remote_cseq;  ///< highest CSeq number the peer used
  /// Where our requests go: the flow the peer's messages arrive on. Symmetric routing reaches
  /// phones behind NAT and reuses their TCP, TLS or WebSocket connection.
  flow path;
  bool secure = false;  ///< sips: Request-URI or TLS (RFC 3261 §12.1.1)
};

/// The UAS side of a dialog from the INVITE we answer with `local_tag` (§12.1.1): route set
/// from Record-Route in order, target from Contact, the path the INVITE came over.
/// sip_errc::bad_header when From, To, Call-ID, CSeq or Contact are missing or unparseable.
/// Any strand.
boost::system::result<dialog> dialog_from_request(const received_message& invite,
                                                  std::string local_tag);

/// The UAC side of a dialog from our INVITE (as sent, with its From tag) and a response that
/// carries a To tag (§12.1.2): route set from Record-Route in reverse, target from Contact,
/// the path the response came over. Errors as dialog_from_request. Any strand.
boost::system::result<dialog> dialog_from_response(const sip_message& invite,
                                                   const received_message& response);

/// Takes the peer's new Contact from a target refresh (re-INVITE, UPDATE or their 2xx) and the
/// path it came over. A message without a usable Contact leaves the target as it was.
void refresh_target(dialog& d, const received_message& message);

/// Checks the CSeq of a request the peer sent inside the dialog (§12.2.2): false when it is
/// lower than or equal to one already seen (answer 500); otherwise records it.
bool accept_remote_cseq(dialog& d, const sip_message& request);

/// A new request inside the dialog with the next CSeq (ACK and CANCEL excepted: use
/// make_ack), Route headers and the Request-URI of §12.2.1.1 (strict routers handled), and
/// our Contact when the method refreshes the target (INVITE, UPDATE, SUBSCRIBE, REFER,
/// NOTIFY). The stack adds Via and Max-Forwards. Any strand.
sip_message make_in_dialog_request(dialog& d, const std::string& method, std::string_view contact);

/// The ACK for a 2xx to the INVITE with CSeq number `invite_cseq` (§13.2.2.4). Any strand.
sip_message make_ack(const dialog& d, std::uint32_t invite_cseq);

/// A fresh tag or Call-ID: 64 random bits as hex (RFC 3261 §19.3 asks for 32). Any thread.
std::string new_token();

/// The CSeq number of `message`, 0 when it has none that parses. Any strand.
std::uint32_t cseq_number(const sip_message& message);

/// The tag parameter of From or To, empty when absent. Any strand.
std::string header_tag(const sip_message& message, std::string_view header_name);

/// A response to `request` whose To carries `local_tag` when it had none (for every response
/// of one INVITE the same tag), with a Server header when `server` is not empty. Any strand.
sip_message make_tagged_response(const sip_message& request, int status, std::string_view reason,
                                 std::string_view local_tag, std::string_view server);

}  // namespace callcenterd::sip
