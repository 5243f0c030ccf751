// Each routing strategy picks the agent it promises, and calls are served by priority, then
// arrival, with aging so that low priority cannot starve.
#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

class strategy_test : public engine_test {
 protected:
  /// Agents a (level 3), b (level 8), c (level 5) with skill "support"; one queue.
  void start_with(const std::string& strategy) {
    acd_model model;
    model.agents = {agent("a", {{"support", 3}}), agent("b", {{"support", 8}}),
                    agent("c", {{"support", 5}})};
    model.queues = {queue("q", {{"support", 1}}, strategy)};
    model.queues[0].wrap_up = duration{0};
    start(model);
  }
  /// One call answered by whoever it is offered to, then ended `talk` seconds later.
  std::string serve_one(const std::string& call, double talk = 0) {
    enqueue(call, "q");
    const auto agent = last_offered_agent();
    EXPECT_EQ(listener_.offered_agents(call).size(), 1u);
    answer(call, agent);
    advance_to(std::chrono::duration<double>(now_ - at(0)).count() + talk);
    EXPECT_TRUE(engine_->call_ended(call, "caller", now_));
    return agent;
  }
};

TEST_F(strategy_test, longest_idle_offers_to_the_agent_ready_longest) {
  start_with("longest_idle");
  ready("b");
  advance_to(1);
  ready("a");
  advance_to(2);
  ready("c");
  advance_to(3);
  enqueue("call1", "q");
  EXPECT_EQ(last_offered_agent(), "b");
  enqueue("call2", "q");
  EXPECT_EQ(last_offered_agent(), "a");
}

TEST_F(strategy_test, most_skilled_prefers_the_highest_level_over_idle_time) {
  start_with("most_skilled");
  ready("a");
  advance_to(1);
  ready("c");
  advance_to(2);
  ready("b");
  enqueue("call1", "q");
  EXPECT_EQ(last_offered_agent(), "b");
  enqueue("call2", "q");
  EXPECT_EQ(last_offered_agent(), "c");
  enqueue("call3", "q");
  EXPECT_EQ(last_offered_agent(), "a");
}

TEST_F(strategy_test, round_robin_goes_around_the_members_in_order) {
  start_with("round_robin");
  ready("c");
  ready("b");
  ready("a");
  std::vector<std::string> served;
  for (int i = 0; i < 5; ++i) served.push_back(serve_one("call" + std::to_string(i)));
  EXPECT_EQ(served, (std::vector<std::string>{"a", "b", "c", "a", "b"}));
}

TEST_F(strategy_test, fewest_calls_offers_to_the_agent_with_the_fewest_calls_today) {
  start_with("fewest_calls");
  ready("a");
  EXPECT_EQ(serve_one("call1"), "a");
  EXPECT_EQ(serve_one("call2"), "a");
  ready("b");
  advance_to(10);
  // a became ready last (after call2) and b later still, but b has no calls yet.
  EXPECT_EQ(serve_one("call3"), "b");
  EXPECT_EQ(serve_one("call4"), "b");
  // Two each: the longest ready of the two (a) is next.
  EXPECT_EQ(serve_one("call5"), "a");
}

TEST_F(strategy_test, least_talk_time_offers_to_the_agent_who_talked_least_today) {
  start_with("least_talk_time");
  ready("a");
  ready("b");
  EXPECT_EQ(serve_one("long", 300), "a");
  EXPECT_EQ(serve_one("short", 10), "b");
  EXPECT_EQ(serve_one("next", 10), "b");
  EXPECT_EQ(serve_one("again", 10), "b");
  EXPECT_EQ(engine_->agent("b")->talk_today, duration{std::chrono::seconds(30)});
}

TEST_F(strategy_test, random_spreads_calls_over_every_ready_agent) {
  start_with("random");
  ready("a");
  ready("b");
  ready("c");
  std::map<std::string, int> count;
  for (int i = 0; i < 300; ++i) ++count[serve_one("call" + std::to_string(i))];
  ASSERT_EQ(count.size(), 3u);
  for (const auto& [agent, n] : count) EXPECT_GT(n, 60) << agent;
}

TEST_F(strategy_test, ring_all_rings_everyone_and_the_first_answer_takes_the_call) {
  start_with("ring_all");
  ready("a");
  ready("b");
  ready("c");
  enqueue("call1", "q");
  auto rung = listener_.offered_agents("call1");
  std::sort(rung.begin(), rung.end());
  EXPECT_EQ(rung, (std::vector<std::string>{"a", "b", "c"}));
  answer("call1", "c");
  EXPECT_EQ(state_of("c"), agent_state::on_call);
  EXPECT_EQ(state_of("a"), agent_state::ready);
  EXPECT_EQ(state_of("b"), agent_state::ready);
  ASSERT_EQ(listener_.withdrawn.size(), 2u);
  EXPECT_EQ(listener_.withdrawn[0].why, "answered_elsewhere");
  EXPECT_EQ(engine_->offer_answered("call1", "a", now_).error(), acd_errc::offer_gone);
}

TEST_F(strategy_test, ring_all_rings_again_without_penalty_when_nobody_answers) {
  start_with("ring_all");
  ready("a");
  ready("b");
  enqueue("call1", "q");
  advance_to(15);
  EXPECT_EQ(state_of("a"), agent_state::ringing);
  EXPECT_EQ(listener_.offered_agents("call1").size(), 4u);
  EXPECT_EQ(listener_.withdrawn.size(), 2u);
}

class priority_test : public engine_test {
 protected:
  void start_with(duration aging) {
    acd_model model;
    model.agents = {agent("a", {{"support", 5}})};
    model.queues = {queue("q", {{"support", 1}})};
    model.queues[0].priority_aging = aging;
    model.queues[0].wrap_up = duration{0};
    start(model);
  }
  /// Serves whatever the agent is offered next; returns the call.
  std::string next_served() {
    const auto before = listener_.offers.size();
    ready("a");
    if (listener_.offers.size() == before) return {};
    const auto call = listener_.offers.back().call;
    answer(call, "a");
    EXPECT_TRUE(engine_->call_ended(call, "agent", now_));
    EXPECT_TRUE(engine_->set_not_ready("a", "break", now_));
    return call;
  }
};

TEST_F(priority_test, a_higher_priority_caller_is_served_first_then_arrival_order) {
  start_with(duration{0});
  enqueue("first", "q", 1);
  advance_to(1);
  enqueue("second", "q", 1);
  advance_to(2);
  enqueue("vip", "q", 9);
  advance_to(3);
  enqueue("vip2", "q", 9);
  EXPECT_EQ(engine_->waiting_call("vip", now_)->position, 1u);
  EXPECT_EQ(engine_->waiting_call("first", now_)->position, 3u);
  EXPECT_EQ(next_served(), "vip");
  EXPECT_EQ(next_served(), "vip2");
  EXPECT_EQ(next_served(), "first");
  EXPECT_EQ(next_served(), "second");
  EXPECT_EQ(next_served(), "");
}

TEST_F(priority_test, strict_priority_holds_however_long_a_low_priority_call_waits) {
  start_with(duration{0});
  enqueue("old", "q", 0);
  advance_to(3600);
  enqueue("new", "q", 1);
  EXPECT_EQ(next_served(), "new");
}

TEST_F(priority_test, aging_lets_a_long_wait_outrank_a_newer_higher_priority) {
  start_with(std::chrono::seconds(30));
  enqueue("patient", "q", 0);
  advance_to(61);
  // Priority 2 is worth 60 s of waiting: the patient caller waited 61 s.
  enqueue("vip", "q", 2);
  advance_to(62);
  enqueue("bigger_vip", "q", 3);
  EXPECT_EQ(next_served(), "bigger_vip");
  EXPECT_EQ(next_served(), "patient");
  EXPECT_EQ(next_served(), "vip");
}

TEST_F(priority_test, a_priority_change_keeps_the_calls_place_in_time) {
  start_with(duration{0});
  enqueue("a1", "q", 5);
  advance_to(1);
  enqueue("b1", "q", 1);
  advance_to(2);
  enqueue("c1", "q", 5);
  ASSERT_TRUE(engine_->set_priority("b1", 5, now_));
  // b1 arrived between a1 and c1: it goes between them, not behind c1.
  EXPECT_EQ(engine_->waiting_call("b1", now_)->position, 2u);
  EXPECT_EQ(next_served(), "a1");
  EXPECT_EQ(next_served(), "b1");
  EXPECT_EQ(next_served(), "c1");
  EXPECT_EQ(engine_->set_priority("nobody", 1, now_).error(), acd_errc::unknown_call);
  EXPECT_EQ(engine_->set_priority("c1", engine::max_priority + 1, now_).error(),
            acd_errc::bad_priority);
}

TEST(starvation_test, aging_serves_a_low_priority_call_within_its_bound_under_a_stream) {
  // One agent, 20 s per call, a priority-3 caller every 10 s: without aging the priority-0
  // caller would wait for ever. With 60 s per point, priority 3 is worth 180 s of waiting, so
  // the low caller goes before every caller who came 180 s or more after it; the 17 who came
  // before that (at 10 s .. 170 s) are served at 20 s .. 340 s, and the low caller at 360 s.
  recording_listener listener;
  acd_model model;
  model.agents = {agent("a", {{"s", 1}})};
  model.queues = {queue("q", {{"s", 1}})};
  model.queues[0].priority_aging = std::chrono::seconds(60);
  model.queues[0].wrap_up = duration{0};
  engine e(listener, model);
  const auto t0 = instant{} + std::chrono::hours(1);
  ASSERT_TRUE(e.set_ready("a", t0));
  ASSERT_TRUE(e.enqueue({.call = "busy", .queue = "q"}, t0));
  ASSERT_TRUE(e.offer_answered("busy", "a", t0));
  ASSERT_TRUE(e.enqueue({.call = "low", .queue = "q", .priority = 0}, t0));
  std::string current = "busy";
  double served_low_at = -1;
  for (int s = 10; s <= 600 && served_low_at < 0; s += 10) {
    const auto now = t0 + std::chrono::seconds(s);
    ASSERT_TRUE(e.enqueue({.call = "vip" + std::to_string(s), .queue = "q", .priority = 3}, now));
    if (s % 20 == 0) {
      ASSERT_TRUE(e.call_ended(current, "caller", now));
      current = listener.offers.back().call;
      ASSERT_TRUE(e.offer_answered(current, "a", now));
      if (current == "low") served_low_at = s;
    }
  }
  EXPECT_EQ(served_low_at, 360);
}

}  // namespace
}  // namespace callcenterd::acd::testing
