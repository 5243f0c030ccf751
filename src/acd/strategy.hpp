#pragma once

#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

namespace callcenterd::acd::detail {

using agent_index = std::uint32_t;

/// A ready agent's place among the candidates of one queue: lowest first.
struct ranked_agent {
  std::int64_t key = 0;
  std::int64_t tie = 0;
  agent_index agent = 0;
  auto operator<=>(const ranked_agent&) const = default;
};
using ready_set = std::set<ranked_agent>;

/// What a strategy may know of an agent when ranking them for a queue.
struct agent_facts {
  std::int64_t ready_since_ms = 0;  ///< when they last became ready (their state's start)
  std::int64_t calls_today = 0;
  std::int64_t talk_today_ms = 0;
  std::int64_t skill_score = 0;  ///< their levels in the queue's skills, summed
  std::int64_t position = 0;     ///< their place in the queue's member list (config order)
};

/// A routing strategy: how a queue orders its ready agents. Keys must not change while an
/// agent is ready: every fact above changes only while the agent is not.
class strategy {
 public:
  virtual ~strategy() = default;
  virtual std::string_view name() const = 0;
  virtual ranked_agent rank(const agent_facts& agent, agent_index index) const = 0;
  /// The agent to offer to among `ready` (not empty). `cursor` is the queue's own state for
  /// the strategy (round robin's last position, random's generator).
  virtual ready_set::const_iterator pick(const ready_set& ready, std::int64_t& cursor) const {
    (void)cursor;
    return ready.begin();
  }
  /// The queue's cursor before its first pick; `seed` comes from the engine's seed.
  virtual std::int64_t initial_cursor(std::uint64_t seed) const {
    (void)seed;
    return -1;
  }
  /// Rings every ready candidate at once; the first to answer takes the call.
  virtual bool rings_all() const { return false; }
};

/// The strategy registered under `name`, or null.
const strategy* find_strategy(std::string_view name);
/// Every registered name, for errors and docs.
std::vector<std::string_view> strategy_names();

}  // namespace callcenterd::acd::detail
