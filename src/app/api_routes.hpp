#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <filesystem>

#include "audit_trail.hpp"
#include "auth_service.hpp"
#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/call/live_calls.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "route_access.hpp"

namespace callcenterd::app {

/// POST /api/v1/auth/login and /api/v1/auth/logout; each login and logout is audited.
void register_auth_routes(secured_routes& routes, audit_trail& audit);

/// The ACD's routes for agents and supervisors: agents' states (GET /api/v1/agents,
/// /api/v1/agents/{agent}, POST .../state, POST .../wrapup/end) and queues' live figures
/// (GET /api/v1/queues, /api/v1/queues/{queue}). Each needs a session; an agent sees and
/// steers only themself, a supervisor the agents of their teams, an admin everyone.
void register_acd_routes(secured_routes& routes, audit_trail& audit, acd::acd_service& acd);

/// GET /api/v1/routes (admin): every route of the router with the roles it admits, the list
/// docs/openapi.yaml is checked against; GET /api/v1/audit (admin): the audit log, filtered
/// and paged, read from PostgreSQL.
void register_admin_routes(secured_routes& routes, store::db_pool& pool);

/// GET /api/v1/cdrs: call detail records by time, number, agent, queue, disposition and
/// customer, newest first, paged JSON or (format=csv) a CSV export; each user sees the calls
/// of the agents they reach.
/// GET /api/v1/calls and /api/v1/calls/{call}: the calls in progress, from memory. An agent
/// sees those ringing or talking to them, a supervisor their teams' and those with no agent
/// yet, an admin all.
void register_call_routes(secured_routes& routes, const call::live_call_board& board,
                          acd::acd_service& acd);

/// GET /api/v1/recordings (the index, filtered and paged), /api/v1/recordings/{id} and
/// /api/v1/recordings/{id}/audio (the WAV, with byte ranges; ?download=1 as an attachment),
/// files read on `files` from under `root`. Playbacks and downloads are audited.
void register_recording_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                               acd::acd_service& acd, boost::asio::any_io_executor files,
                               std::filesystem::path root);

void register_cdr_routes(secured_routes& routes, store::db_pool& pool, acd::acd_service& acd);

}  // namespace callcenterd::app
