#pragma once

#include "audit_trail.hpp"
#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "callcenterd/store/event_log.hpp"
#include "disposition_catalog.hpp"
#include "route_access.hpp"

namespace callcenterd::app {

/// GET /api/v1/disposition-codes (everyone), POST and PUT /api/v1/disposition-codes[/{code}]
/// (admins), and PUT /api/v1/calls/{call}/wrapup: the disposition code and notes of a call,
/// by its agent or a supervisor or admin who reaches them, written as a "call.wrapup" event
/// (docs/api.md, "Wrap-up"). `codes` is kept current after each write.
void register_wrapup_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                            store::event_log& events, acd::acd_service& acd,
                            disposition_catalog& codes);

}  // namespace callcenterd::app
