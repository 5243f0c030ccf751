// The ACD engine alone, on a simulated clock, at the size of a large site: A agents, Q queues
// (one skill each, agents with several skills at random levels), W calls waiting. Two kinds of
// routing decision are timed one by one:
//   agent_ready:  an agent becomes ready with W calls waiting and takes the best call across
//                 the queues they serve (then answers it, ends it, and a new call joins, so W
//                 stays W);
//   call_arrival: a call joins a queue whose agents are ready and is offered to the best of
//                 them (then answered and ended, and the agent made ready again).
// Reports decisions per second of engine time and the latency percentiles of one decision.
//
//   acd_engine_bench [agents] [queues] [waiting calls] [decisions per kind] [strategy]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "callcenterd/acd/engine.hpp"

namespace acd = callcenterd::acd;
using clock_type = std::chrono::steady_clock;

namespace {

class last_offer final : public acd::engine_listener {
 public:
  void on_offer(const std::string& call, const acd::agent_settings& agent,
                const std::string&) override {
    this->call = call;
    this->agent = agent.id;
    ++offers;
  }
  void on_offer_withdrawn(const std::string&, const std::string&, std::string_view) override {}
  void on_exit(const std::string&, acd::queue_outcome, const acd::exit_target&) override {}
  void on_callback_due(const std::string&, const acd::agent_settings&, const std::string&,
                       const acd::callback_party&) override {}
  void on_event(const acd::acd_event&) override { ++events; }
  std::string call;
  std::string agent;
  std::uint64_t offers = 0;
  std::uint64_t events = 0;
};

/// prefix + n, built without operator+ (GCC 12's -Wrestrict misfires on it at -O3).
std::string numbered(const char* prefix, long n) {
  auto text = std::to_string(n);
  text.insert(0, prefix);
  return text;
}

struct timings {
  std::vector<double> micros;
  double total_seconds = 0;
  void add(clock_type::duration d) {
    const double us = std::chrono::duration<double, std::micro>(d).count();
    micros.push_back(us);
    total_seconds += us / 1e6;
  }
  void report(const char* name) {
    std::sort(micros.begin(), micros.end());
    const auto at = [&](double p) {
      return micros[std::min(micros.size() - 1, static_cast<std::size_t>(p * micros.size()))];
    };
    std::printf(
        "%-13s %8zu decisions  %10.0f /s   p50 %6.2f us  p99 %6.2f us  p99.9 %6.2f us  max %7.2f "
        "us\n",
        name, micros.size(), micros.size() / total_seconds, at(0.50), at(0.99), at(0.999),
        micros.back());
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int agents = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int queues = argc > 2 ? std::atoi(argv[2]) : 200;
  const int waiting = argc > 3 ? std::atoi(argv[3]) : 20000;
  const int decisions = argc > 4 ? std::atoi(argv[4]) : 200000;
  const std::string strategy = argc > 5 ? argv[5] : "longest_idle";
  std::mt19937 random(42);

  acd::acd_model model;
  for (int q = 0; q < queues; ++q) {
    acd::queue_settings settings;
    settings.name = numbered("q", q);
    settings.skills = {{numbered("skill", q), 1 + q % 5}};
    settings.strategy = strategy;
    settings.wrap_up = acd::duration{0};
    settings.priority_aging = q % 2 == 0 ? std::chrono::seconds(30) : acd::duration{0};
    model.queues.push_back(settings);
  }
  // Each agent has 5 skills: about 125 agents per queue, each serving about 5 queues.
  for (int a = 0; a < agents; ++a) {
    acd::agent_settings settings{.id = numbered("agent", a),
                                 .name = "",
                                 .extension = std::to_string(10000 + a),
                                 .teams = {},
                                 .skills = {}};
    for (int s = 0; s < 5; ++s) {
      const auto skill = numbered("skill", (a * 7 + s * 41) % queues);
      if (std::none_of(settings.skills.begin(), settings.skills.end(),
                       [&](const auto& k) { return k.skill == skill; })) {
        settings.skills.push_back({skill, 5 + static_cast<int>(random() % 6)});
      }
    }
    model.agents.push_back(settings);
  }

  last_offer listener;
  acd::engine engine(listener, model);
  auto now = clock_type::time_point{} + std::chrono::hours(1);
  const auto tick = [&] { now += std::chrono::milliseconds(1); };
  for (int a = 0; a < agents; ++a) (void)engine.set_not_ready(model.agents[a].id, "break", now);
  long next_call = 0;
  const auto join = [&] {
    const auto queue = numbered("q", random() % queues);
    (void)engine.enqueue({.call = numbered("call", next_call++),
                          .queue = queue,
                          .priority = static_cast<int>(random() % 3)},
                         now);
  };
  for (int c = 0; c < waiting; ++c) {
    join();
    tick();
  }
  std::printf("%d agents, %d queues, %d waiting calls, strategy %s\n", agents, queues, waiting,
              strategy.c_str());

  timings ready_timings;
  for (int i = 0; i < decisions; ++i) {
    const auto& agent = model.agents[random() % agents].id;
    tick();
    const auto offers = listener.offers;
    const auto start = clock_type::now();
    (void)engine.set_ready(agent, now);
    ready_timings.add(clock_type::now() - start);
    if (listener.offers != offers) {
      (void)engine.offer_answered(listener.call, agent, now);
      (void)engine.set_not_ready(agent, "break", now);
      (void)engine.call_ended(listener.call, "caller", now);
      join();
    } else {
      (void)engine.set_not_ready(agent, "break", now);
    }
  }
  ready_timings.report("agent_ready");

  // Empty the queues, then make every agent ready: arriving calls find agents waiting.
  for (const auto& q : engine.queues(now)) {
    for (const auto& call : engine.waiting_calls(q.name, now)) {
      (void)engine.caller_left(call.call, now);
    }
  }
  for (const auto& a : model.agents) (void)engine.set_ready(a.id, now);
  timings arrival_timings;
  for (int i = 0; i < decisions; ++i) {
    tick();
    const auto id = numbered("call", next_call++);
    const auto queue = numbered("q", random() % queues);
    const auto offers = listener.offers;
    const auto start = clock_type::now();
    (void)engine.enqueue({.call = id, .queue = queue, .priority = 0}, now);
    arrival_timings.add(clock_type::now() - start);
    if (listener.offers != offers) {
      const auto agent = listener.agent;
      (void)engine.offer_answered(id, agent, now);
      (void)engine.call_ended(id, "caller", now);
    } else {
      (void)engine.caller_left(id, now);
    }
  }
  arrival_timings.report("call_arrival");
  std::printf("events emitted: %llu\n", static_cast<unsigned long long>(listener.events));
  return 0;
}
