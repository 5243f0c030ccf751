#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip {

/// The transports SIP runs over. The Via token is the upper-case name.
enum class transport_kind : std::uint8_t { udp, tcp, tls, ws, wss };

/// "UDP", "TCP", "TLS", "WS" or "WSS". Any strand.
std::string_view via_token(transport_kind kind);
/// Lower-case name as used in config and URIs (`transport=tcp`). Any strand.
std::string_view config_name(transport_kind kind);
/// The transport named by config_name(); nullopt for any other text. Any strand.
std::optional<transport_kind> transport_from_config_name(std::string_view name);
/// Everything but UDP delivers in order and retransmits by itself, which switches off the
/// transaction layer's retransmission timers (RFC 3261 §17.1.1.2).
bool is_reliable(transport_kind kind);
/// TLS and WSS.
bool is_secure(transport_kind kind);

/// Where a message came from or where one goes: the transport, our local listening address,
/// the peer's address and, on connection-oriented transports, the connection it arrived on.
/// Responses and in-dialog requests go back over the same flow (symmetric routing, RFC 3581;
/// connection reuse, RFC 5923 in spirit). Plain value; no strand affinity.
struct flow {
  transport_kind transport = transport_kind::udp;
  boost::asio::ip::address local_address;
  std::uint16_t local_port = 0;
  boost::asio::ip::address remote_address;
  std::uint16_t remote_port = 0;
  /// The connection a message arrived on, 0 for UDP or when a new connection may be opened.
  /// Connection ids are never reused while the process runs.
  std::uint64_t connection_id = 0;

  friend bool operator==(const flow&, const flow&) = default;
};

/// "udp 192.0.2.1:5060" style text for logs. Any strand.
std::string to_string(const flow& value);

/// A parsed message and where it came from.
struct received_message {
  sip_message message;
  flow source;
  std::chrono::steady_clock::time_point received_at;
};

/// What the transport layer offers the layers above it: sending bytes over a flow. Thread-safe:
/// callable from any strand.
class transport_sender {
 public:
  virtual ~transport_sender() = default;
  /// Queues `bytes` for the flow. For TCP and TLS a flow whose connection is gone (or whose
  /// connection_id is 0) opens a new connection to the remote address; for WebSocket, whose
  /// peers cannot be dialled, the message is dropped and counted. Failures are logged and
  /// counted, never thrown; the transaction layer learns of them through its timers.
  virtual void send(const flow& destination, std::string bytes) = 0;
};

}  // namespace callcenterd::sip
