// Offers that do not end in a connection: the agent who lets it ring out goes not ready and
// the call goes to the next agent, never lost; and answers that come too late are refused.
#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

class offers_test : public engine_test {
 protected:
  void SetUp() override {
    acd_model model;
    model.agents = {agent("a", {{"s", 1}}), agent("b", {{"s", 1}})};
    model.queues = {queue("q", {{"s", 1}})};
    model.queues[0].ring_timeout = std::chrono::seconds(15);
    start(model);
    ready("a");
    advance_to(1);
    ready("b");
    advance_to(2);
  }
};

TEST_F(offers_test, an_offer_that_rings_out_goes_to_the_next_agent) {
  enqueue("call1", "q");
  EXPECT_EQ(last_offered_agent(), "a");
  EXPECT_EQ(state_of("a"), agent_state::ringing);
  advance_to(16.9);
  EXPECT_EQ(listener_.offers.size(), 1u);
  advance_to(17);
  EXPECT_EQ(state_of("a"), agent_state::not_ready);
  EXPECT_EQ(engine_->agent("a")->reason, "no_answer");
  ASSERT_EQ(listener_.withdrawn.size(), 1u);
  EXPECT_EQ(listener_.withdrawn[0].agent, "a");
  EXPECT_EQ(listener_.withdrawn[0].why, "no_answer");
  EXPECT_EQ(last_offered_agent(), "b");
  const auto failed = listener_.events_of(acd_event::kind::offer_failed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].detail, "no_answer");
  // The lapsed agent's answer, arriving after the withdrawal, is refused.
  EXPECT_EQ(engine_->offer_answered("call1", "a", now_).error(), acd_errc::offer_gone);
  answer("call1", "b");
  EXPECT_EQ(engine_->waiting_call("call1", now_), std::nullopt);
}

TEST_F(offers_test, the_call_waits_when_the_last_agent_lets_it_ring_out) {
  ASSERT_TRUE(engine_->set_not_ready("b", "lunch", now_));
  enqueue("call1", "q");
  advance_to(17);
  EXPECT_EQ(listener_.offers.size(), 1u);
  const auto waiting = engine_->waiting_call("call1", now_);
  ASSERT_TRUE(waiting);
  EXPECT_FALSE(waiting->ringing);
  ready("b");
  EXPECT_EQ(last_offered_agent(), "b");
}

TEST_F(offers_test, an_empty_no_answer_reason_keeps_the_agent_ready_at_the_back) {
  acd_model model = model_;
  model.queues[0].no_answer_reason = "";
  start(model);
  ready("a");
  ready("b");
  enqueue("call1", "q");
  EXPECT_EQ(last_offered_agent(), "a");
  advance_to(17);
  EXPECT_EQ(state_of("a"), agent_state::ready);
  EXPECT_EQ(last_offered_agent(), "b");
}

TEST_F(offers_test, a_declining_device_puts_its_agent_not_ready) {
  enqueue("call1", "q");
  ASSERT_TRUE(engine_->offer_failed("call1", "a", offer_failure::declined, now_));
  EXPECT_EQ(state_of("a"), agent_state::not_ready);
  EXPECT_EQ(engine_->agent("a")->reason, "declined");
  EXPECT_EQ(last_offered_agent(), "b");
  // The call reported the failure itself: nothing to withdraw.
  EXPECT_TRUE(listener_.withdrawn.empty());
  EXPECT_EQ(engine_->offer_failed("call1", "a", offer_failure::declined, now_).error(),
            acd_errc::offer_gone);
}

TEST_F(offers_test, a_device_that_unregisters_mid_ring_fails_the_offer) {
  enqueue("call1", "q");
  engine_->device_lost("a", now_);
  EXPECT_EQ(engine_->agent("a")->reason, "unreachable");
  EXPECT_EQ(last_offered_agent(), "b");
}

TEST_F(offers_test, a_device_that_registers_again_brings_back_only_an_unreachable_agent) {
  enqueue("call1", "q");
  engine_->device_lost("a", now_);
  ASSERT_TRUE(engine_->set_not_ready("b", "lunch", now_));
  engine_->device_registered("b", now_);
  EXPECT_EQ(engine_->agent("b")->reason, "lunch");  // the agent's own reason stands
  engine_->device_registered("a", now_);
  EXPECT_EQ(state_of("a"), agent_state::ringing);  // ready, and the waiting call rings them
  EXPECT_EQ(listener_.offered_agents("call1"), (std::vector<std::string>{"a", "b", "a"}));
  engine_->device_registered("nobody", now_);
}

TEST_F(offers_test, a_caller_who_hangs_up_while_ringing_frees_the_agent) {
  enqueue("call1", "q");
  advance_to(5);
  ASSERT_TRUE(engine_->caller_left("call1", now_));
  EXPECT_EQ(state_of("a"), agent_state::ready);
  ASSERT_EQ(listener_.withdrawn.size(), 1u);
  EXPECT_EQ(listener_.withdrawn[0].why, "abandoned");
  const auto left = listener_.events_of(acd_event::kind::call_left);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].outcome, queue_outcome::abandoned);
  EXPECT_EQ(left[0].wait, duration{std::chrono::seconds(3)});
  EXPECT_EQ(left[0].position, 1u);
  EXPECT_EQ(engine_->offer_answered("call1", "a", now_).error(), acd_errc::offer_gone);
  // The ring timeout of the gone call does nothing.
  advance_to(30);
  EXPECT_EQ(state_of("a"), agent_state::ready);
  EXPECT_TRUE(listener_.exits.empty());
}

TEST_F(offers_test, an_agent_who_logs_out_while_ringing_passes_the_call_on) {
  enqueue("call1", "q");
  ASSERT_TRUE(engine_->log_out("a", now_));
  EXPECT_EQ(state_of("a"), agent_state::logged_out);
  ASSERT_EQ(listener_.withdrawn.size(), 1u);
  EXPECT_EQ(listener_.withdrawn[0].why, "logged_out");
  EXPECT_EQ(last_offered_agent(), "b");
}

TEST_F(offers_test, going_not_ready_while_ringing_passes_the_call_on) {
  enqueue("call1", "q");
  ASSERT_TRUE(engine_->set_not_ready("a", "break", now_));
  EXPECT_EQ(engine_->agent("a")->reason, "break");
  EXPECT_EQ(last_offered_agent(), "b");
}

TEST_F(offers_test, an_answer_by_an_agent_not_offered_the_call_is_refused) {
  enqueue("call1", "q");
  EXPECT_EQ(engine_->offer_answered("call1", "b", now_).error(), acd_errc::offer_gone);
  EXPECT_EQ(engine_->offer_answered("call1", "zed", now_).error(), acd_errc::unknown_agent);
  EXPECT_EQ(engine_->offer_answered("nope", "a", now_).error(), acd_errc::offer_gone);
  EXPECT_EQ(state_of("b"), agent_state::ready);
}

TEST_F(offers_test, a_connected_call_ignores_its_stale_ring_timeout) {
  enqueue("call1", "q");
  answer("call1", "a");
  advance_to(60);
  EXPECT_EQ(state_of("a"), agent_state::on_call);
  EXPECT_TRUE(listener_.withdrawn.empty());
}

}  // namespace
}  // namespace callcenterd::acd::testing
