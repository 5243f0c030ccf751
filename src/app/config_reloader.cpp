#include "config_reloader.hpp"

#include <spdlog/spdlog.h>

#include "callcenterd/config/loader.hpp"
#include "callcenterd/config/reload.hpp"
#include "callcenterd/core/logging.hpp"
#include "flow_loading.hpp"
#include "settings_mapping.hpp"

namespace callcenterd::app {
namespace {

constexpr const char* reloads_metric = "callcenterd_config_reloads_total";
constexpr const char* reloads_help = "Configuration reloads (SIGHUP) by result";
constexpr const char* flow_reloads_metric = "callcenterd_flow_reloads_total";
constexpr const char* flow_reloads_help = "Flow set reloads (SIGHUP) by result";

core::log_format to_core_format(config::log_format format) {
  return format == config::log_format::json ? core::log_format::json : core::log_format::text;
}

}  // namespace

config_reloader::config_reloader(std::filesystem::path path, const config::daemon_settings& running,
                                 flow_registry& flows, core::metrics_registry& metrics,
                                 store::event_log& events)
    : path_(std::move(path)),
      running_(running),
      flows_(flows),
      events_(events),
      applied_(metrics.counter(reloads_metric, reloads_help, {{"result", "applied"}})),
      refused_(metrics.counter(reloads_metric, reloads_help, {{"result", "refused"}})),
      flows_applied_(
          metrics.counter(flow_reloads_metric, flow_reloads_help, {{"result", "applied"}})),
      flows_refused_(
          metrics.counter(flow_reloads_metric, flow_reloads_help, {{"result", "refused"}})),
      flows_version_(metrics.gauge("callcenterd_flow_set_version",
                                   "Version of the flow set new calls start on (1 at start, "
                                   "one more for each set made since)")) {
  flows_version_.set(static_cast<double>(flows_.current()->version()));
}

reload_result config_reloader::refuse(const std::vector<config::config_error>& errors, bool flows) {
  reload_result result;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& error : errors) {
    auto text = error.to_string();
    spdlog::error("{} reload refused: {}", flows ? "flow" : "config", text);
    list.push_back(text);
    result.errors.push_back(std::move(text));
  }
  spdlog::error("reload refused: the running configuration and flows (version {}) stay in force",
                flows_.current()->version());
  refused_.increment();
  if (flows) flows_refused_.increment();
  events_.append(store::make_event("daemon.config_reload_refused", "",
                                   {{"file", path_.string()}, {"errors", list}}));
  result.flows_version = flows_.current()->version();
  result.flows = flows_.current()->flows().size();
  return result;
}

reload_result config_reloader::reload() {
  const std::lock_guard<std::mutex> one_at_a_time(reloading_);
  spdlog::info("reloading configuration from {}", path_.string());
  const auto loaded = config::load_file(path_);
  if (!loaded) {
    return refuse(loaded.errors(), false);
  }
  // The flows are checked against what is in force: the flow directory, the queues and the
  // DIDs change only with a restart.
  auto flows = blocking_load_flows(running_);
  if (const auto* problems = std::get_if<std::vector<config::config_error>>(&flows)) {
    return refuse(*problems, true);
  }
  auto flow_set = std::get<std::shared_ptr<const ivr::flow_set>>(std::move(flows));
  const auto version = flow_set->version();
  const auto flow_count = flow_set->flows().size();
  flows_.replace(std::move(flow_set));
  flows_version_.set(static_cast<double>(version));
  flows_applied_.increment();
  spdlog::info("flows reloaded: {} from {} (version {}); calls in progress keep theirs", flow_count,
               running_.paths.flows.string(), version);
  const auto& next = loaded.settings();
  const auto needs_restart = config::restart_required_changes(running_, next);
  for (const auto& key : needs_restart) {
    spdlog::warn("changed {} needs a restart; keeping the running value", key);
  }
  apply_log_settings(next.log);
  applied_.increment();
  spdlog::info("configuration reloaded from {}", path_.string());
  events_.append(store::make_event(
      "daemon.config_reloaded", "",
      {{"file", path_.string()}, {"needs_restart", needs_restart}, {"flows_version", version}}));
  reload_result result;
  result.applied = true;
  result.needs_restart = needs_restart;
  result.flows_version = version;
  result.flows = flow_count;
  return result;
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
