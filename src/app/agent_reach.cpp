// Who reaches which agent, the rule every route about agents' calls and data shares.
#include "agent_reach.hpp"

#include <algorithm>

namespace callcenterd::app {

bool may_reach(const principal& who, const acd::agent_view& agent) {
  switch (who.role) {
    case user_role::admin:
      return true;
    case user_role::agent:
      return agent.id == who.login;
    case user_role::supervisor:
      return std::any_of(agent.teams.begin(), agent.teams.end(), [&](const std::string& team) {
        return std::find(who.teams.begin(), who.teams.end(), team) != who.teams.end();
      });
  }
  return false;
}

boost::asio::awaitable<std::optional<std::vector<std::string>>> reachable_agents(
    acd::acd_service& acd, const principal& who) {
  if (who.role == user_role::admin) co_return std::nullopt;
  std::function<std::vector<std::string>(acd::engine&, acd::instant)> job = [who](
                                                                                acd::engine& engine,
                                                                                acd::instant) {
    std::vector<std::string> ids;
    for (const auto& agent : engine.agents()) {
      if (may_reach(who, agent)) ids.push_back(agent.id);
    }
    // An agent who left the configuration still owns their history.
    if (who.role == user_role::agent && std::find(ids.begin(), ids.end(), who.login) == ids.end()) {
      ids.push_back(who.login);
    }
    return ids;
  };
  auto asked = acd.ask<std::vector<std::string>>(std::move(job));
  auto ids = co_await std::move(asked);
  co_return ids;
}

}  // namespace callcenterd::app
