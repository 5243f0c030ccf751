#include "service_metrics.hpp"

#include "callcenterd/core/version.hpp"

namespace callcenterd::app {
namespace {

template <class T>
double read(const std::atomic<T>& value) {
  return static_cast<double>(value.load(std::memory_order_relaxed));
}

}  // namespace

service_metrics::service_metrics(core::metrics_registry& metrics, const store::db_pool& pool,
                                 const store::event_log& events,
                                 const readiness_monitor& readiness) {
  metrics
      .gauge("callcenterd_build_info", "Always 1; the version is a label",
             {{"version", core::version}})
      .set(1);
  auto& r = registrations_;
  r.push_back(
      metrics.callback_gauge("callcenterd_ready", "1 when the database is reachable and migrated",
                             {}, [&readiness] { return readiness.current().ready ? 1.0 : 0.0; }));

  const auto& db = pool.stats();
  r.push_back(metrics.callback_gauge("callcenterd_db_pool_connections", "Open database connections",
                                     {}, [&db] { return read(db.connections_open); }));
  r.push_back(metrics.callback_gauge("callcenterd_db_pool_jobs_queued",
                                     "Database jobs waiting for a connection", {},
                                     [&db] { return read(db.jobs_queued); }));
  r.push_back(metrics.callback_counter("callcenterd_db_pool_jobs_failed_total",
                                       "Database jobs that failed", {},
                                       [&db] { return read(db.jobs_failed_total); }));
  r.push_back(metrics.callback_counter("callcenterd_db_pool_reconnects_total",
                                       "Database reconnections after a lost connection", {},
                                       [&db] { return read(db.reconnects_total); }));

  const auto& log = events.stats();
  r.push_back(metrics.callback_gauge("callcenterd_event_log_backlog",
                                     "Events in memory, not yet durable", {},
                                     [&log] { return read(log.backlog); }));
  r.push_back(metrics.callback_gauge("callcenterd_event_log_spool_bytes",
                                     "Bytes waiting in the event spool file", {},
                                     [&log] { return read(log.spool_bytes); }));
  r.push_back(metrics.callback_gauge("callcenterd_event_log_degraded",
                                     "1 while events go to the spool instead of PostgreSQL", {},
                                     [&log] { return log.degraded.load() ? 1.0 : 0.0; }));
  const char* events_help = "Events by what happened to them";
  const std::pair<const char*, const std::atomic<std::uint64_t>*> outcomes[] = {
      {"appended", &log.appended_total},
      {"written", &log.written_total},
      {"spooled", &log.spooled_total},
      {"replayed", &log.replayed_total},
      {"rejected", &log.rejected_total}};
  for (const auto& outcome : outcomes) {
    const auto* total = outcome.second;
    r.push_back(metrics.callback_counter("callcenterd_event_log_events_total", events_help,
                                         {{"outcome", outcome.first}},
                                         [total] { return read(*total); }));
  }
}

}  // namespace callcenterd::app
