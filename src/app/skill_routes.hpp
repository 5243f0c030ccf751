#pragma once

#include <pqxx/connection>
#include <string>
#include <utility>
#include <vector>

#include "audit_trail.hpp"
#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/acd/model.hpp"
#include "callcenterd/store/event_log.hpp"
#include "route_access.hpp"

namespace callcenterd::app {

/// PUT /api/v1/agents/{agent}/skills (new skills in force at once) and DELETE (back to those
/// of `configured`), by a supervisor of the agent's team or an admin. Each change is an
/// "agent.skills" event (kept over restarts, sql/0015) and audited; `configured` must outlive
/// the routes.
void register_skill_routes(secured_routes& routes, audit_trail& audit, store::event_log& events,
                           acd::acd_service& acd, const acd::acd_model& configured);

/// The skills kept from earlier runs (agent_skill_overrides), read on a pool connection.
/// Throws what pqxx throws.
std::vector<std::pair<std::string, std::vector<acd::agent_skill>>> blocking_read_skill_overrides(
    pqxx::connection& connection);

}  // namespace callcenterd::app
