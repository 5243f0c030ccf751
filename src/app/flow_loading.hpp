#pragma once

#include <memory>
#include <variant>
#include <vector>

#include "callcenterd/config/settings.hpp"
#include "callcenterd/ivr/flow_set.hpp"

namespace callcenterd::app {

/// Reads the flow files under settings.paths.flows and checks them with what the rest of the
/// configuration defines: queues, the prompt directory, and the flow every DID names. Blocking
/// (files). Every problem, with its file, line and key, when the set is refused.
std::variant<std::shared_ptr<const ivr::flow_set>, std::vector<config::config_error>>
blocking_load_flows(const config::daemon_settings& settings);

/// blocking_load_flows() for the start: throws std::runtime_error with every problem, one per
/// line, so the daemon does not start with flows it cannot run.
std::shared_ptr<const ivr::flow_set> blocking_load_flows_or_throw(
    const config::daemon_settings& settings);

}  // namespace callcenterd::app
