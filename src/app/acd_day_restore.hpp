#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>

#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "callcenterd/store/event_log.hpp"

namespace callcenterd::app {

/// Gives the ACD today's figures from before this start, so a restart mid-day does not zero the
/// wallboard: the queue and agent events this node stored since local midnight and before
/// `started` are read on the pool and replayed through the engine's own counting
/// (engine::restore_today) on the ACD's strand. Events of this run are later than `started`, so
/// none counts twice, however late the figures come. Events an earlier run left in the event
/// log's spool (a stop while PostgreSQL was away) count too: the read waits until `log` has
/// replayed its spool, and a read that fails is tried again until the database answers, with a
/// warning. The same job first writes `model` (the one in force) to the model's tables
/// (acd_model_rows.hpp), so reports can name what the events refer to, and puts back the skills
/// supervisors and admins set through the API (engine::restore_skills: a change made in this
/// run meanwhile wins).
/// Any thread; returns at once; `io`, `pool`, `acd`, `log` and `model` must outlive `io`'s run.
void restore_acd_day(boost::asio::io_context& io, store::db_pool& pool, acd::acd_service& acd,
                     const store::event_log_stats& log, const acd::acd_model& model,
                     std::string node, std::chrono::system_clock::time_point started);

}  // namespace callcenterd::app
