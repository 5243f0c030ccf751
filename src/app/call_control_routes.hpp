#pragma once

#include <map>
#include <set>
#include <string>

#include "audit_trail.hpp"
#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/call/call_manager.hpp"
#include "route_access.hpp"

namespace callcenterd::app {

/// What a transfer may name besides an extension: the agents (by id, to their extension) and
/// the queues of the ACD model in force, which changes only with a restart.
struct call_control_targets {
  std::map<std::string, std::string, std::less<>> agent_extensions;
  std::set<std::string, std::less<>> queues;
};

/// POST /api/v1/calls/{call}/hangup, /hold, /resume, /dtmf, /recording/pause,
/// /recording/resume and /transfer: commands to a call in progress, by the agent on it or a
/// supervisor or admin who reaches that agent (docs/api.md, "Call control").
void register_call_control_routes(secured_routes& routes, audit_trail& audit,
                                  call::call_manager& calls, acd::acd_service& acd,
                                  call_control_targets targets);

}  // namespace callcenterd::app
