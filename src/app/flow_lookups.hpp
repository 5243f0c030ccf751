#pragma once

#include <functional>
#include <vector>

#include "callcenterd/config/flow_settings.hpp"
#include "callcenterd/ivr/flow_channel.hpp"
#include "callcenterd/store/db_pool.hpp"

namespace callcenterd::app {

/// Runs a lookup node's query on the database pool: in a read-only transaction with the
/// query's timeout as statement_timeout, parameters passed as values (never spliced into the
/// SQL). `done` gets the first row, not_found, or failed with the server's reason; it runs
/// on a pool thread. Any thread.
void run_flow_lookup(store::db_pool& pool, const config::query_settings& query,
                     std::vector<ivr::value> parameters,
                     std::function<void(ivr::lookup_result)> done);

}  // namespace callcenterd::app
