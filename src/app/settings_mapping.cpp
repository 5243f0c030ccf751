#include "settings_mapping.hpp"

#include <unistd.h>

#include <array>
#include <thread>

namespace callcenterd::app {

store::db_pool_settings to_pool_settings(const config::database_settings& database) {
  store::db_pool_settings out;
  out.conninfo = database.conninfo();
  out.size = database.pool_size;
  out.connect_timeout = database.connect_timeout;
  out.reconnect_max_backoff = database.reconnect_max_backoff;
  return out;
}

store::event_log_settings to_event_log_settings(const config::event_log_settings& log,
                                                const std::string& node) {
  store::event_log_settings out;
  out.spool_path = log.spool_file;
  out.node = node;
  out.batch_size = log.batch_size;
  out.flush_interval = log.flush_interval;
  out.max_memory_events = log.max_memory_events;
  return out;
}

api::http_server_settings to_http_settings(const config::http_settings& http) {
  api::http_server_settings out;
  out.address = http.address;
  out.port = http.port;
  out.max_header_bytes = static_cast<std::uint32_t>(http.max_header_bytes);
  out.max_body_bytes = http.max_body_bytes;
  out.request_timeout = http.request_timeout;
  out.idle_timeout = http.idle_timeout;
  out.max_connections = http.max_connections;
  if (http.tls.enabled())
    out.tls = api::http_tls_settings{http.tls.certificate_file, http.tls.private_key_file};
  return out;
}

auth_settings auth_settings_of(const config::session_settings& sessions) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  return {.lifetime = duration_cast<seconds>(sessions.lifetime),
          .idle_timeout = duration_cast<seconds>(sessions.idle_timeout),
          .max_failures = sessions.max_failed_logins,
          .max_failures_per_source = sessions.max_failed_logins_per_source,
          .failure_window = duration_cast<seconds>(sessions.failure_window)};
}

spdlog::level::level_enum to_spdlog_level(config::log_level level) {
  switch (level) {
    case config::log_level::trace:
      return spdlog::level::trace;
    case config::log_level::debug:
      return spdlog::level::debug;
    case config::log_level::info:
      return spdlog::level::info;
    case config::log_level::warn:
      return spdlog::level::warn;
    case config::log_level::error:
      return spdlog::level::err;
    case config::log_level::critical:
      return spdlog::level::critical;
    case config::log_level::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::string node_name(const config::service_settings& service) {
  if (!service.node_name.empty()) return service.node_name;
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0') return "callcenterd";
  return host.data();
}

unsigned thread_count(const config::service_settings& service) {
  if (service.threads != 0) return service.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

call::callback_treatment callback_treatment_of(const acd::callback_settings& callback) {
  return call::callback_treatment{.after = callback.offer_after,
                                  .key = callback.key,
                                  .offer = callback.offer_text,
                                  .confirmation = callback.confirmation_text,
                                  .greeting = callback.greeting_text,
                                  .trunk = callback.trunk,
                                  .dial_prefix = callback.dial_prefix,
                                  .ring_timeout = callback.ring_timeout};
}

}  // namespace callcenterd::app
