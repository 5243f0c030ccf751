#pragma once

#include <filesystem>

#include "callcenterd/config/settings.hpp"
#include "callcenterd/core/metrics.hpp"
#include "callcenterd/store/event_log.hpp"

namespace callcenterd::app {

/// SIGHUP: re-reads the configuration file and applies what can change while running (the
/// log level and format today). An invalid file is refused with every error logged and
/// changes nothing; a valid one names the changed keys that need a restart and keeps their
/// running values. Each outcome is counted and recorded in the event log.
class config_reloader {
 public:
  config_reloader(std::filesystem::path path, const config::daemon_settings& running,
                  core::metrics_registry& metrics, store::event_log& events);

  /// Blocking (reads the file). Runs on the signal-handling path; calls are serialised by it.
  void reload();

 private:
  void apply_log_settings(const config::log_settings& next);

  std::filesystem::path path_;
  config::daemon_settings running_;
  store::event_log& events_;
  core::counter& applied_;
  core::counter& refused_;
};

}  // namespace callcenterd::app
