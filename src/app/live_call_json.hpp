#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth_service.hpp"
#include "callcenterd/call/live_calls.hpp"

namespace callcenterd::app {

/// A call in progress as the API shows it (docs/api.md, GET /api/v1/calls). Pure; any thread.
nlohmann::json live_call_json(const call::live_call& c);

/// Whether `who`, reaching the agents `reachable` (nullopt: everyone), may see call `c`: an
/// agent the calls ringing or talking to them, a supervisor also every call with no agent yet.
bool may_see(const principal& who, const std::optional<std::vector<std::string>>& reachable,
             const call::live_call& c);

}  // namespace callcenterd::app
