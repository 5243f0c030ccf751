#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <vector>

#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/core/metrics.hpp"

namespace callcenterd::app {

/// The ACD's live figures in /metrics, refreshed once a second from the ACD's strand: per
/// queue the waiting calls, the oldest wait, the agents by state and today's KPIS.md counts;
/// per state the agents in it. Gauges, since today's counts start again at midnight.
class acd_metrics {
 public:
  acd_metrics(boost::asio::io_context& io, core::metrics_registry& metrics, acd::acd_service& acd,
              const acd::acd_model& model);
  /// Starts the refreshing; any thread.
  void start();
  /// Stops it; any thread. Nothing is refreshed once the ACD has stopped either.
  void stop();

 private:
  struct queue_gauges {
    core::gauge* waiting;
    core::gauge* oldest_wait;
    core::gauge* offered;
    core::gauge* answered;
    core::gauge* abandoned;
    core::gauge* callbacks_waiting;
    core::gauge* callback;
    core::gauge* callbacks_connected;
    core::gauge* service_level;
    std::vector<core::gauge*> agents;  ///< by acd::agent_state, logged_out excluded
  };
  void arm();
  void refresh(acd::engine& engine, acd::instant now);

  acd::acd_service& acd_;
  boost::asio::steady_timer timer_;
  std::vector<queue_gauges> queues_;
  std::vector<core::gauge*> agents_by_state_;
};

}  // namespace callcenterd::app
