// An agent's skills changed while the engine runs: the queues they serve, from which overflow
// step and how well follow at once, and nothing else moves.
#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

class skill_change_test : public engine_test {
 protected:
  /// Agent a has support 5, agent b sales 5; queues support and sales, no wrap-up.
  void start_two_queues(const std::string& strategy = "longest_idle") {
    acd_model model;
    model.agents = {agent("a", {{"support", 5}}), agent("b", {{"sales", 5}})};
    model.queues = {queue("support", {{"support", 1}}, strategy),
                    queue("sales", {{"sales", 3}}, strategy)};
    for (auto& q : model.queues) q.wrap_up = duration{0};
    start(model);
  }
  queue_view view(const std::string& name) const { return *engine_->queue(name, now_); }
};

TEST_F(skill_change_test, a_ready_agent_given_a_skill_takes_a_waiting_call_of_it_at_once) {
  start_two_queues();
  ready("a");
  enqueue("call1", "sales");
  EXPECT_TRUE(listener_.offered_agents("call1").empty());
  EXPECT_EQ(view("sales").logged_in, 0U);
  ASSERT_TRUE(engine_->set_skills("a", {{"support", 5}, {"sales", 4}}, now_));
  EXPECT_EQ(listener_.offered_agents("call1"), std::vector<std::string>{"a"});
  EXPECT_EQ(view("sales").logged_in, 1U);
  EXPECT_EQ(engine_->agent("a")->skills, (std::vector<agent_skill>{{"support", 5}, {"sales", 4}}));
}

TEST_F(skill_change_test, a_level_below_the_queue_minimum_does_not_qualify) {
  start_two_queues();
  ready("a");
  enqueue("call1", "sales");
  ASSERT_TRUE(engine_->set_skills("a", {{"support", 5}, {"sales", 2}}, now_));
  EXPECT_TRUE(listener_.offered_agents("call1").empty());
  EXPECT_EQ(view("sales").logged_in, 0U);
}

TEST_F(skill_change_test, an_agent_who_loses_a_skill_is_no_longer_offered_its_calls) {
  start_two_queues();
  ready("a");
  EXPECT_EQ(view("support").ready, 1U);
  ASSERT_TRUE(engine_->set_skills("a", {{"sales", 5}}, now_));
  EXPECT_EQ(view("support").ready, 0U);
  EXPECT_EQ(view("support").logged_in, 0U);
  EXPECT_EQ(view("sales").ready, 1U);
  enqueue("call1", "support");
  EXPECT_TRUE(listener_.offered_agents("call1").empty());
  enqueue("call2", "sales");
  EXPECT_EQ(listener_.offered_agents("call2"), std::vector<std::string>{"a"});
}

TEST_F(skill_change_test, a_raised_level_wins_the_next_most_skilled_pick) {
  acd_model model;
  model.agents = {agent("a", {{"support", 3}}), agent("b", {{"support", 6}})};
  model.queues = {queue("support", {{"support", 1}}, "most_skilled")};
  model.queues[0].wrap_up = duration{0};
  start(model);
  ready("a");
  ready("b");
  ASSERT_TRUE(engine_->set_skills("a", {{"support", 9}}, now_));
  enqueue("call1", "support");
  EXPECT_EQ(last_offered_agent(), "a");
}

TEST_F(skill_change_test, a_call_in_progress_stays_and_the_new_skills_apply_after_it) {
  start_two_queues();
  ready("a");
  enqueue("call1", "support");
  answer("call1", "a");
  ASSERT_TRUE(engine_->set_skills("a", {{"sales", 5}}, now_));
  EXPECT_EQ(state_of("a"), agent_state::on_call);
  EXPECT_EQ(view("support").on_call, 0U);  // no longer a member of support
  enqueue("call2", "sales");
  EXPECT_TRUE(listener_.offered_agents("call2").empty());
  ASSERT_TRUE(engine_->call_ended("call1", "caller", now_));
  // Ready again after the call (no wrap-up), now for sales: the waiting call rings them.
  EXPECT_EQ(listener_.offered_agents("call2"), std::vector<std::string>{"a"});
}

TEST_F(skill_change_test, bad_skills_and_unknown_agents_are_refused_and_change_nothing) {
  start_two_queues();
  ready("a");
  EXPECT_EQ(engine_->set_skills("a", {{"support", 11}}, now_).error(), acd_errc::bad_skills);
  EXPECT_EQ(engine_->set_skills("a", {{"support", 0}}, now_).error(), acd_errc::bad_skills);
  EXPECT_EQ(engine_->set_skills("a", {{"sales", 4}, {"sales", 5}}, now_).error(),
            acd_errc::bad_skills);
  EXPECT_EQ(engine_->set_skills("a", {{"", 4}}, now_).error(), acd_errc::bad_skills);
  EXPECT_EQ(engine_->set_skills("zz", {{"sales", 4}}, now_).error(), acd_errc::unknown_agent);
  EXPECT_EQ(engine_->agent("a")->skills, (std::vector<agent_skill>{{"support", 5}}));
  EXPECT_EQ(view("support").ready, 1U);
  // No skills at all: the agent serves no queue but stays ready.
  ASSERT_TRUE(engine_->set_skills("a", {}, now_));
  EXPECT_EQ(view("support").ready, 0U);
  EXPECT_EQ(state_of("a"), agent_state::ready);
}

TEST_F(skill_change_test, round_robin_keeps_the_config_order_after_a_change) {
  acd_model model;
  model.agents = {agent("a", {{"support", 5}}), agent("b", {{"sales", 5}}),
                  agent("c", {{"support", 5}})};
  model.queues = {queue("support", {{"support", 1}}, "round_robin")};
  model.queues[0].wrap_up = duration{0};
  start(model);
  ready("a");
  ready("b");
  ready("c");
  ASSERT_TRUE(engine_->set_skills("b", {{"support", 5}}, now_));
  std::vector<std::string> served;
  for (int i = 0; i < 4; ++i) {
    const auto call = "call" + std::to_string(i);
    enqueue(call, "support");
    served.push_back(last_offered_agent());
    answer(call, served.back());
    ASSERT_TRUE(engine_->call_ended(call, "caller", now_));
  }
  EXPECT_EQ(served, (std::vector<std::string>{"a", "b", "c", "a"}));
}

TEST_F(skill_change_test, skills_kept_from_before_a_restart_yield_to_a_change_of_this_run) {
  start_two_queues();
  EXPECT_TRUE(engine_->restore_skills("b", {{"sales", 7}}, now_));
  EXPECT_EQ(engine_->agent("b")->skills, (std::vector<agent_skill>{{"sales", 7}}));
  ASSERT_TRUE(engine_->set_skills("a", {{"sales", 9}}, now_));
  EXPECT_FALSE(engine_->restore_skills("a", {{"support", 2}}, now_));
  EXPECT_EQ(engine_->agent("a")->skills, (std::vector<agent_skill>{{"sales", 9}}));
  EXPECT_FALSE(engine_->restore_skills("nobody", {{"sales", 1}}, now_));
}

}  // namespace
}  // namespace callcenterd::acd::testing
