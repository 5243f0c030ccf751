// How honest the estimated wait is: a day of calls simulated on the engine's clock (random
// arrivals, random talk times, agents who answer at once), in which every caller is told, as
// they join, the wait the queue's EWT gives, and then waits for real. The estimate must be
// right on average (no systematic promise of a shorter or longer wait) and much closer to each
// caller's real wait than the best fixed answer (the day's mean wait).
#include <cmath>
#include <map>
#include <queue>
#include <random>

#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

/// Answers every offer at once, as a room of attentive agents would.
class answering_room final : public engine_listener {
 public:
  void on_offer(const std::string& call, const agent_settings& agent, const std::string&) override {
    offers.emplace_back(call, agent.id);
  }
  void on_offer_withdrawn(const std::string&, const std::string&, std::string_view) override {}
  void on_exit(const std::string&, queue_outcome, const exit_target&) override {}
  void on_callback_due(const std::string&, const agent_settings&, const std::string&,
                       const callback_party&) override {}
  void on_event(const acd_event&) override {}
  std::vector<std::pair<std::string, std::string>> offers;
};

struct accuracy {
  double mean_wait_s = 0;
  double bias = 0;                  ///< mean(estimate - real) / mean(real)
  double error_s = 0;               ///< mean |estimate - real|
  double fixed_answer_error_s = 0;  ///< mean |mean(real) - real|
};

/// `agents` agents, `load` of their capacity, talk times of `mean_talk` (exponential, or uniform
/// over 0.5x..1.5x) and a fixed `wrap_up`, `calls` callers after a warm-up of 300.
accuracy simulate(unsigned agents, double load, seconds mean_talk, seconds wrap_up,
                  bool exponential, unsigned calls, std::uint32_t seed) {
  acd_model model;
  for (unsigned i = 0; i < agents; ++i) {
    model.agents.push_back(agent("a" + std::to_string(i), {{"s", 5}}));
  }
  model.queues = {queue("q", {{"s", 1}})};
  model.queues[0].wrap_up = wrap_up;
  model.queues[0].expected_handle_time = mean_talk + wrap_up;
  answering_room room;
  engine acd(room, model);
  const instant start = instant{} + std::chrono::hours(1);
  for (const auto& a : model.agents) EXPECT_TRUE(acd.set_ready(a.id, start));

  std::mt19937 random(seed);
  const double talk_s = static_cast<double>(mean_talk.count());
  const double handle_s = talk_s + static_cast<double>(wrap_up.count());
  std::exponential_distribution<double> gap(load * agents / handle_s);
  std::exponential_distribution<double> exponential_talk(1.0 / talk_s);
  std::uniform_real_distribution<double> uniform_talk(0.5 * talk_s, 1.5 * talk_s);
  const auto after = [](instant at, double s) {
    return at + milliseconds(static_cast<std::int64_t>(s * 1000));
  };

  // Hang-ups to come: (when, call).
  std::priority_queue<std::pair<instant, std::string>, std::vector<std::pair<instant, std::string>>,
                      std::greater<>>
      hang_ups;
  std::map<std::string, std::pair<instant, double>> told;  // call -> (joined, estimate in s)
  std::vector<std::pair<double, double>> waits;            // (estimate, real), in seconds
  const auto answer_offers = [&](instant now) {
    while (!room.offers.empty()) {
      const auto [call, agent_id] = room.offers.back();
      room.offers.pop_back();
      EXPECT_TRUE(acd.offer_answered(call, agent_id, now));
      const auto [joined, estimate] = told.at(call);
      waits.emplace_back(estimate, std::chrono::duration<double>(now - joined).count());
      hang_ups.emplace(after(now, exponential ? exponential_talk(random) : uniform_talk(random)),
                       call);
    }
  };

  instant next_arrival = after(start, gap(random));
  for (unsigned n = 0; n < calls + 300;) {
    // Wrap-ups that end (the agent takes the next caller) before anything else happens.
    if (const auto due = acd.next_deadline();
        due && *due <= next_arrival && (hang_ups.empty() || *due <= hang_ups.top().first)) {
      acd.advance(*due);
      answer_offers(*due);
      continue;
    }
    if (!hang_ups.empty() && hang_ups.top().first <= next_arrival) {
      const auto [now, call] = hang_ups.top();
      hang_ups.pop();
      EXPECT_TRUE(acd.call_ended(call, "caller", now));
      answer_offers(now);
      continue;
    }
    const auto now = next_arrival;
    const auto call = "c" + std::to_string(n++);
    const auto estimate = acd.queue("q", now)->ewt;
    EXPECT_TRUE(estimate.has_value());
    told[call] = {now, std::chrono::duration<double>(estimate.value_or(duration{0})).count()};
    EXPECT_TRUE(acd.enqueue({.call = call, .queue = "q", .priority = 0}, now));
    answer_offers(now);
    next_arrival = after(now, gap(random));
  }

  // Callers still waiting at the end are left out; so is the warm-up, while the handle times
  // the estimate learns from fill.
  std::vector<std::pair<double, double>> measured(waits.begin() + 300, waits.end());
  accuracy out;
  double total_real = 0, total_difference = 0, total_error = 0, total_fixed = 0;
  for (const auto& [estimate, real] : measured) {
    total_real += real;
    total_difference += estimate - real;
    total_error += std::abs(estimate - real);
  }
  const auto count = static_cast<double>(measured.size());
  out.mean_wait_s = total_real / count;
  for (const auto& w : measured) total_fixed += std::abs(out.mean_wait_s - w.second);
  out.bias = total_difference / total_real;
  out.error_s = total_error / count;
  out.fixed_answer_error_s = total_fixed / count;
  return out;
}

void expect_honest(const accuracy& a, const char* what) {
  SCOPED_TRACE(what);
  ::testing::Test::RecordProperty(std::string(what) + "_mean_wait_s",
                                  std::to_string(a.mean_wait_s));
  ::testing::Test::RecordProperty(std::string(what) + "_bias", std::to_string(a.bias));
  ::testing::Test::RecordProperty(std::string(what) + "_error_s", std::to_string(a.error_s));
  ::testing::Test::RecordProperty(std::string(what) + "_fixed_answer_error_s",
                                  std::to_string(a.fixed_answer_error_s));
  // Waits long enough to be worth estimating.
  EXPECT_GT(a.mean_wait_s, 10.0);
  // Right on average, within 15 %.
  EXPECT_LT(std::abs(a.bias), 0.15) << "mean wait " << a.mean_wait_s << " s";
  // Each caller is told something much closer to their own wait than the day's mean.
  EXPECT_LT(a.error_s, 0.7 * a.fixed_answer_error_s)
      << "estimate off by " << a.error_s << " s, the mean by " << a.fixed_answer_error_s << " s";
}

TEST(ewt_accuracy, a_busy_queue_is_told_its_real_wait_with_exponential_talk_times) {
  expect_honest(simulate(10, 0.9, seconds(60), seconds(0), true, 4000, 11), "exponential");
}

TEST(ewt_accuracy, a_busy_queue_is_told_its_real_wait_with_steady_talk_times) {
  expect_honest(simulate(25, 0.93, seconds(180), seconds(20), false, 4000, 12), "uniform");
}

}  // namespace
}  // namespace callcenterd::acd::testing
