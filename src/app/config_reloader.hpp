#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "callcenterd/config/config_error.hpp"
#include "callcenterd/config/settings.hpp"
#include "callcenterd/core/metrics.hpp"
#include "callcenterd/store/event_log.hpp"
#include "flow_registry.hpp"

namespace callcenterd::app {

/// SIGHUP: re-reads the configuration file and the flow files, and applies what can change
/// while running (the flows, the log level and format). All or nothing: an invalid file or
/// flow set is refused with every error logged and changes nothing; a valid one replaces the
/// flow set for new calls and names the changed keys that need a restart, keeping their
/// running values. Each outcome is counted and recorded in the event log.
/// How a reload went.
struct reload_result {
  bool applied = false;
  /// Refused: every error, with file, line and reason.
  std::vector<std::string> errors;
  /// Applied: the changed keys that need a restart (their running values stay).
  std::vector<std::string> needs_restart;
  /// The flow set new calls start on now, and how many flows it has.
  std::uint64_t flows_version = 0;
  std::size_t flows = 0;
};

class config_reloader {
 public:
  config_reloader(std::filesystem::path path, const config::daemon_settings& running,
                  flow_registry& flows, core::metrics_registry& metrics, store::event_log& events);

  /// Blocking (reads the files): from SIGHUP or the API (POST /api/v1/flows/reload), which
  /// runs it off the I/O threads. Any thread; reloads run one at a time.
  reload_result reload();

 private:
  void apply_log_settings(const config::log_settings& next);
  /// Logs and records a refused reload; `flows` when the flow files were at fault.
  reload_result refuse(const std::vector<config::config_error>& errors, bool flows);

  std::mutex reloading_;
  std::filesystem::path path_;
  config::daemon_settings running_;
  flow_registry& flows_;
  store::event_log& events_;
  core::counter& applied_;
  core::counter& refused_;
  core::counter& flows_applied_;
  core::counter& flows_refused_;
  core::gauge& flows_version_;
};

}  // namespace callcenterd::app
