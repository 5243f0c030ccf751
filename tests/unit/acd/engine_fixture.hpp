#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "callcenterd/acd/engine.hpp"

namespace callcenterd::acd::testing {

/// Records what the engine asks of calls and tells the log.
class recording_listener final : public engine_listener {
 public:
  struct offer_made {
    std::string call;
    std::string agent;
    std::string queue;
  };
  struct withdrawal {
    std::string call;
    std::string agent;
    std::string why;
  };
  struct exit_made {
    std::string call;
    queue_outcome why;
    exit_target target;
  };

  void on_offer(const std::string& call, const agent_settings& agent,
                const std::string& queue) override {
    offers.push_back({call, agent.id, queue});
  }
  void on_offer_withdrawn(const std::string& call, const std::string& agent,
                          std::string_view why) override {
    withdrawn.push_back({call, agent, std::string(why)});
  }
  void on_exit(const std::string& call, queue_outcome why, const exit_target& target) override {
    exits.push_back({call, why, target});
  }
  void on_callback_due(const std::string& call, const agent_settings& agent,
                       const std::string& queue, const callback_party& to) override {
    callbacks.push_back({call, agent.id, queue});
    callback_numbers.push_back(to.number);
  }
  void on_event(const acd_event& event) override { events.push_back(event); }

  /// The agents offered `call`, in order.
  std::vector<std::string> offered_agents(const std::string& call) const {
    std::vector<std::string> agents;
    for (const auto& o : offers) {
      if (o.call == call) agents.push_back(o.agent);
    }
    return agents;
  }
  std::vector<acd_event> events_of(acd_event::kind what) const {
    std::vector<acd_event> found;
    std::copy_if(events.begin(), events.end(), std::back_inserter(found),
                 [&](const acd_event& e) { return e.what == what; });
    return found;
  }

  std::vector<offer_made> offers;
  std::vector<offer_made> callbacks;          ///< callbacks due, with the agent reserved
  std::vector<std::string> callback_numbers;  ///< and whom each calls
  std::vector<withdrawal> withdrawn;
  std::vector<exit_made> exits;
  std::vector<acd_event> events;
};

inline agent_settings agent(std::string id, std::vector<agent_skill> skills) {
  return agent_settings{.id = id,
                        .name = "Agent " + id,
                        .extension = id,
                        .teams = {"team1"},
                        .skills = std::move(skills)};
}

inline queue_settings queue(std::string name, std::vector<skill_requirement> skills,
                            std::string strategy = "longest_idle") {
  queue_settings q;
  q.name = std::move(name);
  q.skills = std::move(skills);
  q.strategy = std::move(strategy);
  return q;
}

/// An engine on a manual clock: `at(s)` is s seconds after the start.
class engine_test : public ::testing::Test {
 protected:
  static instant at(double seconds) {
    return instant{} + std::chrono::hours(100) +
           std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  }

  void start(acd_model model, std::uint64_t seed = 1) {
    model_ = std::move(model);
    engine_ = std::make_unique<engine>(listener_, model_, seed);
  }
  /// Moves the clock to `seconds`, running everything due on the way.
  void advance_to(double seconds) {
    const auto until = at(seconds);
    while (auto next = engine_->next_deadline()) {
      if (*next > until) break;
      engine_->advance(*next);
      now_ = *next;
    }
    now_ = until;
  }
  void ready(const std::string& id) { ASSERT_TRUE(engine_->set_ready(id, now_)); }
  void enqueue(const std::string& call, const std::string& q, int priority = 0) {
    ASSERT_TRUE(engine_->enqueue({.call = call, .queue = q, .priority = priority}, now_));
  }
  void answer(const std::string& call, const std::string& id) {
    ASSERT_TRUE(engine_->offer_answered(call, id, now_));
  }
  agent_state state_of(const std::string& id) const { return engine_->agent(id)->state; }
  std::string last_offered_agent() const {
    return listener_.offers.empty() ? "" : listener_.offers.back().agent;
  }

  recording_listener listener_;
  acd_model model_;
  std::unique_ptr<engine> engine_;
  instant now_ = at(0);
};

}  // namespace callcenterd::acd::testing
