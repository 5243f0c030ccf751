#pragma once

#include <chrono>
#include <string>

#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/store/db_pool.hpp"

namespace callcenterd::app {

/// Gives the ACD today's figures from before this start, so a restart mid-day does not zero the
/// wallboard: the queue and agent events this node stored since local midnight and before
/// `started` are read on the pool and replayed through the engine's own counting
/// (engine::restore_today) on the ACD's strand. Events of this run are later than `started`, so
/// none counts twice. When the database cannot be read the day starts from zero, with a warning.
/// Any thread; returns at once.
void restore_acd_day(store::db_pool& pool, acd::acd_service& acd, std::string node,
                     std::chrono::system_clock::time_point started);

}  // namespace callcenterd::app
