#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callcenterd/acd/model.hpp"
#include "callcenterd/config/secret.hpp"
#include "callcenterd/config/sip_settings.hpp"

namespace callcenterd::config {

// Plain values read from callcenterd.yaml. Every member carries the default that applies when
// the key is absent; docs/configuration.md lists keys, ranges and what a reload applies. Only
// src/app reads these; it copies them into the settings structs of the other components.
// All types here are values without shared state: safe to copy between threads.

struct service_settings {
  /// Threads running the io_context; 0 means one per CPU core.
  unsigned threads = 0;
  /// How long an I/O thread that just found work sleeps before looking for more, so that
  /// a burst of packets costs one wake-up (app/io_thread.hpp); zero wakes for every event.
  std::chrono::milliseconds wakeup_coalescing{2};
  /// Name of this node in logs and events; empty means the host name, resolved by app.
  std::string node_name;

  bool operator==(const service_settings&) const = default;
};

/// HTTPS for the API and its WebSocket: both files or neither. Read at start only.
struct http_tls_settings {
  /// PEM: the server's certificate, then any intermediate certificates.
  std::filesystem::path certificate_file;
  /// PEM: its private key, unencrypted.
  std::filesystem::path private_key_file;

  [[nodiscard]] bool enabled() const {
    return !certificate_file.empty() && !private_key_file.empty();
  }
  bool operator==(const http_tls_settings&) const = default;
};

struct http_settings {
  /// IP literal to listen on (IPv4 or IPv6). Anything but a loopback address (127.0.0.0/8,
  /// ::1) needs `tls`: the loader refuses it otherwise.
  std::string address = "127.0.0.1";
  /// 0 lets the OS pick a free port (meant for tests).
  std::uint16_t port = 8080;
  std::size_t max_header_bytes = std::size_t{8} * 1024;
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  std::chrono::milliseconds request_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(60);
  unsigned max_connections = 1024;
  /// Unset (both paths empty): plain HTTP.
  http_tls_settings tls;

  bool operator==(const http_settings&) const = default;
};

/// libpq's sslmode values, in the order of increasing strictness.
enum class ssl_mode { disable, allow, prefer, require, verify_ca, verify_full };

struct database_settings {
  /// Host name or IP; a value starting with '/' is the directory of a unix socket.
  std::string host = "127.0.0.1";
  std::uint16_t port = 5432;
  std::string name = "callcenterd";
  std::string user = "callcenterd";
  /// Name of the environment variable holding the password; empty means none.
  std::string password_env = "CALLCENTERD_DB_PASSWORD";
  /// File holding the password; when set it wins over password_env. Empty means none.
  std::filesystem::path password_file;
  ssl_mode sslmode = ssl_mode::prefer;
  unsigned pool_size = 4;
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(3);
  std::chrono::milliseconds reconnect_max_backoff = std::chrono::seconds(5);
  /// Filled by the loader from password_file or password_env; empty is valid (trust/peer).
  secret password;

  /// libpq keyword/value connection string including the password. Values are always
  /// single-quoted with quotes and backslashes escaped. connect_timeout is rounded up to whole
  /// seconds, as libpq counts it. Never log the result: use conninfo_redacted().
  std::string conninfo() const;
  /// The same string with the password replaced by a placeholder, for logs and diagnostics.
  std::string conninfo_redacted() const;

  bool operator==(const database_settings&) const = default;
};

struct paths_settings {
  // Relative paths are resolved against the working directory of the process.
  std::filesystem::path var = "var";
  /// Default: <var>/recordings.
  std::filesystem::path recordings = "var/recordings";
  std::filesystem::path prompts = "prompts";
  std::filesystem::path migrations = "sql";
  /// The flow files: every *.yaml here (docs/flows.md).
  std::filesystem::path flows = "flows";

  bool operator==(const paths_settings&) const = default;
};

enum class log_level { trace, debug, info, warn, error, critical, off };
enum class log_format { text, json };

struct log_settings {
  log_level level = log_level::info;
  log_format format = log_format::text;

  bool operator==(const log_settings&) const = default;
};

struct event_log_settings {
  std::size_t batch_size = 500;
  std::chrono::milliseconds flush_interval{100};
  /// Default: <paths.var>/spool/events.spool.
  std::filesystem::path spool_file = "var/spool/events.spool";
  /// Events held in memory while the database is away before they go to the spool file.
  std::size_t max_memory_events = 100000;

  bool operator==(const event_log_settings&) const = default;
};

struct shutdown_settings {
  /// How long running calls and requests may finish after a stop request.
  std::chrono::milliseconds drain_timeout = std::chrono::seconds(10);

  bool operator==(const shutdown_settings&) const = default;
};

/// A named music on hold: what callers of the DIDs (and later queues) that name it hear.
struct hold_class_settings {
  std::string name;
  /// An 8 kHz WAV under paths.prompts, or absolute.
  std::filesystem::path file;
  bool operator==(const hold_class_settings&) const = default;
};

struct media_settings {
  /// IP literal RTP and RTCP sockets bind to.
  std::string address = "127.0.0.1";
  /// The address our SDP gives peers, when they reach us through NAT; empty means `address`.
  std::string advertised_address;
  /// The UDP port range of RTP (even ports) and RTCP (the odd port above each).
  std::uint16_t rtp_port_min = 20000;
  std::uint16_t rtp_port_max = 29999;
  std::chrono::milliseconds rtcp_interval = std::chrono::seconds(5);
  /// Music on hold: a WAV file under paths.prompts (or absolute); empty plays a built-in tune.
  /// What a held party hears unless its call's DID names one of the hold_classes.
  std::filesystem::path hold_music;
  std::vector<hold_class_settings> hold_classes;

  bool operator==(const media_settings&) const = default;
};

struct recording_settings {
  /// Record every bridged call (a DID may say `record: false`).
  bool enabled = true;
  /// Make each flush durable (fsync) before the header claims it.
  bool sync_to_disk = true;
  /// How often a recording's header is brought up to date: at most this much is lost in a
  /// crash.
  std::chrono::milliseconds flush_interval = std::chrono::seconds(1);

  bool operator==(const recording_settings&) const = default;
};

/// What a caller on the blocklist (the caller_blocklist table) gets instead of its route:
/// a refusal with `status`, or, with a greeting, an announcement (answered, the greeting
/// said, hung up).
struct blocklist_settings {
  int status = 603;
  std::string greeting;
  std::string greeting_language = "en";
  std::filesystem::path greeting_prompt;
  bool operator==(const blocklist_settings&) const = default;
};

struct crm_settings {
  /// The site's country calling code, which completes national numbers ("138 0013 8000" is
  /// "+8613800138000" with "86"): 1 to 3 digits, not starting with 0.
  std::string country_code = "86";

  bool operator==(const crm_settings&) const = default;
};

/// API and console sign-in sessions and login throttling (the `sessions:` section).
struct session_settings {
  /// A session ends this long after its login, however much it is used.
  std::chrono::milliseconds lifetime = std::chrono::hours(12);
  /// A session unused this long ends.
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  /// Failed logins of one user name within `failure_window` before further tries are refused.
  unsigned max_failed_logins = 5;
  /// Failed logins from one client address, whatever names it tries, within the window.
  unsigned max_failed_logins_per_source = 20;
  std::chrono::milliseconds failure_window = std::chrono::minutes(5);

  bool operator==(const session_settings&) const = default;
};

/// Everything in callcenterd.yaml.
struct daemon_settings {
  service_settings service;
  http_settings http;
  database_settings database;
  paths_settings paths;
  log_settings log;
  event_log_settings event_log;
  shutdown_settings shutdown;
  sip_settings sip;
  media_settings media;
  recording_settings recording;
  crm_settings crm;
  session_settings sessions;
  std::vector<did_settings> dids;
  /// The ACD: who answers queued calls, the queues, the reasons agents may give for not ready
  /// (the `agents:`, `queues:` and `not_ready_reasons:` sections).
  acd::acd_model acd;
  blocklist_settings blocklist;
  /// The file these were read from (the name given to load_string for in-memory text).
  std::filesystem::path source_file;

  bool operator==(const daemon_settings&) const = default;
};

/// The spelling used in the YAML file, e.g. "verify-full", "warn", "json".
std::string_view to_string(ssl_mode mode);
std::string_view to_string(log_level level);
std::string_view to_string(log_format format);

}  // namespace callcenterd::config
