#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "callcenterd/sip/flow.hpp"
#include "callcenterd/sip/parser.hpp"

namespace callcenterd::sip {

namespace transport_detail {
class transport_core;
}

/// One socket to listen on. Port 0 asks the system for an ephemeral port (tests); bound()
/// reports the port actually taken.
struct listen_endpoint {
  transport_kind transport = transport_kind::udp;
  std::string address;  ///< an IPv4 or IPv6 literal, e.g. "0.0.0.0" or "::1"
  std::uint16_t port = 0;
};

/// Certificates for TLS and WSS. The certificate and key (PEM) are what TLS and WSS listeners
/// present, and what outbound TLS connections offer when a trunk asks for a client
/// certificate. `ca_file` and `verify_peer` govern outbound TLS connections: with verify_peer
/// the trunk's chain must lead to a CA in `ca_file` (or the system store when it is empty).
struct tls_settings {
  std::string certificate_file;
  std::string private_key_file;
  std::string ca_file;
  bool verify_peer = false;
};

/// Plain settings for the transport layer; the app fills them from the configuration.
struct transport_settings {
  std::vector<listen_endpoint> listen;
  tls_settings tls;
  /// TCP, TLS and WebSocket connections with no traffic in either direction for this long are
  /// closed. RFC 5626 CRLF keep-alives and WebSocket messages count as traffic.
  std::chrono::seconds idle_timeout{300};
  /// How long an outbound TCP or TLS connection may take to connect and finish its handshake;
  /// also bounds the TLS handshake and WebSocket upgrade of accepted connections.
  std::chrono::seconds connect_timeout{10};
  /// Open stream connections (all stream transports together, inbound and outbound).
  std::size_t max_connections = 10000;
  parse_limits limits;
  /// Bytes waiting to be written on one connection (or one UDP socket). A connection whose
  /// queue would pass this is closed; a UDP datagram over it is dropped.
  std::size_t max_queued_bytes_per_connection = std::size_t{1024} * 1024;
  /// Logs every message in and out: direction, flow, first line and size at debug level, the
  /// whole text at trace level.
  bool trace_messages = false;
};

/// Counters for one transport. Monotonic except connections_open.
struct transport_counters {
  std::uint64_t messages_in = 0;   ///< parsed messages passed to the listener
  std::uint64_t messages_out = 0;  ///< messages written (error replies included, pongs not)
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  /// Messages refused as malformed (with or without an error reply). Stream framing errors
  /// count here too.
  std::uint64_t malformed = 0;
  /// Error replies (400, or 505 / 513 where RFC 3261 has a better code) sent for malformed
  /// requests. Malformed messages that got no reply are `malformed - error_replies`.
  std::uint64_t error_replies = 0;
  std::uint64_t keep_alives_in = 0;  ///< CRLF keep-alives received (pings included)
  std::uint64_t pongs_sent = 0;      ///< CRLF answers to CRLFCRLF pings (RFC 5626 §4.4.1)
  std::uint64_t connections_open = 0;
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_opened = 0;    ///< outbound connections that got established
  std::uint64_t connections_closed = 0;    ///< every connection's end, failed connects included
  std::uint64_t connections_rejected = 0;  ///< turned away at max_connections (or a bad upgrade)
  /// Messages that could not be sent: no route, connection gone or failed, socket error.
  std::uint64_t send_failures = 0;
  std::uint64_t queue_overflows = 0;
};

/// A snapshot of the counters of every transport.
struct transport_stats {
  std::array<transport_counters, 5> by_transport{};

  const transport_counters& of(transport_kind kind) const {
    return by_transport[static_cast<std::size_t>(kind)];
  }
  transport_counters& of(transport_kind kind) {
    return by_transport[static_cast<std::size_t>(kind)];
  }
};

/// Where the transport layer hands what it received.
class transport_listener {
 public:
  virtual ~transport_listener() = default;
  /// A parsed message, requests with `received`/`rport` already applied to the top Via.
  /// Called on any I/O thread, concurrently; messages from one connection arrive in order.
  virtual void on_message(received_message message) = 0;
  /// A TCP, TLS or WebSocket connection ended (peer, idle timeout, error, stop()). Its
  /// connection_id will not come back. Called on any I/O thread.
  virtual void on_connection_closed(const flow& /*connection*/) {}
};

/// The SIP transports: UDP sockets, TCP and TLS listeners and outbound connections, and
/// WebSocket (RFC 7118) listeners, all on the shared io_context. Parses what arrives (with
/// the limits), answers what cannot be parsed with 400 when a response can be routed, and
/// sends what the layers above give it. Thread-safe: every member is callable from any thread.
/// The listener and io_context must outlive this object and every handler it queued: destroy
/// it after stop() once the io_context's threads have finished.
class transport_manager final : public transport_sender {
 public:
  transport_manager(boost::asio::io_context& io, transport_settings settings,
                    transport_listener& listener);
  /// Calls stop().
  ~transport_manager() override;
  transport_manager(const transport_manager&) = delete;
  transport_manager& operator=(const transport_manager&) = delete;

  /// Loads the TLS certificate when a TLS or WSS listener (or a certificate) is configured,
  /// then binds every listener and starts receiving. On failure closes what it opened and
  /// returns the error; last_error_detail() then names the endpoint or file. Once.
  boost::system::error_code start();
  /// Why start() failed, e.g. "tls 127.0.0.1:5061: Address already in use" or
  /// "tls: cannot load certificate /x: No such file or directory". Empty otherwise.
  std::string last_error_detail() const;
  /// Closes listeners and connections; later sends are dropped and counted. Idempotent. Once
  /// the pending handlers have run, the io_context has no work left from this object.
  void stop();

  /// Queues `bytes` for the flow (see transport_sender). Any thread.
  void send(const flow& destination, std::string bytes) override;

  /// One flow per listener (transport, local address, actual port; no remote), in the order
  /// of the settings. Empty before start(). Use it for Via and Contact.
  std::vector<flow> bound() const;
  /// Counters of every transport.
  transport_stats stats() const;

 private:
  std::shared_ptr<transport_detail::transport_core> core_;
};

}  // namespace callcenterd::sip
