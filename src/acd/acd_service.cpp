// The engine on its strand: requests posted in, one steady timer re-armed for the engine's
// next deadline after every change, and the reconciler on its own timer.
#include "callcenterd/acd/acd_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <future>
#include <unordered_set>

#include "callcenterd/core/local_day.hpp"

namespace callcenterd::acd {

namespace asio = boost::asio;

class acd_service::hooks_listener final : public engine_listener {
 public:
  explicit hooks_listener(const acd_service_hooks& hooks) : hooks_(hooks) {}
  void on_offer(const std::string& call, const agent_settings& agent,
                const std::string& queue) override {
    if (hooks_.offer) hooks_.offer(call, agent, queue);
  }
  void on_offer_withdrawn(const std::string& call, const std::string& agent,
                          std::string_view why) override {
    if (hooks_.withdraw) hooks_.withdraw(call, agent, why);
  }
  void on_exit(const std::string& call, queue_outcome why, const exit_target& target) override {
    if (hooks_.exit) hooks_.exit(call, why, target);
  }
  void on_callback_due(const std::string& call, const agent_settings& agent,
                       const std::string& queue, const callback_party& to) override {
    if (hooks_.callback_due) hooks_.callback_due(call, agent, queue, to);
  }
  void on_event(const acd_event& event) override {
    if (hooks_.record) hooks_.record(event);
  }

 private:
  acd_service_hooks hooks_;
};

acd_service::acd_service(asio::io_context& io, const acd_model& model, acd_service_hooks hooks,
                         acd_service_settings settings)
    : strand_(asio::make_strand(io)),
      listener_(std::make_unique<hooks_listener>(hooks)),
      engine_(std::make_unique<engine>(
          *listener_, model,
          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()))),

      settings_(settings),
      deadline_timer_(strand_),
      reconcile_timer_(strand_),
      day_timer_(strand_) {
  hooks_for_reconcile_ = std::move(hooks.call_alive);
  for (const auto& agent : model.agents) {
    if (agent.auto_login) auto_login_.push_back(agent.id);
  }
}

acd_service::~acd_service() = default;

void acd_service::start() {
  run([this](engine& acd, instant now) {
    for (const auto& id : auto_login_) (void)acd.log_in(id, now);
    arm_reconciler();
    arm_day_rollover();
  });
}

void acd_service::blocking_stop() {
  std::promise<void> stopped;
  asio::post(strand_, [this, &stopped] {
    stopped_ = true;
    deadline_timer_.cancel();
    reconcile_timer_.cancel();
    day_timer_.cancel();
    stopped.set_value();
  });
  stopped.get_future().wait();
}

void acd_service::run(std::function<void(engine& acd, instant now)> job) {
  asio::post(strand_, [this, job = std::move(job)] {
    if (stopped_) return;
    job(*engine_, std::chrono::steady_clock::now());
    after_change();
  });
}

void acd_service::enqueue(call_request request) {
  run([request = std::move(request)](engine& acd, instant now) {
    if (auto done = acd.enqueue(request, now); !done) {
      spdlog::warn("call {}: queue {} refused it: {}", request.call, request.queue,
                   done.error().message());
    }
  });
}

void acd_service::caller_left(std::string call) {
  run([call = std::move(call)](engine& acd, instant now) { (void)acd.caller_left(call, now); });
}

void acd_service::offer_answered(std::string call, std::string agent,
                                 std::function<void(bool)> done) {
  run([call = std::move(call), agent = std::move(agent), done = std::move(done)](
          engine& acd, instant now) { done(acd.offer_answered(call, agent, now).has_value()); });
}

void acd_service::offer_failed(std::string call, std::string agent, offer_failure why) {
  run([call = std::move(call), agent = std::move(agent), why](engine& acd, instant now) {
    (void)acd.offer_failed(call, agent, why, now);
  });
}

void acd_service::call_ended(std::string call, std::string who) {
  run([call = std::move(call), who = std::move(who)](engine& acd, instant now) {
    (void)acd.call_ended(call, who, now);
  });
}

void acd_service::request_callback(std::string call, callback_party to,
                                   std::function<void(bool)> done) {
  run([call = std::move(call), to = std::move(to), done = std::move(done)](engine& acd,
                                                                           instant now) {
    const auto taken = acd.request_callback(call, to, now);
    if (!taken) spdlog::info("call {}: no callback: {}", call, taken.error().message());
    done(taken.has_value());
  });
}

void acd_service::callback_answered(std::string call, std::string new_call,
                                    std::function<void(bool)> done) {
  run([call = std::move(call), new_call = std::move(new_call), done = std::move(done)](
          engine& acd, instant now) {
    done(acd.callback_answered(call, new_call, now).has_value());
  });
}

void acd_service::callback_failed(std::string call, std::string why) {
  run([call = std::move(call), why = std::move(why)](engine& acd, instant now) {
    (void)acd.callback_failed(call, why, now);
  });
}

void acd_service::after_change() {
  if (stopped_) return;
  const auto next = engine_->next_deadline();
  if (next == armed_for_) return;
  armed_for_ = next;
  if (!next) {
    deadline_timer_.cancel();
    return;
  }
  deadline_timer_.expires_at(*next);
  deadline_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    armed_for_.reset();
    engine_->advance(std::chrono::steady_clock::now());
    after_change();
  });
}

void acd_service::arm_reconciler() {
  if (!hooks_for_reconcile_ || stopped_) return;
  reconcile_timer_.expires_after(settings_.reconcile_interval);
  reconcile_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    // A call is repaired only when it is missing twice in a row: one missing once may be
    // ending right now, its last message to the ACD still on the way.
    std::unordered_set<std::string> missing;
    engine_->reconcile(
        [this, &missing](std::string_view call) {
          std::string id(call);
          if (hooks_for_reconcile_(id)) return true;
          const bool twice = missing_before_.contains(id);
          missing.insert(std::move(id));
          return !twice;
        },
        std::chrono::steady_clock::now());
    missing_before_ = std::move(missing);
    after_change();
    arm_reconciler();
  });
}

void acd_service::arm_day_rollover() {
  if (stopped_) return;
  day_timer_.expires_at(core::next_local_midnight(std::chrono::system_clock::now()));
  day_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    spdlog::info("acd: a new day; today's queue counters start from zero");
    engine_->start_new_day();
    after_change();
    arm_day_rollover();
  });
}

}  // namespace callcenterd::acd
