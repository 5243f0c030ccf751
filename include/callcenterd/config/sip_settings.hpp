#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "callcenterd/config/secret.hpp"

namespace callcenterd::config {

// The `sip:` and `dids:` sections of callcenterd.yaml. Plain values, safe to copy between
// threads; src/app copies them into the SIP component's own settings structs.

enum class sip_transport { udp, tcp, tls, ws, wss };

/// One listening socket. WebSocket listeners serve RFC 7118 SIP over WebSocket to browsers.
struct sip_listen_settings {
  sip_transport transport = sip_transport::udp;
  /// IP literal; "0.0.0.0" or "::" listen on every address of that family.
  std::string address = "127.0.0.1";
  /// 0 lets the OS pick (tests). Defaults by transport: 5060 UDP/TCP, 5061 TLS, 8088 WS,
  /// 8089 WSS.
  std::uint16_t port = 5060;
  bool operator==(const sip_listen_settings&) const = default;
};

struct sip_tls_settings {
  /// PEM certificate chain and key for the TLS and WSS listeners.
  std::filesystem::path certificate_file;
  std::filesystem::path private_key_file;
  /// CA bundle for verifying peers we connect to (trunks); empty uses the system store.
  std::filesystem::path ca_file;
  bool verify_peer = false;
  bool operator==(const sip_tls_settings&) const = default;
};

/// RFC 3261 timer base values; the lettered timers derive from them.
struct sip_timer_settings {
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
  std::chrono::milliseconds t4{5000};
  bool operator==(const sip_timer_settings&) const = default;
};

struct sip_registrar_settings {
  std::chrono::milliseconds min_expires = std::chrono::seconds(60);
  std::chrono::milliseconds max_expires = std::chrono::seconds(3600);
  std::chrono::milliseconds default_expires = std::chrono::seconds(600);
  /// Bindings per extension; a REGISTER that would exceed it is refused with 403.
  unsigned max_contacts = 10;
  bool operator==(const sip_registrar_settings&) const = default;
};

enum class sip_digest_algorithm { sha256, md5 };

struct sip_auth_settings {
  /// Digest algorithms challenged, in order of preference (RFC 8760). Clients that read only
  /// the first challenge (sipp 3.6, some desk phones) need md5 first.
  std::vector<sip_digest_algorithm> algorithms{sip_digest_algorithm::sha256,
                                               sip_digest_algorithm::md5};
  /// A nonce older than this is answered with a fresh challenge marked stale=true.
  std::chrono::milliseconds nonce_lifetime = std::chrono::minutes(5);
  /// After max_failures failed authentications within failure_window, a source address gets no
  /// answers at all for block_for.
  unsigned max_failures = 10;
  std::chrono::milliseconds failure_window = std::chrono::seconds(60);
  std::chrono::milliseconds block_for = std::chrono::minutes(5);
  bool operator==(const sip_auth_settings&) const = default;
};

struct sip_limit_settings {
  std::size_t max_message_size = std::size_t{64} * 1024;
  /// Concurrent calls; a new INVITE beyond it gets 503 with Retry-After.
  unsigned max_calls = 2000;
  /// New calls per second from one source address (a token bucket of that rate and depth).
  unsigned max_call_rate_per_source = 200;
  /// SIP transactions in progress per I/O thread; a new request beyond it gets 503.
  std::size_t max_transactions = 100000;
  /// Answers to UDP non-INVITE requests held for retransmissions (Timer J) per I/O thread;
  /// beyond it the oldest is dropped early.
  std::size_t max_answered = 400000;
  unsigned max_connections = 10000;
  bool operator==(const sip_limit_settings&) const = default;
};

/// Outbound registration of a trunk with its carrier (RFC 3261 §10 as a client).
struct sip_trunk_registration_settings {
  bool enabled = false;
  std::string username;
  /// Same rules as the database password: a file wins over an environment variable.
  std::string password_env;
  std::filesystem::path password_file;
  std::chrono::milliseconds expires = std::chrono::seconds(600);
  secret password;
  bool operator==(const sip_trunk_registration_settings&) const = default;
};

/// A carrier or PSTN gateway.
struct sip_trunk_settings {
  std::string name;
  /// Where calls to the trunk go (and where it registers): host name or IP, port, transport.
  std::string host;
  std::uint16_t port = 5060;
  sip_transport transport = sip_transport::udp;
  /// Source addresses or CIDR blocks whose requests belong to this trunk and are accepted
  /// without digest authentication.
  std::vector<std::string> allow;
  /// Numbers phones dial that go out through this trunk, by prefix (the longest prefix of
  /// all trunks wins); DIDs and extensions come first.
  std::vector<std::string> outbound_prefixes;
  sip_trunk_registration_settings registration;
  bool operator==(const sip_trunk_settings&) const = default;
};

struct sip_settings {
  /// Digest realm; the HA1 hashes in sip_accounts are computed with it.
  std::string realm = "callcenterd";
  /// A `listen` list in the file replaces the default, UDP and TCP on 127.0.0.1:5060.
  std::vector<sip_listen_settings> listen = {{sip_transport::udp, "127.0.0.1", 5060},
                                             {sip_transport::tcp, "127.0.0.1", 5060}};
  /// Host put in Via, Contact and SDP when the listen address is not what peers reach (NAT,
  /// wildcard listen address). Empty uses the listen address.
  std::string advertised_address;
  sip_tls_settings tls;
  sip_timer_settings timers;
  sip_registrar_settings registrar;
  sip_auth_settings auth;
  sip_limit_settings limits;
  /// TCP, TLS and WebSocket connections without traffic for this long are closed.
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(5);
  /// How often an answered call leg without a session timer is asked, by OPTIONS inside its
  /// dialog, whether its peer still has the dialog; 0 never asks.
  std::chrono::milliseconds dialog_probe_interval = std::chrono::minutes(1);
  /// Logs every SIP message sent and received (debug level: first line; trace: whole text).
  bool trace_messages = false;
  std::string user_agent = "callcenterd";
  std::vector<sip_trunk_settings> trunks;
  bool operator==(const sip_settings&) const = default;
};

/// Where a dialled number goes first.
struct did_settings {
  /// hang_up: no target; the caller hears the greeting and is hung up on (an announcement).
  enum class target_kind { flow, queue, extension, hang_up };
  std::string number;
  target_kind kind = target_kind::flow;
  std::string target;  ///< the flow, queue or extension; empty for hang_up
  /// Said to the caller before the extension rings, or before hanging up: text for the
  /// speech engine in `greeting_language` ("en" or "zh"), or a recorded prompt file under
  /// paths.prompts, which takes precedence when given.
  std::string greeting;
  std::string greeting_language = "en";
  std::filesystem::path greeting_prompt;
  /// Whether its bridged calls are recorded (with recording.enabled).
  bool record = true;
  /// The media.hold_classes entry its held callers hear; empty: media.hold_music.
  std::string hold_class;
  bool operator==(const did_settings&) const = default;
};

}  // namespace callcenterd::config
