#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "audit_trail.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "route_access.hpp"

namespace callcenterd::app {

/// A blocklist pattern as a client may write it ("+86 138-0000-1111", "0755*") reduced to what
/// the table keeps: its digits, with a trailing '*' for a prefix. Nullopt when that is not 1 to
/// 20 digits, or when anything but digits, '+', spaces, '-', '.', '(' and ')' comes before
/// the '*'.
std::optional<std::string> normalized_block_pattern(std::string_view text);

/// GET /api/v1/blocklist (the entries, paged, with whether each is in force), POST
/// /api/v1/blocklist (a new entry), PUT and DELETE /api/v1/blocklist/{pattern}: supervisors
/// and admins, each change audited. `changed` is called after every change so that calls see
/// it at once rather than at the next periodic reload.
void register_blocklist_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                               std::function<void()> changed);

}  // namespace callcenterd::app
