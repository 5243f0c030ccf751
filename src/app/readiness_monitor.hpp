#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "callcenterd/api/service_routes.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "callcenterd/store/migrator.hpp"

namespace callcenterd::app {

/// Answers "may this process receive traffic?" without ever waiting for the database: a probe
/// on its own strand asks the pool once a second and caches the answer. Until the migrations
/// are applied (the database was unreachable at start) the probe applies them; a schema newer
/// than this build knows keeps the process unready with that reason.
class readiness_monitor {
 public:
  readiness_monitor(boost::asio::io_context& io, store::db_pool& pool,
                    std::vector<store::migration_file> migrations, bool migrated,
                    std::string initial_reason);

  /// Called once, on the monitor's strand, the first time the process becomes ready.
  void on_first_ready(std::function<void()> callback);

  /// Starts probing. Call once, before the io_context runs.
  void start();
  /// Stops probing and waits until the probe (and any database job it has in flight) is
  /// over; the last answer stays. Blocking: call it from a thread that does not run the
  /// io_context, while the io_context still runs.
  void blocking_stop();

  /// The cached answer; cheap, any thread.
  api::readiness current() const;

 private:
  boost::asio::awaitable<void> probe_loop();
  boost::asio::awaitable<void> probe_once();
  void set(bool ready, std::string reason);

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  store::db_pool& pool_;
  std::vector<store::migration_file> migrations_;
  int latest_known_ = 0;
  bool migrated_;
  std::atomic<bool> stopped_{false};
  std::promise<void> loop_finished_;
  bool announced_ready_ = false;
  std::function<void()> on_first_ready_;

  mutable std::mutex mutex_;  // guards the cached answer, read from connection strands
  api::readiness current_;
};

}  // namespace callcenterd::app
