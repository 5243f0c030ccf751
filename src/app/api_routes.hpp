#pragma once

#include "auth_service.hpp"
#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/api/router.hpp"

namespace callcenterd::app {

/// POST /api/v1/auth/login and /api/v1/auth/logout.
void register_auth_routes(api::router& router, auth_service& auth);

/// The ACD's routes for agents and supervisors: agents' states (GET /api/v1/agents,
/// /api/v1/agents/{agent}, POST .../state, POST .../wrapup/end) and queues' live figures
/// (GET /api/v1/queues, /api/v1/queues/{queue}). Each needs a session; an agent sees and
/// steers only themself, a supervisor the agents of their teams, an admin everyone.
void register_acd_routes(api::router& router, auth_service& auth, acd::acd_service& acd);

}  // namespace callcenterd::app
