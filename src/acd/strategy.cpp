// The routing strategies, one class each, registered by name. Each turns what it cares about
// into a sort key, so that picking the best ready agent is taking the first of an ordered set.
#include "strategy.hpp"

#include <array>
#include <iterator>

namespace callcenterd::acd::detail {
namespace {

class longest_idle final : public strategy {
 public:
  std::string_view name() const override { return "longest_idle"; }
  ranked_agent rank(const agent_facts& a, agent_index i) const override {
    return {a.ready_since_ms, a.position, i};
  }
};

/// Highest level first, then longest idle.
class most_skilled final : public strategy {
 public:
  std::string_view name() const override { return "most_skilled"; }
  ranked_agent rank(const agent_facts& a, agent_index i) const override {
    return {-a.skill_score, a.ready_since_ms, i};
  }
};

/// The next member after the one offered last, in config order, wrapping around.
class round_robin final : public strategy {
 public:
  std::string_view name() const override { return "round_robin"; }
  ranked_agent rank(const agent_facts& a, agent_index i) const override {
    return {a.position, 0, i};
  }
  ready_set::const_iterator pick(const ready_set& ready, std::int64_t& cursor) const override {
    auto next = ready.lower_bound(ranked_agent{cursor + 1, 0, 0});
    if (next == ready.end()) next = ready.begin();
    cursor = next->key;
    return next;
  }
};

class fewest_calls final : public strategy {
 public:
  std::string_view name() const override { return "fewest_calls"; }
  ranked_agent rank(const agent_facts& a, agent_index i) const override {
    return {a.calls_today, a.ready_since_ms, i};
  }
};

class least_talk_time final : public strategy {
 public:
  std::string_view name() const override { return "least_talk_time"; }
  ranked_agent rank(const agent_facts& a, agent_index i) const override {
    return {a.talk_today_ms, a.ready_since_ms, i};
  }
};

/// A uniform pick among the ready agents. The queue's cursor is the generator's state
/// (splitmix64), so a run is repeatable from the engine's seed.
class random_pick final : public strategy {
 public:
  std::string_view name() const override { return "random"; }
  ranked_agent rank(const agent_facts& a, agent_index i) const override {
    return {0, a.position, i};
  }
  ready_set::const_iterator pick(const ready_set& ready, std::int64_t& cursor) const override {
    auto state = static_cast<std::uint64_t>(cursor) + 0x9e3779b97f4a7c15ULL;
    cursor = static_cast<std::int64_t>(state);
    state = (state ^ (state >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    state = (state ^ (state >> 27U)) * 0x94d049bb133111ebULL;
    state ^= state >> 31U;
    // Walking the set costs one step per ready agent passed: random suits small teams.
    return std::next(ready.begin(), static_cast<std::ptrdiff_t>(state % ready.size()));
  }
  std::int64_t initial_cursor(std::uint64_t seed) const override {
    return static_cast<std::int64_t>(seed >> 1U);
  }
};

class ring_all final : public strategy {
 public:
  std::string_view name() const override { return "ring_all"; }
  ranked_agent rank(const agent_facts& a, agent_index i) const override {
    return {a.ready_since_ms, 0, i};
  }
  bool rings_all() const override { return true; }
};

const longest_idle longest_idle_strategy;
const most_skilled most_skilled_strategy;
const round_robin round_robin_strategy;
const fewest_calls fewest_calls_strategy;
const least_talk_time least_talk_time_strategy;
const random_pick random_strategy;
const ring_all ring_all_strategy;

const std::array<const strategy*, 7> registry{&longest_idle_strategy,    &most_skilled_strategy,
                                              &round_robin_strategy,     &fewest_calls_strategy,
                                              &least_talk_time_strategy, &random_strategy,
                                              &ring_all_strategy};

}  // namespace

const strategy* find_strategy(std::string_view name) {
  for (const auto* s : registry) {
    if (s->name() == name) return s;
  }
  return nullptr;
}

std::vector<std::string_view> strategy_names() {
  std::vector<std::string_view> names;
  names.reserve(registry.size());
  for (const auto* s : registry) names.push_back(s->name());
  return names;
}

}  // namespace callcenterd::acd::detail
