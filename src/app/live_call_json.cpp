// Calls in progress as the API shows them, and who may see which.
#include "live_call_json.hpp"

#include <algorithm>

#include "time_text.hpp"

namespace callcenterd::app {

using nlohmann::json;

json live_call_json(const call::live_call& c) {
  const auto text_or_null = [](const std::string& s) {
    return s.empty() ? json(nullptr) : json(s);
  };
  json variables = json::object();
  for (const auto& [name, value] : c.variables) variables[name] = value;
  return {{"id", c.id},
          {"caller", c.caller},
          {"caller_name", c.caller_name},
          {"dialed", c.dialed},
          {"state", c.state},
          {"queue", text_or_null(c.queue)},
          {"agent", text_or_null(c.agent)},
          {"started_at", iso_utc(c.started)},
          {"state_since", iso_utc(c.state_since)},
          {"connected_at", c.connected ? json(iso_utc(*c.connected)) : json(nullptr)},
          {"callback_of", text_or_null(c.callback_of)},
          {"variables", variables}};
}

bool may_see(const principal& who, const std::optional<std::vector<std::string>>& reachable,
             const call::live_call& c) {
  if (!reachable) return true;
  if (c.agent.empty()) return who.role == user_role::supervisor;
  return std::find(reachable->begin(), reachable->end(), c.agent) != reachable->end();
}

}  // namespace callcenterd::app
