#include "config_reloader.hpp"

#include <spdlog/spdlog.h>

#include "callcenterd/config/loader.hpp"
#include "callcenterd/config/reload.hpp"
#include "callcenterd/core/logging.hpp"
#include "settings_mapping.hpp"

namespace callcenterd::app {
namespace {

constexpr const char* reloads_metric = "callcenterd_config_reloads_total";
constexpr const char* reloads_help = "Configuration reloads (SIGHUP) by result";

core::log_format to_core_format(config::log_format format) {
  return format == config::log_format::json ? core::log_format::json : core::log_format::text;
}

}  // namespace

config_reloader::config_reloader(std::filesystem::path path, const config::daemon_settings& running,
                                 core::metrics_registry& metrics, store::event_log& events)
    : path_(std::move(path)),
      running_(running),
      events_(events),
      applied_(metrics.counter(reloads_metric, reloads_help, {{"result", "applied"}})),
      refused_(metrics.counter(reloads_metric, reloads_help, {{"result", "refused"}})) {}

void config_reloader::reload() {
  spdlog::info("reloading configuration from {}", path_.string());
  const auto loaded = config::load_file(path_);
  if (!loaded) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& error : loaded.errors()) {
      spdlog::error("config reload refused: {}", error.to_string());
      errors.push_back(error.to_string());
    }
    spdlog::error("config reload refused: the running configuration stays in force");
    refused_.increment();
    events_.append(store::make_event("daemon.config_reload_refused", "",
                                     {{"file", path_.string()}, {"errors", errors}}));
    return;
  }
  const auto& next = loaded.settings();
  const auto needs_restart = config::restart_required_changes(running_, next);
  for (const auto& key : needs_restart) {
    spdlog::warn("changed {} needs a restart; keeping the running value", key);
  }
  apply_log_settings(next.log);
  applied_.increment();
  spdlog::info("configuration reloaded from {}", path_.string());
  events_.append(store::make_event("daemon.config_reloaded", "",
                                   {{"file", path_.string()}, {"needs_restart", needs_restart}}));
}

void config_reloader::apply_log_settings(const config::log_settings& next) {
  if (next.format != running_.log.format) {
    core::setup_logging(to_core_format(next.format), to_spdlog_level(next.level));
    spdlog::info("log format is now {}", config::to_string(next.format));
  } else if (next.level != running_.log.level) {
    core::set_log_level(to_spdlog_level(next.level));
  }
  if (next.level != running_.log.level) {
    spdlog::info("log level is now {}", config::to_string(next.level));
  }
  running_.log = next;
}

}  // namespace callcenterd::app
