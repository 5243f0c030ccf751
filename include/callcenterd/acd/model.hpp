#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace callcenterd::acd {

/// The ACD's clock: monotonic, so that a wall-clock step never reorders calls or fires a ring
/// timeout early. The service maps it to wall time when it writes events.
using instant = std::chrono::steady_clock::time_point;
using duration = std::chrono::milliseconds;

/// One skill an agent has, at a level from 1 (novice) to 10 (expert).
struct agent_skill {
  std::string skill{};
  int level = 1;
  bool operator==(const agent_skill&) const = default;
};

/// An agent: who logs in, which device rings, what they can take.
struct agent_settings {
  std::string id{};         ///< login id, e.g. "1001"
  std::string name{};       ///< shown to supervisors
  std::string extension{};  ///< the SIP extension whose registered device an offer rings
  std::vector<std::string> teams{};
  std::vector<agent_skill> skills{};
  /// Logged in and ready from the daemon's start, without anyone signing in: a desk phone that
  /// serves queues as a hunt group member would.
  bool auto_login = false;
  bool operator==(const agent_settings&) const = default;
};

/// A skill a queue asks for, at or above a level.
struct skill_requirement {
  std::string skill{};
  int min_level = 1;
  bool operator==(const skill_requirement&) const = default;
};

/// Where a call goes when it leaves a queue other than to an agent (max wait, queue full, no
/// agents, an overflow rule). The ACD moves a call to another queue itself; the call carries
/// out the others.
struct exit_target {
  enum class kind {
    hang_up,    ///< say `message` (if any), then hang up
    queue,      ///< another queue, keeping the call's original arrival time
    flow,       ///< a flow (e.g. voicemail)
    extension,  ///< ring an extension
  };
  kind what = kind::hang_up;
  std::string name{};     ///< the queue, flow or extension
  std::string message{};  ///< hang_up: what the caller hears first; empty: nothing
  bool operator==(const exit_target&) const = default;
};

/// After a call has waited `after` in a queue: widen who may take it, or move it elsewhere.
/// Rules apply in order of `after`; a widening lasts until the call leaves the queue.
struct overflow_rule {
  duration after{0};
  /// Widen: every required level lowered by this much (never below 1).
  int lower_min_level_by = 0;
  /// Widen: agents who have all of these (a secondary skill set) may take the call too.
  std::vector<skill_requirement> add_skills{};
  /// Move: the call leaves for this target (another queue keeps its arrival time).
  std::optional<exit_target> move_to{};
  bool operator==(const overflow_rule&) const = default;
};

/// What a queue does with a new caller when none of its agents is logged in.
enum class no_agents_policy {
  join,    ///< wait anyway (agents may log in)
  refuse,  ///< counted as blocked, sent to `when_no_agents`
};

/// Queue callback (virtual hold): a waiting caller may hang up and keep their place; when
/// their turn comes an agent is reserved and the caller is called back, then put through to
/// that agent like any caller who waited on the line.
struct callback_settings {
  /// How long a caller waits before the callback is offered to them; 0: never offered.
  duration offer_after{0};
  /// The key that takes the offer.
  char key = '1';
  /// Calls placed to reach the caller before the callback is given up.
  unsigned attempts = 3;
  /// Between a failed attempt and the next one; the callback keeps its place meanwhile.
  duration retry_delay{std::chrono::minutes(2)};
  /// How long the caller's phone may ring on each attempt.
  duration ring_timeout{std::chrono::seconds(30)};
  /// The trunk the callbacks go out through, and what is dialled before the caller's number.
  std::string trunk{};
  std::string dial_prefix{};
  /// What the caller hears: the offer (over the music) and, once taken, the confirmation
  /// before the call ends; `{number}` and `{key}` are filled in. Empty: the daemon's wording.
  std::string offer_text{};
  std::string confirmation_text{};
  /// Said to the caller when they answer the callback; empty: the daemon's wording.
  std::string greeting_text{};
  bool operator==(const callback_settings&) const = default;
};

/// A step of a waiting call's escalation: once it has waited `after` since its first queue
/// entry, its priority becomes `priority` (its place among calls of that priority by arrival).
struct priority_step {
  duration after{0};
  int priority = 0;
  bool operator==(const priority_step&) const = default;
};

/// Whom a callback calls (a number its queue's trunk can dial) and the number it shows as
/// calling. The call layer's to give and use; the engine keeps it with the call.
struct callback_party {
  std::string number{};
  std::string caller_id{};
  bool operator==(const callback_party&) const = default;
};

/// A queue: who may answer its calls, in which order, and its limits and thresholds.
struct queue_settings {
  std::string name{};
  /// Agents need all of these at or above the levels.
  std::vector<skill_requirement> skills{};
  /// A routing strategy by name (strategy.hpp lists them): "longest_idle" by default.
  std::string strategy = "longest_idle";
  /// Priority aging: a waiting call counts one priority higher for each interval waited, so
  /// low priority cannot starve. Zero: strict priority (higher always first).
  duration priority_aging{0};
  unsigned max_length = 0;  ///< waiting calls; 0: unlimited
  duration max_wait{0};     ///< 0: unlimited
  duration wrap_up{std::chrono::seconds(10)};
  duration ring_timeout{std::chrono::seconds(15)};
  /// The state an agent who lets an offer ring out goes to: a not-ready reason, or empty to
  /// stay ready.
  std::string no_answer_reason = "no_answer";
  duration service_level_threshold{std::chrono::seconds(20)};
  double service_level_target = 0.8;
  duration short_abandon{std::chrono::seconds(5)};
  /// The handle time EWT assumes before the queue has finished calls of its own.
  duration expected_handle_time{std::chrono::minutes(3)};
  std::vector<overflow_rule> overflow{};
  no_agents_policy when_no_agents_policy = no_agents_policy::join;
  exit_target when_no_agents{};
  exit_target when_full{};
  exit_target when_max_wait{};
  /// For the calls, not the routing: what a waiting caller hears (a media hold class; empty:
  /// the default music) and whether its conversation with the agent is recorded.
  std::string hold_class{};
  bool record = true;
  /// How often a waiting caller is told their place and estimated wait; 0: never.
  duration announce_every{0};
  bool announce_position = true;
  bool announce_wait = true;
  /// The language of the announcements: "en" or "zh".
  std::string announce_language = "en";
  /// Said to the agent who answers, before the caller is put through (the caller hears the
  /// music meanwhile); empty: none. `{queue}`, `{agent}`, `{caller}` and the caller's flow
  /// variables by name are filled in.
  std::string whisper{};
  /// Said to the caller once the agent is put through ("工号 {agent} 为您服务"); same fields.
  std::string agent_announcement{};
  callback_settings callback{};
  bool operator==(const queue_settings&) const = default;
};

/// Everything the ACD routes with; the service swaps it whole on reload.
struct acd_model {
  std::vector<agent_settings> agents{};
  std::vector<queue_settings> queues{};
  /// Reasons an agent may give for not ready, besides the ones the ACD uses itself
  /// (no_answer, declined, unreachable, the queues' no_answer_reason).
  std::vector<std::string> not_ready_reasons{"break", "lunch", "training", "meeting"};
  bool operator==(const acd_model&) const = default;
};

}  // namespace callcenterd::acd
