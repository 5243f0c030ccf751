#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/system_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "callcenterd/acd/engine.hpp"

namespace callcenterd::acd {

/// What the service does with the engine's decisions. Each is called on the service's strand
/// and must return at once (post the work elsewhere).
struct acd_service_hooks {
  std::function<void(const std::string& call, const agent_settings& agent,
                     const std::string& queue)>
      offer;
  std::function<void(const std::string& call, const std::string& agent, std::string_view why)>
      withdraw;
  std::function<void(const std::string& call, queue_outcome why, const exit_target& target)> exit;
  std::function<void(const std::string& call, const agent_settings& agent, const std::string& queue,
                     const callback_party& to)>
      callback_due;
  /// Every event (its time is the ACD's monotonic clock).
  std::function<void(const acd_event& event)> record;
  /// Whether a call is still up, for the reconciler; empty: no reconciling.
  std::function<bool(const std::string& call)> call_alive;
};

struct acd_service_settings {
  /// How often live agents and calls are checked against the calls that really exist.
  std::chrono::milliseconds reconcile_interval{std::chrono::seconds(5)};
};

/// The ACD engine on its own strand with one timer for its deadlines: the single writer every
/// call and agent request is posted to. Requests return at once; results come back through
/// the completion handlers given (called on the service's strand).
class acd_service {
 public:
  acd_service(boost::asio::io_context& io, const acd_model& model, acd_service_hooks hooks,
              acd_service_settings settings = {});
  ~acd_service();
  acd_service(const acd_service&) = delete;
  acd_service& operator=(const acd_service&) = delete;

  /// Logs in the agents marked auto_login, starts the reconciler, and zeroes today's counters
  /// at every local midnight. Any thread.
  void start();
  /// Cancels the timers and ignores every request from then on, so no hook is called after
  /// it returns. Blocks until the strand has done so: not on the service's strand.
  void blocking_stop();

  // Calls. Any thread.
  void enqueue(call_request request);
  void caller_left(std::string call);
  void offer_answered(std::string call, std::string agent, std::function<void(bool)> done);
  void offer_failed(std::string call, std::string agent, offer_failure why);
  void call_ended(std::string call, std::string who);
  /// Callbacks (engine::request_callback and the rest); `done` gets whether the engine took it.
  void request_callback(std::string call, callback_party to, std::function<void(bool)> done);
  void callback_answered(std::string call, std::string new_call, std::function<void(bool)> done);
  void callback_failed(std::string call, std::string why);

  /// Runs `job` with the engine and the time on the service's strand: agent requests and live
  /// views. Any thread.
  void run(std::function<void(engine& acd, instant now)> job);
  /// Runs `job` on the service's strand and gives its result back to the awaiting coroutine
  /// (on that coroutine's executor): agent requests and live views from the API. After
  /// blocking_stop() the job is not run and `T{}` comes back.
  template <class T>
  boost::asio::awaitable<T> ask(std::function<T(engine& acd, instant now)> job) {
    // Made, then awaited: GCC 12 mishandles temporaries in a full expression that co_awaits.
    auto work = answer(std::move(job));
    auto spawned = boost::asio::co_spawn(strand_, std::move(work), boost::asio::use_awaitable);
    auto result = co_await std::move(spawned);
    co_return result;
  }

 private:
  template <class T>
  boost::asio::awaitable<T> answer(std::function<T(engine& acd, instant now)> job) {
    if (stopped_) co_return T{};
    T result = job(*engine_, std::chrono::steady_clock::now());
    after_change();
    co_return result;
  }

  class hooks_listener;
  void after_change();
  void arm_reconciler();
  void arm_day_rollover();

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  std::unique_ptr<hooks_listener> listener_;
  std::function<bool(const std::string& call)> hooks_for_reconcile_;
  /// Calls the last reconciling round found missing.
  std::unordered_set<std::string> missing_before_;
  std::unique_ptr<engine> engine_;
  std::vector<std::string> auto_login_;  ///< agents logged in at start()
  acd_service_settings settings_;
  boost::asio::steady_timer deadline_timer_;
  std::optional<instant> armed_for_;
  boost::asio::steady_timer reconcile_timer_;
  boost::asio::system_timer day_timer_;
  bool stopped_ = false;
};

}  // namespace callcenterd::acd
