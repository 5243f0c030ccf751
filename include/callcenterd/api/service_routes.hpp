#pragma once

#include <functional>
#include <string>

namespace callcenterd::core {
class metrics_registry;
}

namespace callcenterd::api {

class router;

/// Whether the process should receive traffic, and if not, why (for humans and load balancers).
struct readiness {
  bool ready = false;
  std::string reason;
};

/// Answers the readiness question. Called on a connection's strand for every GET /readyz, so it
/// must return at once (the app caches database and component state; nothing here may block)
/// and be safe to call from several threads.
using readiness_provider = std::function<readiness()>;

/// Adds the service endpoints to `routes`:
///  - GET /healthz          200 {"status":"ok"} while the process runs
///  - GET /readyz           200 {"status":"ready"} or 503 {"status":"not_ready","reason":...}
///  - GET /metrics          `metrics.render()` as Prometheus text format 0.0.4
///  - GET /api/v1 and /api/v1/   {"name":"callcenterd","version":...,"api":"v1"}
/// `metrics` must outlive the router. Call during start-up, before the server starts.
void register_service_routes(router& routes, core::metrics_registry& metrics,
                             readiness_provider ready);

}  // namespace callcenterd::api
