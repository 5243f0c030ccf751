#pragma once

#include <nlohmann/json.hpp>

#include "callcenterd/acd/acd_service.hpp"

namespace callcenterd::app {

/// An agent as the API shows it (docs/api.md, "Agents"). Pure; any thread.
nlohmann::json agent_json(const acd::agent_view& a);
/// {"skill": level, ...}.
nlohmann::json skills_json(const std::vector<acd::agent_skill>& skills);
/// A queue's live figures as the API shows them (docs/api.md, "Queues"). Pure; any thread.
nlohmann::json queue_json(const acd::queue_view& q);
/// A call waiting in a queue, with its place. Pure; any thread.
nlohmann::json waiting_json(const acd::waiting_call_view& c);

}  // namespace callcenterd::app
