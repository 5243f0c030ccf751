#pragma once

#include <vector>

#include "callcenterd/core/metrics.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "callcenterd/store/event_log.hpp"
#include "readiness_monitor.hpp"

namespace callcenterd::app {

/// Publishes the state other components keep in atomics (pool, event log, readiness, build)
/// as callback metrics, read at scrape time. Destroy it before the objects it reads.
class service_metrics {
 public:
  service_metrics(core::metrics_registry& metrics, const store::db_pool& pool,
                  const store::event_log& events, const readiness_monitor& readiness);

 private:
  std::vector<core::callback_registration> registrations_;
};

}  // namespace callcenterd::app
