#pragma once

// The headers every transaction decision rests on (RFC 3261 §8.1.1), read once per message,
// and the matching keys built from them (§17.1.3, §17.2.3, §8.2.2.2).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip::txn {

/// The magic cookie that marks an RFC 3261 branch.
inline constexpr std::string_view magic_cookie = "z9hG4bK";

enum class bad_part : std::uint8_t { none, via, call_id, from, to, cseq, cseq_method };

struct essentials {
  via_value top_via;
  std::string branch;  ///< empty when the top Via has none
  std::string call_id;
  std::string from_tag;  ///< empty when absent (RFC 2543 peers)
  std::optional<std::string> to_tag;
  cseq_value cseq;

  bool rfc3261() const { return branch.starts_with(magic_cookie); }
};

struct request_check {
  std::optional<essentials> value;
  bad_part problem = bad_part::none;
  /// The top Via parsed, so a 400 can be routed back.
  bool via_usable = false;
};

/// Reads and checks Via, Call-ID, From, To and CSeq of a request.
request_check check_request(const sip_message& request);

/// A response needs exactly one Via (§8.1.3.3) with a branch, and a CSeq.
std::optional<essentials> check_response(const sip_message& response);

/// The reason phrase of the 400 for `problem`, naming the header.
std::string_view bad_request_reason(bad_part problem);

/// The tag parameter of a From or To value, nullopt when it has none or does not parse.
std::optional<std::string> tag_of(std::string_view name_addr_text);

/// Server-side matching key of a request, with `method` INVITE for an ACK.
std::string server_key(const sip_message& request, const essentials& e, std::string_view method);
/// Client-side matching key: branch and CSeq method.
std::string client_key(std::string_view branch, std::string_view method);
/// From tag, Call-ID, CSeq number and `method`.
std::string dialog_key(const essentials& e, std::string_view method);

}  // namespace callcenterd::sip::txn
