#include "flow_loading.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "callcenterd/config/flow_loader.hpp"

namespace callcenterd::app {

std::variant<std::shared_ptr<const ivr::flow_set>, std::vector<config::config_error>>
blocking_load_flows(const config::daemon_settings& settings) {
  auto loaded = config::load_flow_directory(settings.paths.flows);
  if (!loaded) return loaded.errors();
  ivr::flow_environment environment;
  environment.prompts = settings.paths.prompts;
  for (const auto& queue : settings.acd.queues) environment.queues.push_back(queue.name);
  auto compiled = ivr::flow_set::blocking_compile(std::move(loaded).flows(), environment);
  if (auto* problems = std::get_if<std::vector<config::config_error>>(&compiled)) {
    return std::move(*problems);
  }
  auto set = std::get<std::shared_ptr<const ivr::flow_set>>(std::move(compiled));
  // A DID that names a missing flow is the main file's mistake, reported against it.
  std::vector<config::config_error> problems;
  for (std::size_t i = 0; i < settings.dids.size(); ++i) {
    const auto& did = settings.dids[i];
    if (did.kind != config::did_settings::target_kind::flow || set->find(did.target)) continue;
    problems.push_back(config::config_error{
        settings.source_file.string(), 0, 0, "dids[" + std::to_string(i) + "].flow",
        "no flow '" + did.target + "' in " + settings.paths.flows.string()});
  }
  // So is a queue that sends its callers to a missing flow (max wait, full, no agents, an
  // overflow rule): found here, not when the first caller is sent there.
  const auto check_exit = [&](const acd::exit_target& target, const std::string& key) {
    if (target.what != acd::exit_target::kind::flow || set->find(target.name)) return;
    problems.push_back(
        config::config_error{settings.source_file.string(), 0, 0, key + ".flow",
                             "no flow '" + target.name + "' in " + settings.paths.flows.string()});
  };
  for (std::size_t i = 0; i < settings.acd.queues.size(); ++i) {
    const auto& queue = settings.acd.queues[i];
    const auto key = "queues[" + std::to_string(i) + "]";
    check_exit(queue.when_no_agents, key + ".when_no_agents");
    check_exit(queue.when_full, key + ".when_full");
    check_exit(queue.when_max_wait, key + ".when_max_wait");
    for (std::size_t j = 0; j < queue.overflow.size(); ++j) {
      if (const auto& move = queue.overflow[j].move_to) {
        check_exit(*move, key + ".overflow[" + std::to_string(j) + "].move_to");
      }
    }
  }
  if (!problems.empty()) return problems;
  return set;
}

std::shared_ptr<const ivr::flow_set> blocking_load_flows_or_throw(
    const config::daemon_settings& settings) {
  auto loaded = blocking_load_flows(settings);
  if (auto* problems = std::get_if<std::vector<config::config_error>>(&loaded)) {
    std::string text = "the flow files are refused:";
    for (const auto& problem : *problems) text += "\n  " + problem.to_string();
    throw std::runtime_error(text);
  }
  auto set = std::get<std::shared_ptr<const ivr::flow_set>>(std::move(loaded));
  spdlog::info("flows: {} from {} (version {})", set->flows().size(), settings.paths.flows.string(),
               set->version());
  return set;
}

}  // namespace callcenterd::app
