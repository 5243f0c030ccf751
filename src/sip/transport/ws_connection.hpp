#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string_view>

#include "connection.hpp"

namespace callcenterd::sip::transport_detail {

// True when a Sec-WebSocket-Protocol value (a comma-separated list; several header lines
// joined with commas) offers `sip` (RFC 7118 §4.1). Any thread.
bool offers_sip_subprotocol(std::string_view header_value);

// A WS or WSS connection for an accepted socket (whose executor is `strand`): the TLS
// handshake for WSS, the HTTP upgrade (refused with 400 unless `sip` is offered), then one
// SIP message per WebSocket message. Registered by the caller; start() begins. Any thread.
std::shared_ptr<connection> make_accepted_websocket(std::shared_ptr<transport_core> core,
                                                    strand_type strand, transport_kind kind,
                                                    boost::asio::ip::tcp::socket socket);

}  // namespace callcenterd::sip::transport_detail
