// Agent states: wrap-up and its early end, next status after the call, refusals, and an event
// for every change with the state before it.
#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

class agent_states_test : public engine_test {
 protected:
  void SetUp() override {
    acd_model model;
    model.agents = {agent("a", {{"s", 1}})};
    model.queues = {queue("q", {{"s", 1}})};
    model.queues[0].wrap_up = std::chrono::seconds(30);
    start(model);
  }
  void take_a_call(const std::string& call) {
    enqueue(call, "q");
    answer(call, "a");
  }
};

TEST_F(agent_states_test, wrap_up_lasts_its_time_then_the_next_call_comes) {
  ready("a");
  take_a_call("call1");
  advance_to(60);
  ASSERT_TRUE(engine_->call_ended("call1", "caller", now_));
  EXPECT_EQ(state_of("a"), agent_state::wrap_up);
  EXPECT_EQ(engine_->agent("a")->call, "call1");
  enqueue("call2", "q");
  EXPECT_EQ(listener_.offered_agents("call2").size(), 0u);
  advance_to(89.9);
  EXPECT_EQ(state_of("a"), agent_state::wrap_up);
  advance_to(90);
  EXPECT_EQ(state_of("a"), agent_state::ringing);
  EXPECT_EQ(last_offered_agent(), "a");
  const auto q = engine_->queue("q", now_);
  EXPECT_EQ(q->today.after_call_work, duration{std::chrono::seconds(30)});
  EXPECT_EQ(q->today.talk, duration{std::chrono::seconds(60)});
}

TEST_F(agent_states_test, an_agent_may_end_wrap_up_early) {
  ready("a");
  take_a_call("call1");
  ASSERT_TRUE(engine_->call_ended("call1", "agent", now_));
  advance_to(5);
  ASSERT_TRUE(engine_->end_wrap_up("a", now_));
  EXPECT_EQ(state_of("a"), agent_state::ready);
  EXPECT_EQ(engine_->queue("q", now_)->today.after_call_work, duration{std::chrono::seconds(5)});
  EXPECT_EQ(engine_->end_wrap_up("a", now_).error(), acd_errc::not_in_wrap_up);
  // The state event out of wrap-up says for which call, and how long the work took: the
  // call's record takes its after-call work from it.
  const auto changes = listener_.events_of(acd_event::kind::agent_state_changed);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().previous, agent_state::wrap_up);
  EXPECT_EQ(changes.back().call, "call1");
  EXPECT_EQ(changes.back().queue, "q");
  EXPECT_EQ(changes.back().work, duration{std::chrono::seconds(5)});
  // The old wrap-up deadline does nothing.
  advance_to(40);
  EXPECT_EQ(state_of("a"), agent_state::ready);
}

TEST_F(agent_states_test, not_ready_asked_during_a_call_applies_after_wrap_up) {
  ready("a");
  take_a_call("call1");
  ASSERT_TRUE(engine_->set_not_ready("a", "lunch", now_));
  EXPECT_EQ(state_of("a"), agent_state::on_call);
  EXPECT_EQ(engine_->agent("a")->next, next_status::not_ready);
  ASSERT_TRUE(engine_->call_ended("call1", "caller", now_));
  EXPECT_EQ(state_of("a"), agent_state::wrap_up);
  advance_to(30);
  EXPECT_EQ(state_of("a"), agent_state::not_ready);
  EXPECT_EQ(engine_->agent("a")->reason, "lunch");
  EXPECT_EQ(engine_->agent("a")->next, next_status::none);
}

TEST_F(agent_states_test, log_out_after_this_call) {
  ready("a");
  take_a_call("call1");
  ASSERT_TRUE(engine_->log_out("a", now_));
  ASSERT_TRUE(engine_->call_ended("call1", "caller", now_));
  advance_to(30);
  EXPECT_EQ(state_of("a"), agent_state::logged_out);
  // Changing one's mind: ready during the call cancels the next status.
  ready("a");
  take_a_call("call2");
  ASSERT_TRUE(engine_->log_out("a", now_));
  ready("a");
  ASSERT_TRUE(engine_->call_ended("call2", "caller", now_));
  advance_to(60);
  EXPECT_EQ(state_of("a"), agent_state::ready);
}

TEST_F(agent_states_test, ready_during_wrap_up_ends_it) {
  ready("a");
  take_a_call("call1");
  ASSERT_TRUE(engine_->call_ended("call1", "caller", now_));
  ready("a");
  EXPECT_EQ(state_of("a"), agent_state::ready);
}

TEST_F(agent_states_test, unknown_agents_and_reasons_are_refused) {
  EXPECT_EQ(engine_->set_ready("nobody", now_).error(), acd_errc::unknown_agent);
  EXPECT_EQ(engine_->set_not_ready("a", "nap", now_).error(), acd_errc::unknown_reason);
  EXPECT_EQ(engine_->log_out("nobody", now_).error(), acd_errc::unknown_agent);
  EXPECT_EQ(state_of("a"), agent_state::logged_out);
}

TEST_F(agent_states_test, not_ready_from_logged_out_logs_in_not_ready) {
  ASSERT_TRUE(engine_->set_not_ready("a", "training", now_));
  EXPECT_EQ(state_of("a"), agent_state::not_ready);
  enqueue("call1", "q");
  EXPECT_TRUE(listener_.offers.empty());
  EXPECT_EQ(engine_->queue("q", now_)->logged_in, 1u);
}

TEST_F(agent_states_test, every_change_is_an_event_with_the_state_before_it) {
  ready("a");
  advance_to(1);
  take_a_call("call1");
  advance_to(2);
  ASSERT_TRUE(engine_->call_ended("call1", "caller", now_));
  advance_to(40);
  ASSERT_TRUE(engine_->log_out("a", now_));
  std::vector<std::pair<agent_state, agent_state>> changes;
  for (const auto& e : listener_.events_of(acd_event::kind::agent_state_changed)) {
    EXPECT_EQ(e.agent, "a");
    changes.emplace_back(e.previous, e.state);
  }
  using s = agent_state;
  EXPECT_EQ(changes, (std::vector<std::pair<s, s>>{{s::logged_out, s::ready},
                                                   {s::ready, s::ringing},
                                                   {s::ringing, s::on_call},
                                                   {s::on_call, s::wrap_up},
                                                   {s::wrap_up, s::ready},
                                                   {s::ready, s::logged_out}}));
  const auto wrap = listener_.events_of(acd_event::kind::agent_state_changed)[3];
  EXPECT_EQ(wrap.call, "call1");
  EXPECT_EQ(wrap.at, at(2));
}

}  // namespace
}  // namespace callcenterd::acd::testing
