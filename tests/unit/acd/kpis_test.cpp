// Today's counters and KPIs of a queue against a day of calls computed by hand (KPIS.md), the
// estimated wait, and the reconciler's repairs.
#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

using std::chrono::seconds;

class kpis_test : public engine_test {
 protected:
  void SetUp() override {
    acd_model model;
    model.agents = {agent("a", {{"s", 1}}), agent("b", {{"s", 1}}),
                    agent("other", {{"s", 1}, {"t", 1}})};
    model.queues = {queue("q", {{"s", 1}}), queue("t", {{"t", 1}})};
    model.queues[0].wrap_up = seconds(10);
    model.queues[0].expected_handle_time = seconds(100);
    start(model);
  }
};

TEST_F(kpis_test, a_scripted_day_gives_the_hand_computed_figures) {
  auto before = engine_->queue("q", now_);
  EXPECT_EQ(before->service_level, std::nullopt);  // n/a, not 0 or 100
  EXPECT_EQ(before->abandon_rate, std::nullopt);
  EXPECT_EQ(before->average_speed_of_answer, std::nullopt);

  enqueue("c1", "q");  // answered after 10 s: within the 20 s threshold
  enqueue("c2", "q");  // answered after 30 s
  enqueue("c3", "q");  // abandons after 3 s: a short abandon
  enqueue("c4", "q");  // abandons after 40 s
  advance_to(3);
  ASSERT_TRUE(engine_->caller_left("c3", now_));
  advance_to(10);
  ready("a");
  answer("c1", "a");
  advance_to(30);
  ready("b");
  answer("c2", "b");
  advance_to(40);
  ASSERT_TRUE(engine_->caller_left("c4", now_));
  advance_to(70);
  ASSERT_TRUE(engine_->call_ended("c1", "caller", now_));  // 60 s talk
  advance_to(80);                                          // 10 s wrap-up

  const auto q = engine_->queue("q", now_);
  EXPECT_EQ(q->today.offered, 4u);
  EXPECT_EQ(q->today.answered, 2u);
  EXPECT_EQ(q->today.answered_within_threshold, 1u);
  EXPECT_EQ(q->today.abandoned, 2u);
  EXPECT_EQ(q->today.short_abandoned, 1u);
  EXPECT_EQ(q->today.wait_of_abandoned, duration{seconds(40)});
  EXPECT_EQ(q->today.completed, 1u);
  // Service level: 1 answered within 20 s / (4 offered - 1 short abandon).
  EXPECT_DOUBLE_EQ(*q->service_level, 1.0 / 3.0);
  // Abandon rate: (2 - 1) / (4 - 1).
  EXPECT_DOUBLE_EQ(*q->abandon_rate, 1.0 / 3.0);
  // ASA: (10 s + 30 s) / 2.
  EXPECT_EQ(*q->average_speed_of_answer, duration{seconds(20)});
  EXPECT_EQ(q->on_call, 1u);
  EXPECT_EQ(q->ready, 1u);
  EXPECT_EQ(q->logged_in, 2u);

  engine_->start_new_day();
  const auto fresh = engine_->queue("q", now_);
  EXPECT_EQ(fresh->today.offered, 0u);
  EXPECT_EQ(fresh->service_level, std::nullopt);
  EXPECT_EQ(engine_->agent("a")->calls_today, 0u);
}

// A restart mid-day: a new engine fed the day's events so far shows the same figures as the
// engine that emitted them, handle times (and so the estimated wait) included.
TEST_F(kpis_test, the_days_events_restore_the_days_figures_after_a_restart) {
  enqueue("c1", "q");
  enqueue("c2", "q");
  enqueue("c3", "q");
  enqueue("t1", "t");
  advance_to(2);
  ASSERT_TRUE(engine_->caller_left("c3", now_));  // a short abandon
  ready("a");
  answer("c1", "a");
  advance_to(25);
  ready("b");
  answer("c2", "b");
  advance_to(65);
  ASSERT_TRUE(engine_->call_ended("c1", "caller", now_));
  advance_to(70);
  ASSERT_TRUE(engine_->end_wrap_up("a", now_));
  advance_to(90);
  ASSERT_TRUE(engine_->call_ended("c2", "agent", now_));
  advance_to(100);  // b's wrap-up runs out

  recording_listener restarted_listener;
  engine restarted(restarted_listener, model_);
  restarted.restore_today(listener_.events);
  EXPECT_TRUE(restarted_listener.events.empty());  // restoring says nothing of its own
  for (const auto* name : {"q", "t"}) {
    const auto before = engine_->queue(name, now_)->today;
    const auto after = restarted.queue(name, now_)->today;
    EXPECT_EQ(after.offered, before.offered) << name;
    EXPECT_EQ(after.answered, before.answered) << name;
    EXPECT_EQ(after.answered_within_threshold, before.answered_within_threshold) << name;
    EXPECT_EQ(after.abandoned, before.abandoned) << name;
    EXPECT_EQ(after.short_abandoned, before.short_abandoned) << name;
    EXPECT_EQ(after.wait_of_answered, before.wait_of_answered) << name;
    EXPECT_EQ(after.talk, before.talk) << name;
    EXPECT_EQ(after.after_call_work, before.after_call_work) << name;
    EXPECT_EQ(after.completed, before.completed) << name;
  }
  const auto q = restarted.queue("q", now_)->today;
  EXPECT_EQ(q.offered, 3u);
  EXPECT_EQ(q.completed, 2u);
  EXPECT_EQ(q.talk, duration{seconds(63 + 65)});  // a took c1 at 2 s, b took c2 at 25 s
  EXPECT_EQ(q.after_call_work, duration{seconds(5 + 10)});
  for (const auto* id : {"a", "b"}) {
    EXPECT_EQ(restarted.agent(id)->calls_today, 1u) << id;
    EXPECT_EQ(restarted.agent(id)->talk_today, engine_->agent(id)->talk_today) << id;
  }
  // The same handle times behind the estimate: two agents busy in both engines.
  ASSERT_TRUE(restarted.set_ready("a", now_));
  ASSERT_TRUE(restarted.set_ready("b", now_));
  for (auto* e : {engine_.get(), &restarted}) {
    ASSERT_TRUE(e->enqueue({.call = "x1", .queue = "q", .priority = 0}, now_));
    ASSERT_TRUE(e->enqueue({.call = "x2", .queue = "q", .priority = 0}, now_));
    ASSERT_TRUE(e->offer_answered("x1", "a", now_));
    ASSERT_TRUE(e->offer_answered("x2", "b", now_));
  }
  EXPECT_EQ(restarted.queue("q", now_)->ewt, engine_->queue("q", now_)->ewt);
  // (63 + 5 and 65 + 10 s handled) / 2 per call, over two agents, the first in line.
  EXPECT_EQ(restarted.queue("q", now_)->ewt, duration{std::chrono::milliseconds(35750)});
}

TEST_F(kpis_test, the_estimated_wait_follows_calls_ahead_agents_and_handle_times) {
  EXPECT_EQ(engine_->queue("q", now_)->ewt, std::nullopt);  // nobody works the queue
  ready("a");
  EXPECT_EQ(engine_->queue("q", now_)->ewt, duration{0});  // a ready agent takes it at once
  ready("b");
  enqueue("c1", "q");
  enqueue("c2", "q");
  answer("c1", "a");
  answer("c2", "b");
  // Both busy, no history yet: 100 s per call, two agents, the first in line.
  EXPECT_EQ(engine_->queue("q", now_)->ewt, duration{seconds(50)});
  enqueue("c3", "q");
  enqueue("c4", "q");
  EXPECT_EQ(engine_->waiting_call("c4", now_)->ewt, duration{seconds(100)});
  EXPECT_EQ(engine_->queue("q", now_)->ewt, duration{seconds(150)});
  // The third agent also serves t, where a caller waits: half an agent for q.
  ready("other");
  answer("c3", "other");
  enqueue("t1", "t");
  // 2 waiting ahead (c4, then the newcomer at 2): 2 * 100 s / 2.5 agents.
  EXPECT_EQ(engine_->queue("q", now_)->ewt, duration{seconds(80)});
  // Handle times measured replace the guess: 30 s talk + 10 s wrap-up.
  advance_to(30);
  ASSERT_TRUE(engine_->call_ended("c1", "caller", now_));
  advance_to(40);
  // a took c4 on leaving wrap-up: q's line is empty, everyone is busy.
  answer("c4", "a");
  EXPECT_EQ(engine_->queue("q", now_)->ewt, duration{seconds(16)});  // 1 * 40 s / 2.5
}

TEST_F(kpis_test, the_reconciler_frees_agents_whose_calls_are_gone) {
  ready("a");
  ready("b");
  enqueue("talking", "q");
  answer("talking", "a");
  enqueue("ringing", "q");
  enqueue("waiting", "q");
  EXPECT_EQ(state_of("b"), agent_state::ringing);
  advance_to(5);
  engine_->reconcile([](std::string_view call) { return call == "waiting"; }, now_);
  EXPECT_EQ(state_of("a"), agent_state::wrap_up);
  // b was freed from the vanished call and offered the one that is still there.
  EXPECT_EQ(state_of("b"), agent_state::ringing);
  EXPECT_EQ(engine_->agent("b")->call, "waiting");
  const auto repaired = listener_.events_of(acd_event::kind::agent_repaired);
  ASSERT_EQ(repaired.size(), 2u);
  EXPECT_EQ(engine_->queue("q", now_)->today.lost, 1u);
  EXPECT_EQ(engine_->waiting_call("ringing", now_), std::nullopt);
}

}  // namespace
}  // namespace callcenterd::acd::testing
