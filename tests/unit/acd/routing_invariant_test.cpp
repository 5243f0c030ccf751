// Thousands of random operations (calls joining and hanging up, answers, failures, agents
// changing state or skills, time passing) against an engine, checking after each one what must
// always hold: no ready agent beside a waiting call they could take, every ringing agent has
// exactly one open offer for a call that is ringing, and no offer stays open for a call that is
// gone.
#include <map>
#include <random>
#include <set>

#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

class offer_book final : public engine_listener {
 public:
  void on_offer(const std::string& call, const agent_settings& agent, const std::string&) override {
    EXPECT_TRUE(open.insert({call, agent.id}).second) << "offered twice: " << call;
  }
  void on_offer_withdrawn(const std::string& call, const std::string& agent,
                          std::string_view) override {
    EXPECT_EQ(open.erase({call, agent}), 1u) << "withdrawn but not open: " << call;
  }
  void on_exit(const std::string& call, queue_outcome, const exit_target&) override {
    exited.insert(call);
  }
  void on_callback_due(const std::string&, const agent_settings&, const std::string&,
                       const callback_party&) override {}
  void on_event(const acd_event&) override { ++events; }

  std::set<std::pair<std::string, std::string>> open;
  std::set<std::string> exited;
  std::size_t events = 0;
};

class routing_invariant_test : public ::testing::TestWithParam<std::string> {};

TEST_P(routing_invariant_test, random_operations_never_break_the_invariants) {
  offer_book book;
  acd_model model;
  std::mt19937 random(7);
  const std::vector<std::string> skills{"s0", "s1", "s2"};
  for (int i = 0; i < 12; ++i) {
    model.agents.push_back(
        agent("a" + std::to_string(i), {{skills[i % 3], 1 + i % 10}, {skills[(i + 1) % 3], 5}}));
  }
  for (int i = 0; i < 3; ++i) {
    auto q = queue("q" + std::to_string(i), {{skills[i], 1 + 2 * i}}, GetParam());
    q.wrap_up = std::chrono::seconds(i * 5);
    q.max_wait = std::chrono::seconds(200);
    q.max_length = 15;
    q.priority_aging = i == 1 ? std::chrono::seconds(10) : duration{0};
    model.queues.push_back(q);
  }
  engine e(book, model, 3);
  auto now = instant{} + std::chrono::hours(1);
  std::set<std::string> in_acd;  // calls enqueued and not known to have left
  std::set<std::string> connected;
  int next_call = 0;
  const auto pick = [&](const auto& set) {
    auto it = set.begin();
    std::advance(it, std::uniform_int_distribution<std::size_t>(0, set.size() - 1)(random));
    return *it;
  };
  for (int step = 0; step < 20000; ++step) {
    const auto agent_id = "a" + std::to_string(random() % 12);
    switch (random() % 13) {
      case 0:
      case 1: {
        const auto id = "c" + std::to_string(next_call++);
        if (e.enqueue({.call = id,
                       .queue = "q" + std::to_string(random() % 3),
                       .priority = static_cast<int>(random() % 4)},
                      now)) {
          in_acd.insert(id);
        }
        break;
      }
      case 2:
        if (!in_acd.empty()) {
          const auto id = pick(in_acd);
          (void)e.caller_left(id, now);
          in_acd.erase(id);
          connected.erase(id);
        }
        break;
      case 3:
      case 4:
        if (!book.open.empty()) {
          const auto [call, agent] = pick(book.open);
          if (e.offer_answered(call, agent, now)) {
            book.open.erase({call, agent});
            connected.insert(call);
          }
        }
        break;
      case 5:
        if (!book.open.empty()) {
          const auto [call, agent] = pick(book.open);
          if (e.offer_failed(call, agent, static_cast<offer_failure>(random() % 3), now)) {
            book.open.erase({call, agent});
          }
        }
        break;
      case 6:
        if (!connected.empty()) {
          const auto id = pick(connected);
          ASSERT_TRUE(e.call_ended(id, "caller", now));
          connected.erase(id);
          in_acd.erase(id);
        }
        break;
      case 7:
        (void)e.set_ready(agent_id, now);
        break;
      case 8:
        (void)e.set_not_ready(agent_id, "break", now);
        break;
      case 9:
        (void)e.log_out(agent_id, now);
        break;
      case 10:
        (void)e.end_wrap_up(agent_id, now);
        break;
      case 11:
        now += std::chrono::milliseconds(random() % 20000);
        e.advance(now);
        break;
      case 12: {
        // New skills while in any state: none, one or two of them, at any level.
        std::vector<agent_skill> given;
        for (std::size_t s = random() % 3, n = 0; n < s; ++n) {
          given.push_back({skills[(random() + n) % 3], static_cast<int>(1 + random() % 10)});
        }
        if (given.size() == 2 && given[0].skill == given[1].skill) given.pop_back();
        ASSERT_TRUE(e.set_skills(agent_id, given, now));
        break;
      }
    }
    for (const auto& gone : book.exited) in_acd.erase(gone);

    // Ringing agents and open offers are the same set.
    std::set<std::pair<std::string, std::string>> ringing;
    for (const auto& a : e.agents()) {
      if (a.state == agent_state::ringing) ringing.insert({a.call, a.id});
      if (a.state == agent_state::on_call) {
        ASSERT_TRUE(connected.contains(a.call)) << a.id << " on a call nobody answered";
      }
    }
    ASSERT_EQ(ringing, book.open) << "step " << step;
    for (const auto& [call, agent] : book.open) {
      const auto waiting = e.waiting_call(call, now);
      ASSERT_TRUE(waiting && waiting->ringing)
          << call << " rings " << agent << " but is not ringing";
    }
    // Nothing routable is left apart: a queue with a waiting, not ringing call has no ready
    // agent that could take it.
    for (const auto& q : e.queues(now)) {
      const auto calls = e.waiting_calls(q.name, now);
      const bool routable =
          std::any_of(calls.begin(), calls.end(), [](const auto& c) { return !c.ringing; });
      if (routable) {
        ASSERT_EQ(q.ready, 0u) << q.name << " at step " << step;
      }
      ASSERT_EQ(q.waiting, calls.size());
    }
  }
  EXPECT_GT(book.events, 10000u);
  EXPECT_GT(next_call, 2000);
}

INSTANTIATE_TEST_SUITE_P(strategies, routing_invariant_test,
                         ::testing::Values("longest_idle", "most_skilled", "round_robin",
                                           "fewest_calls", "least_talk_time", "random",
                                           "ring_all"));

}  // namespace
}  // namespace callcenterd::acd::testing
