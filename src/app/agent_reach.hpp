#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth_service.hpp"
#include "callcenterd/acd/acd_service.hpp"

namespace callcenterd::app {

/// Whether `who` may see and steer `agent`: themself, a supervisor's team member, anyone for
/// an admin.
bool may_reach(const principal& who, const acd::agent_view& agent);

/// The agents whose calls, recordings and customers `who` may see: nullopt for an admin
/// (everyone's), else the ids of the agents they reach (an agent: themself only). Asks the
/// ACD on its strand; resumes on the caller's.
boost::asio::awaitable<std::optional<std::vector<std::string>>> reachable_agents(
    acd::acd_service& acd, const principal& who);

}  // namespace callcenterd::app
