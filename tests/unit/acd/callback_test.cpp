// Queue callbacks: a caller who takes one keeps their place after hanging up; at their turn an
// agent is reserved while they are called back; a failed attempt frees the agent and retries
// later in the same place; the counters keep callbacks apart from answers and abandons.
#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

class callback_test : public engine_test {
 protected:
  /// Agents a1 and a2 serve "sales", which offers callbacks: 3 attempts, 60 s apart.
  void start_sales(unsigned attempts = 3) {
    acd_model model;
    model.agents = {agent("a1", {{"sales", 5}}), agent("a2", {{"sales", 5}})};
    auto sales = queue("sales", {{"sales", 1}});
    sales.callback.offer_after = std::chrono::seconds(30);
    sales.callback.attempts = attempts;
    sales.callback.retry_delay = std::chrono::seconds(60);
    sales.callback.ring_timeout = std::chrono::seconds(20);
    sales.max_wait = std::chrono::seconds(300);
    sales.when_max_wait = {.what = exit_target::kind::flow, .name = "voicemail"};
    model.queues = {sales};
    start(model);
  }
  void take_callback(const std::string& call) {
    ASSERT_TRUE(
        engine_->request_callback(call, {.number = "555" + call, .caller_id = "400"}, now_));
    // The caller hangs up: the ACD keeps the call.
    ASSERT_TRUE(engine_->caller_left(call, now_));
  }
  /// Caller c1 waits 40 s in sales, alone, then takes the callback and hangs up.
  void c1_takes_the_callback_after_40s(unsigned attempts = 3) {
    start_sales(attempts);
    enqueue("c1", "sales");
    advance_to(40);
    take_callback("c1");
  }
  unsigned position_of(const std::string& call) const {
    const auto waiting = engine_->waiting_call(call, now_);
    return waiting ? waiting->position : 0;
  }
};

TEST_F(callback_test, a_callback_keeps_its_place_and_reserves_the_agent_when_its_turn_comes) {
  start_sales();
  enqueue("c1", "sales");
  advance_to(10);
  enqueue("c2", "sales");
  advance_to(40);
  take_callback("c1");
  EXPECT_EQ(position_of("c1"), 1u);
  EXPECT_EQ(position_of("c2"), 2u);
  EXPECT_TRUE(engine_->waiting_call("c1", now_)->callback);
  EXPECT_EQ(engine_->queue("sales", now_)->callbacks, 1u);

  // An agent becomes ready: the callback is first, so they are reserved for it and nothing
  // rings before the caller is back.
  ready("a1");
  ASSERT_EQ(listener_.callbacks.size(), 1u);
  EXPECT_EQ(listener_.callbacks[0].call, "c1");
  EXPECT_EQ(listener_.callbacks[0].agent, "a1");
  EXPECT_EQ(listener_.callback_numbers[0], "555c1");
  EXPECT_TRUE(listener_.offers.empty());
  EXPECT_EQ(state_of("a1"), agent_state::ringing);
  EXPECT_EQ(engine_->agent("a1")->reason, "callback");

  // The caller answers the callback (a new call): the reserved agent's offer rings for it.
  advance_to(50);
  ASSERT_TRUE(engine_->callback_answered("c1", "cb1", now_));
  ASSERT_EQ(listener_.offers.size(), 1u);
  EXPECT_EQ(listener_.offers[0].call, "cb1");
  EXPECT_EQ(listener_.offers[0].agent, "a1");
  EXPECT_EQ(engine_->waiting_call("c1", now_), std::nullopt);
  EXPECT_FALSE(engine_->waiting_call("cb1", now_)->callback);
  advance_to(55);
  answer("cb1", "a1");
  EXPECT_EQ(state_of("a1"), agent_state::on_call);

  const auto q = engine_->queue("sales", now_);
  EXPECT_EQ(q->today.offered, 2u);
  EXPECT_EQ(q->today.callback, 1u);
  EXPECT_EQ(q->today.callbacks_connected, 1u);
  // Its wait runs from its first entry: 0 s to 55 s.
  EXPECT_EQ(q->today.wait_of_callbacks, std::chrono::seconds(55));
  // Not an answer of the queue's, nor an abandon.
  EXPECT_EQ(q->today.answered, 0u);
  EXPECT_EQ(q->today.abandoned, 0u);
  EXPECT_EQ(q->callbacks, 0u);
  const auto connected = listener_.events_of(acd_event::kind::call_connected);
  ASSERT_EQ(connected.size(), 1u);
  EXPECT_EQ(connected[0].detail, "callback");
}

TEST_F(callback_test, a_failed_attempt_frees_the_agent_and_retries_in_the_same_place) {
  c1_takes_the_callback_after_40s();
  enqueue("c2", "sales");
  ready("a1");
  ASSERT_EQ(listener_.callbacks.size(), 1u);

  // Nobody answers the callback: the agent is free at once and takes the caller on the line.
  advance_to(60);
  ASSERT_TRUE(engine_->callback_failed("c1", "no_answer", now_));
  EXPECT_EQ(listener_.offered_agents("c2"), std::vector<std::string>{"a1"});
  answer("c2", "a1");
  // The callback rests, in its place.
  EXPECT_EQ(position_of("c1"), 1u);
  EXPECT_EQ(engine_->queue("sales", now_)->waiting, 1u);
  const auto failed = listener_.events_of(acd_event::kind::callback_failed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].reason, "no_answer");
  EXPECT_EQ(failed[0].detail, "retry");

  // A second agent who becomes ready while it rests is not reserved for it.
  ready("a2");
  EXPECT_EQ(listener_.callbacks.size(), 1u);
  // After the retry delay it goes to the ready agent again.
  advance_to(121);
  ASSERT_EQ(listener_.callbacks.size(), 2u);
  EXPECT_EQ(listener_.callbacks[1].agent, "a2");
  const auto dialing = listener_.events_of(acd_event::kind::callback_dialing);
  ASSERT_EQ(dialing.size(), 2u);
  EXPECT_EQ(dialing[1].detail, "2");
}

TEST_F(callback_test, a_callback_is_given_up_after_its_attempts) {
  c1_takes_the_callback_after_40s(2);
  ready("a1");
  ASSERT_TRUE(engine_->callback_failed("c1", "busy", now_));
  advance_to(101);
  ASSERT_EQ(listener_.callbacks.size(), 2u);
  ASSERT_TRUE(engine_->callback_failed("c1", "no_answer", now_));
  EXPECT_EQ(engine_->waiting_call("c1", now_), std::nullopt);
  EXPECT_EQ(state_of("a1"), agent_state::ready);
  const auto q = engine_->queue("sales", now_);
  EXPECT_EQ(q->today.callbacks_failed, 1u);
  EXPECT_EQ(q->waiting, 0u);
  EXPECT_EQ(q->callbacks, 0u);
  // Max wait no longer applies to it: nothing leaves through the exit.
  advance_to(400);
  EXPECT_TRUE(listener_.exits.empty());
}

TEST_F(callback_test, an_attempt_never_reported_frees_the_agent) {
  c1_takes_the_callback_after_40s();
  ready("a1");
  // Ring timeout 20 s plus the margin: the engine does not wait on a lost call for ever.
  advance_to(71);
  EXPECT_EQ(state_of("a1"), agent_state::ready);
  const auto failed = listener_.events_of(acd_event::kind::callback_failed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].reason, "lost");
  // A late answer is refused: the call layer hangs that caller up.
  EXPECT_EQ(engine_->callback_answered("c1", "cb1", now_).error(), acd_errc::offer_gone);
}

TEST_F(callback_test, a_caller_ringing_an_agent_may_take_the_callback) {
  start_sales();
  enqueue("c1", "sales");
  ready("a1");
  ASSERT_EQ(listener_.offered_agents("c1"), std::vector<std::string>{"a1"});
  advance_to(5);
  // Callback while the agent's phone rings: the offer is withdrawn, and the agent, ready
  // again, is reserved for the callback at once.
  ASSERT_TRUE(engine_->request_callback("c1", {.number = "5551", .caller_id = "400"}, now_));
  ASSERT_EQ(listener_.withdrawn.size(), 1u);
  EXPECT_EQ(listener_.withdrawn[0].why, "callback");
  ASSERT_EQ(listener_.callbacks.size(), 1u);
  EXPECT_EQ(listener_.callbacks[0].agent, "a1");
  // A second callback request for the same call is refused.
  EXPECT_EQ(engine_->request_callback("c1", {.number = "5551", .caller_id = "400"}, now_).error(),
            acd_errc::no_callback);
}

TEST_F(callback_test, a_queue_without_callbacks_refuses_the_request) {
  acd_model model;
  model.agents = {agent("a1", {{"sales", 5}})};
  model.queues = {queue("sales", {{"sales", 1}})};
  start(model);
  enqueue("c1", "sales");
  EXPECT_EQ(engine_->request_callback("c1", {.number = "5551", .caller_id = "400"}, now_).error(),
            acd_errc::no_callback);
  EXPECT_EQ(engine_->request_callback("nobody", {}, now_).error(), acd_errc::unknown_call);
}

TEST_F(callback_test, a_caller_who_hangs_up_after_answering_the_callback_is_not_an_abandon) {
  c1_takes_the_callback_after_40s();
  ready("a1");
  ASSERT_TRUE(engine_->callback_answered("c1", "cb1", now_));
  advance_to(45);
  ASSERT_TRUE(engine_->caller_left("cb1", now_));
  EXPECT_EQ(state_of("a1"), agent_state::ready);
  const auto q = engine_->queue("sales", now_);
  EXPECT_EQ(q->today.abandoned, 0u);
  EXPECT_EQ(q->today.callbacks_failed, 1u);
  ASSERT_EQ(listener_.withdrawn.size(), 1u);
  EXPECT_EQ(listener_.withdrawn[0].call, "cb1");
}

TEST_F(callback_test, the_reconciler_leaves_callbacks_whose_caller_is_away_alone) {
  c1_takes_the_callback_after_40s();
  engine_->reconcile([](std::string_view) { return false; }, now_);
  EXPECT_EQ(position_of("c1"), 1u);
}

TEST_F(callback_test, restored_events_give_the_same_callback_counters) {
  c1_takes_the_callback_after_40s();
  ready("a1");
  ASSERT_TRUE(engine_->callback_answered("c1", "cb1", now_));
  answer("cb1", "a1");
  const auto before = engine_->queue("sales", now_)->today;
  recording_listener other;
  engine restarted(other, model_);
  restarted.restore_today(listener_.events);
  const auto after = restarted.queue("sales", now_)->today;
  EXPECT_EQ(after.callback, before.callback);
  EXPECT_EQ(after.callbacks_connected, 1u);
  EXPECT_EQ(after.wait_of_callbacks, before.wait_of_callbacks);
  EXPECT_EQ(after.answered, 0u);
}

}  // namespace
}  // namespace callcenterd::acd::testing
