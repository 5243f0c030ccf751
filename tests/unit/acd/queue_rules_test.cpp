// A queue's rules: max length, the no-agents policy, max wait, and overflow that widens the
// candidates or moves the call on, keeping its arrival time.
#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

class queue_rules_test : public engine_test {
 protected:
  /// Agents: senior (billing 8), junior (billing 3), generalist (support 5). Queues: billing
  /// (billing >= 6), support (support >= 1).
  acd_model base_model() const {
    acd_model model;
    model.agents = {agent("senior", {{"billing", 8}}), agent("junior", {{"billing", 3}}),
                    agent("generalist", {{"support", 5}})};
    model.queues = {queue("billing", {{"billing", 6}}), queue("support", {{"support", 1}})};
    return model;
  }
};

TEST_F(queue_rules_test, a_full_queue_refuses_and_sends_the_caller_on) {
  auto model = base_model();
  model.queues[0].max_length = 2;
  model.queues[0].when_full = {.what = exit_target::kind::flow, .name = "voicemail"};
  start(model);
  enqueue("c1", "billing");
  enqueue("c2", "billing");
  enqueue("c3", "billing");
  ASSERT_EQ(listener_.exits.size(), 1u);
  EXPECT_EQ(listener_.exits[0].call, "c3");
  EXPECT_EQ(listener_.exits[0].why, queue_outcome::blocked);
  EXPECT_EQ(listener_.exits[0].target.name, "voicemail");
  const auto q = engine_->queue("billing", now_);
  EXPECT_EQ(q->today.offered, 2u);
  EXPECT_EQ(q->today.blocked, 1u);
  EXPECT_EQ(q->waiting, 2u);
  // Its id is free again: the same call may try again later.
  EXPECT_EQ(engine_->waiting_call("c3", now_), std::nullopt);
}

TEST_F(queue_rules_test, with_no_agent_logged_in_refuse_turns_callers_away_and_join_keeps_them) {
  auto model = base_model();
  model.queues[0].when_no_agents_policy = no_agents_policy::refuse;
  model.queues[0].when_no_agents = {.what = exit_target::kind::hang_up,
                                    .message = "Billing is closed."};
  start(model);
  enqueue("c1", "billing");
  ASSERT_EQ(listener_.exits.size(), 1u);
  EXPECT_EQ(listener_.exits[0].target.message, "Billing is closed.");
  // Support joins by default: the caller waits for an agent to log in.
  enqueue("c2", "support");
  EXPECT_EQ(listener_.exits.size(), 1u);
  ready("generalist");
  EXPECT_EQ(last_offered_agent(), "generalist");
  // A not-ready agent counts as logged in: billing callers wait for them.
  ASSERT_TRUE(engine_->set_not_ready("senior", "break", now_));
  enqueue("c3", "billing");
  EXPECT_EQ(listener_.exits.size(), 1u);
  const auto waiting = engine_->waiting_call("c3", now_);
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->position, 1u);
  // The junior agent's level is below the queue's: not one of its agents.
  ASSERT_TRUE(engine_->log_out("senior", now_));
  ASSERT_TRUE(engine_->set_ready("junior", now_));
  enqueue("c4", "billing");
  EXPECT_EQ(listener_.exits.size(), 2u);
}

TEST_F(queue_rules_test, max_wait_sends_the_caller_to_its_destination) {
  auto model = base_model();
  model.queues[0].max_wait = std::chrono::seconds(120);
  model.queues[0].when_max_wait = {.what = exit_target::kind::extension, .name = "2000"};
  start(model);
  enqueue("c1", "billing");
  advance_to(119);
  EXPECT_TRUE(listener_.exits.empty());
  advance_to(120);
  ASSERT_EQ(listener_.exits.size(), 1u);
  EXPECT_EQ(listener_.exits[0].why, queue_outcome::timed_out);
  EXPECT_EQ(listener_.exits[0].target.name, "2000");
  EXPECT_EQ(engine_->queue("billing", now_)->today.timed_out, 1u);
  EXPECT_EQ(engine_->queue("billing", now_)->waiting, 0u);
}

TEST_F(queue_rules_test, max_wait_does_not_take_a_call_from_a_ringing_agent) {
  auto model = base_model();
  model.queues[0].max_wait = std::chrono::seconds(20);
  model.queues[0].ring_timeout = std::chrono::seconds(30);
  start(model);
  advance_to(1);
  enqueue("c1", "billing");
  advance_to(10);
  ready("senior");
  advance_to(25);
  EXPECT_TRUE(listener_.exits.empty());
  answer("c1", "senior");
  advance_to(60);
  EXPECT_TRUE(listener_.exits.empty());
  EXPECT_EQ(state_of("senior"), agent_state::on_call);
}

TEST_F(queue_rules_test, overflow_lowers_the_level_after_its_delay) {
  auto model = base_model();
  model.queues[0].overflow = {{.after = std::chrono::seconds(30), .lower_min_level_by = 3}};
  start(model);
  ready("junior");
  enqueue("c1", "billing");
  EXPECT_TRUE(listener_.offers.empty());
  EXPECT_EQ(engine_->queue("billing", now_)->ready, 0u);
  advance_to(30);
  EXPECT_EQ(last_offered_agent(), "junior");
  ASSERT_EQ(listener_.events_of(acd_event::kind::call_widened).size(), 1u);
  // A new caller still needs level 6 until it has waited as long.
  answer("c1", "junior");
  ASSERT_TRUE(engine_->call_ended("c1", "caller", now_));
  ASSERT_TRUE(engine_->end_wrap_up("junior", now_));
  enqueue("c2", "billing");
  EXPECT_EQ(listener_.offered_agents("c2").size(), 0u);
  // A junior who becomes ready takes a widened call, not one that is not.
  advance_to(60);
  EXPECT_EQ(last_offered_agent(), "junior");
}

TEST_F(queue_rules_test, overflow_adds_a_secondary_skill_set) {
  auto model = base_model();
  model.queues[0].overflow = {{.after = std::chrono::seconds(45), .add_skills = {{"support", 4}}}};
  start(model);
  ready("generalist");
  enqueue("c1", "billing");
  advance_to(44);
  EXPECT_TRUE(listener_.offers.empty());
  advance_to(45);
  EXPECT_EQ(last_offered_agent(), "generalist");
}

TEST_F(queue_rules_test, a_ready_agent_takes_the_best_call_across_stages_and_queues) {
  auto model = base_model();
  model.agents.push_back(agent("both", {{"billing", 7}, {"support", 2}}));
  start(model);
  enqueue("support_old", "support");
  advance_to(10);
  enqueue("billing_vip", "billing", 5);
  advance_to(20);
  enqueue("billing_new", "billing");
  ready("both");
  EXPECT_EQ(last_offered_agent(), "both");
  EXPECT_EQ(listener_.offers.back().call, "billing_vip");
  answer("billing_vip", "both");
  ASSERT_TRUE(engine_->call_ended("billing_vip", "caller", now_));
  ASSERT_TRUE(engine_->end_wrap_up("both", now_));
  // Same priority: the longest wait across the queues.
  EXPECT_EQ(listener_.offers.back().call, "support_old");
}

TEST_F(queue_rules_test, an_escalation_raises_a_waiting_call_past_later_ones_keeping_its_time) {
  start(base_model());
  enqueue("first", "billing");
  advance_to(5);
  ASSERT_TRUE(engine_->enqueue({.call = "escalating",
                                .queue = "billing",
                                .priority = 0,
                                .escalation = {{.after = std::chrono::seconds(60), .priority = 3},
                                               {.after = std::chrono::seconds(30), .priority = 1}}},
                               now_));
  advance_to(10);
  enqueue("vip", "billing", 2);
  EXPECT_EQ(engine_->waiting_call("escalating", now_)->position, 3u);
  // After 30 s of its own wait it counts 1: behind the VIP, ahead of the first caller.
  advance_to(36);
  EXPECT_EQ(engine_->waiting_call("escalating", now_)->position, 2u);
  EXPECT_EQ(engine_->waiting_call("escalating", now_)->priority, 1);
  // After 60 s, 3: served next.
  advance_to(66);
  EXPECT_EQ(engine_->waiting_call("escalating", now_)->position, 1u);
  const auto raised = listener_.events_of(acd_event::kind::priority_changed);
  ASSERT_EQ(raised.size(), 2u);
  EXPECT_EQ(raised[1].detail, "escalation");
  ready("senior");
  EXPECT_EQ(listener_.offers.back().call, "escalating");
  // A connected call escalates no further; its id may be used again without old steps.
  answer("escalating", "senior");
  advance_to(200);
  EXPECT_EQ(listener_.events_of(acd_event::kind::priority_changed).size(), 2u);
  EXPECT_EQ(engine_
                ->enqueue({.call = "bad",
                           .queue = "billing",
                           .priority = 0,
                           .escalation = {{.after = std::chrono::seconds(1), .priority = 101}}},
                          now_)
                .error(),
            acd_errc::bad_priority);
}

TEST_F(queue_rules_test, overflow_moves_the_call_keeping_its_arrival_time) {
  auto model = base_model();
  model.queues[0].overflow = {
      {.after = std::chrono::seconds(60),
       .move_to = exit_target{.what = exit_target::kind::queue, .name = "support"}}};
  start(model);
  enqueue("billing_caller", "billing");
  advance_to(30);
  enqueue("support_caller", "support");
  advance_to(60);
  EXPECT_EQ(engine_->queue("billing", now_)->waiting, 0u);
  EXPECT_EQ(engine_->queue("billing", now_)->today.overflowed, 1u);
  const auto moved = engine_->waiting_call("billing_caller", now_);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->queue, "support");
  EXPECT_EQ(moved->position, 1u);
  EXPECT_EQ(moved->waited, duration{std::chrono::seconds(60)});
  EXPECT_EQ(engine_->queue("support", now_)->today.offered, 2u);
  ready("generalist");
  EXPECT_EQ(listener_.offers.back().call, "billing_caller");
  answer("billing_caller", "generalist");
  // Its wait runs from the first queue.
  EXPECT_EQ(engine_->queue("support", now_)->today.wait_of_answered,
            duration{std::chrono::seconds(60)});
}

TEST_F(queue_rules_test, a_cycle_of_moves_ends_in_a_hang_up) {
  auto model = base_model();
  const auto to = [](const char* q) {
    return overflow_rule{.after = std::chrono::seconds(10),
                         .move_to = exit_target{.what = exit_target::kind::queue, .name = q}};
  };
  model.queues[0].overflow = {to("support")};
  model.queues[1].overflow = {to("billing")};
  start(model);
  enqueue("c1", "billing");
  advance_to(1000);
  ASSERT_EQ(listener_.exits.size(), 1u);
  EXPECT_EQ(listener_.exits[0].target.what, exit_target::kind::hang_up);
  EXPECT_EQ(engine_->queue("billing", now_)->today.overflowed +
                engine_->queue("support", now_)->today.overflowed,
            9u);
}

TEST_F(queue_rules_test, unknown_queues_and_duplicate_calls_are_refused) {
  start(base_model());
  EXPECT_EQ(engine_->enqueue({.call = "c1", .queue = "nope"}, now_).error(),
            acd_errc::unknown_queue);
  enqueue("c1", "support");
  EXPECT_EQ(engine_->enqueue({.call = "c1", .queue = "support"}, now_).error(),
            acd_errc::already_queued);
  EXPECT_EQ(engine_->enqueue({.call = "c2", .queue = "support", .priority = -1}, now_).error(),
            acd_errc::bad_priority);
}

}  // namespace
}  // namespace callcenterd::acd::testing
