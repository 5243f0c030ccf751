#pragma once

#include "audit_trail.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "route_access.hpp"

namespace callcenterd::app {

/// The people who sign in, for admins: GET /api/v1/users (paged, by login or name),
/// GET /api/v1/users/{id}, POST /api/v1/users and PUT /api/v1/users/{id} (name, role, password,
/// a supervisor's teams, disabled). Passwords are hashed with argon2id on the pool and never
/// echoed or audited. A change of password, role or disabled ends the user's sessions; the
/// last enabled admin cannot be demoted or disabled. Each change is audited.
void register_user_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool);

}  // namespace callcenterd::app
