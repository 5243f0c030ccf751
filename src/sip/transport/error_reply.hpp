#pragma once

#include <boost/system/error_code.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/sip/flow.hpp"

namespace callcenterd::sip::transport_detail {

// The status and reason phrase to answer a malformed request with.
struct error_status {
  int code = 400;
  std::string_view reason;
};

// 505 for a SIP version other than 2.0, 513 for a message over the size limit, 400 with a
// phrase naming the problem for everything else.
error_status status_for(const boost::system::error_code& why);

// Builds an error response to the request in `raw`, which failed to parse, from whatever of
// its Via, From, To, Call-ID and CSeq lines can be read: lines are found leniently (LF or
// CRLF ends, folding, compact names), over-long lines are skipped, control characters are
// dropped. The top Via gets `received` and `rport` for `source` (RFC 3581) so that the reply
// can be routed like any response. Nullopt when no response can be routed: the bytes are a
// response, an ACK, or lack a Via or CSeq. Pure; reads only inside `raw`; never throws
// except std::bad_alloc. Any thread.
std::optional<std::string> build_error_reply(std::string_view raw, const error_status& status,
                                             const flow& source);

}  // namespace callcenterd::sip::transport_detail
