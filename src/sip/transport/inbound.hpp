#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/sip/flow.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/parser.hpp"

namespace callcenterd::sip::transport_detail {

// RFC 3261 §18.2.1 and RFC 3581 for the top Via of a request that came from `address:port`:
// adds `received` when the sent-by host is not that address (always when `rport` is present)
// and fills an empty `rport` with the port.
// Returns false when nothing needed changing.
bool stamp_via(via_value& via, const boost::asio::ip::address& address, std::uint16_t port);

// True for bytes that are nothing but CR and LF: a keep-alive, not a message.
bool is_keep_alive(std::string_view bytes);

// What to do with one datagram or one delimited stream message.
struct inbound_result {
  // The message to pass up; empty when refused.
  std::optional<received_message> message;
  // Why it was refused, for logs.
  std::string problem;
  // The error response for the sender, when one can be routed.
  std::optional<std::string> reply;
};

// Parses `bytes` from `source` with the limits, checks that a request carries the headers
// every request needs (Via, From, To, Call-ID, CSeq matching the method) and that a response
// has a Via and CSeq, and stamps the top Via of a request. Pure; any thread.
inbound_result process_inbound(std::string_view bytes, const flow& source,
                               const parse_limits& limits,
                               std::chrono::steady_clock::time_point now);

}  // namespace callcenterd::sip::transport_detail
