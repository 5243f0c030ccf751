#include "acd_metrics.hpp"

#include <array>
#include <boost/asio/post.hpp>

namespace callcenterd::app {

namespace {

constexpr std::array states{acd::agent_state::logged_out, acd::agent_state::ready,
                            acd::agent_state::not_ready,  acd::agent_state::ringing,
                            acd::agent_state::on_call,    acd::agent_state::wrap_up};

}  // namespace

acd_metrics::acd_metrics(boost::asio::io_context& io, core::metrics_registry& metrics,
                         acd::acd_service& acd, const acd::acd_model& model)
    : acd_(acd), timer_(io) {
  for (const auto& q : model.queues) {
    const core::metric_labels labels{{"queue", q.name}};
    queue_gauges g{
        .waiting = &metrics.gauge("callcenterd_queue_waiting",
                                  "Calls waiting in the queue now, ringing ones included", labels),
        .oldest_wait = &metrics.gauge("callcenterd_queue_oldest_wait_seconds",
                                      "How long the longest-waiting call has waited", labels),
        .offered = &metrics.gauge("callcenterd_queue_offered_today",
                                  "Calls that entered the queue today", labels),
        .answered = &metrics.gauge("callcenterd_queue_answered_today",
                                   "Calls of the queue connected to an agent today", labels),
        .abandoned = &metrics.gauge("callcenterd_queue_abandoned_today",
                                    "Calls whose caller hung up while waiting today", labels),
        .callbacks_waiting =
            &metrics.gauge("callcenterd_queue_callbacks_waiting",
                           "Callbacks in the queue whose caller is not on the line yet", labels),
        .callback = &metrics.gauge("callcenterd_queue_callback_today",
                                   "Callers who took the queue's callback today", labels),
        .callbacks_connected = &metrics.gauge("callcenterd_queue_callbacks_connected_today",
                                              "Callbacks that reached an agent today", labels),
        .service_level = &metrics.gauge(
            "callcenterd_queue_service_level",
            "Today's service level (answered within the threshold / offered less short "
            "abandons); -1 while there is none",
            labels),
        .agents = {}};
    for (const auto state : states) {
      if (state == acd::agent_state::logged_out) continue;
      g.agents.push_back(
          &metrics.gauge("callcenterd_queue_agents", "Agents with the queue's skills, by state",
                         {{"queue", q.name}, {"state", std::string(acd::to_string(state))}}));
    }
    queues_.push_back(std::move(g));
  }
  for (const auto state : states) {
    agents_by_state_.push_back(&metrics.gauge("callcenterd_agents", "Agents by state",
                                              {{"state", std::string(acd::to_string(state))}}));
  }
}

void acd_metrics::start() {
  boost::asio::post(timer_.get_executor(), [this] { arm(); });
}

void acd_metrics::stop() {
  boost::asio::post(timer_.get_executor(), [this] { timer_.cancel(); });
}

void acd_metrics::arm() {
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    acd_.run([this](acd::engine& engine, acd::instant now) { refresh(engine, now); });
    arm();
  });
}

void acd_metrics::refresh(acd::engine& engine, acd::instant now) {
  const auto views = engine.queues(now);
  for (std::size_t i = 0; i < views.size() && i < queues_.size(); ++i) {
    const auto& v = views[i];
    auto& g = queues_[i];
    g.waiting->set(v.waiting);
    g.oldest_wait->set(static_cast<double>(v.oldest_wait.count()) / 1000.0);
    g.offered->set(static_cast<double>(v.today.offered));
    g.answered->set(static_cast<double>(v.today.answered));
    g.abandoned->set(static_cast<double>(v.today.abandoned));
    g.callbacks_waiting->set(v.callbacks);
    g.callback->set(static_cast<double>(v.today.callback));
    g.callbacks_connected->set(static_cast<double>(v.today.callbacks_connected));
    g.service_level->set(v.service_level.value_or(-1.0));
    const std::array<unsigned, 5> counts{v.ready, v.not_ready, v.ringing, v.on_call, v.wrap_up};
    for (std::size_t s = 0; s < counts.size() && s < g.agents.size(); ++s) {
      g.agents[s]->set(counts[s]);
    }
  }
  std::array<unsigned, states.size()> by_state{};
  for (const auto& agent : engine.agents()) ++by_state[static_cast<std::size_t>(agent.state)];
  for (std::size_t s = 0; s < by_state.size(); ++s) agents_by_state_[s]->set(by_state[s]);
}

}  // namespace callcenterd::app
