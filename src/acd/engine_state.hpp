#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "callcenterd/acd/engine.hpp"
#include "strategy.hpp"

namespace callcenterd::acd {

namespace detail {

using queue_index = std::uint32_t;
using call_index = std::uint32_t;
inline constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

/// How soon a call that should leave its queue while an agent's phone rings for it looks again:
/// a call is never taken away from an agent who may be about to answer.
inline constexpr duration retry_while_ringing{std::chrono::seconds(1)};

/// A queue an agent may serve, and from which widening step on.
struct membership {
  queue_index queue = 0;
  unsigned first_stage = 0;  ///< 0: the queue's own skills; n: after n widening steps
  std::int64_t skill_score = 0;
  std::int64_t position = 0;
};

struct agent_record {
  agent_settings settings;
  agent_state state = agent_state::logged_out;
  std::string reason;
  instant since{};  ///< of the state: for a ready agent, when they became ready
  next_status next = next_status::none;
  std::string next_reason;
  std::vector<membership> queues;
  /// Ringing or on call: the call (an index); wrap-up: only its id and queue remain.
  call_index call = no_index;
  std::string call_id;
  queue_index call_queue = no_index;
  instant talk_started{};
  instant wrap_up_started{};
  duration last_talk{0};  ///< of the call whose wrap-up this is
  std::uint64_t wrap_up_generation = 0;
  unsigned calls_today = 0;
  duration talk_today{0};
  bool skills_set = false;  ///< set_skills() changed them in this run
};

/// A waiting call's place in its queue: lowest rank first, then the order of arrival.
struct ranked_call {
  std::int64_t rank = 0;
  std::uint64_t sequence = 0;
  call_index call = 0;
  auto operator<=>(const ranked_call&) const = default;
};
using waiting_set = std::set<ranked_call>;

/// A step of a queue's overflow rules, resolved.
struct overflow_step {
  duration after{0};
  unsigned stage_after = 0;            ///< the stage a widening step leads to
  std::optional<exit_target> move_to;  ///< or where a moving step sends the call
};

/// Handle times of a queue's recent calls, for EWT.
class handle_time_window {
 public:
  static constexpr std::size_t capacity = 32;
  void add(duration handle);
  /// The mean of the window, or `fallback` before the first call.
  duration mean(duration fallback) const;

 private:
  std::array<duration, capacity> values_{};
  std::size_t count_ = 0;
  std::size_t next_ = 0;
  duration total_{0};
};

struct queue_record {
  queue_settings settings;
  /// Per stage, the skill sets of which an agent must meet one to serve it (the queue's own,
  /// lowered and widened by the overflow steps so far).
  std::vector<std::vector<std::vector<skill_requirement>>> requirements;
  const strategy* routing = nullptr;
  /// How much a priority point is worth in ranks (milliseconds of waiting).
  std::int64_t priority_weight = 0;
  std::vector<overflow_step> steps;
  unsigned stages = 1;
  /// Per stage: calls waiting (not ringing) and ready agents eligible at that stage.
  std::vector<waiting_set> waiting;
  std::vector<ready_set> ready;
  /// Every call in the queue, ringing ones included, by rank: positions.
  waiting_set in_line;
  std::multiset<std::pair<instant, call_index>> arrivals;
  /// Agents eligible at some stage, in config order (by index), with the first stage they may
  /// serve.
  std::vector<std::pair<agent_index, unsigned>> members;
  unsigned logged_in_members = 0;
  std::int64_t strategy_cursor = -1;  ///< the strategy's own state (strategy::pick)
  queue_counters today;
  handle_time_window recent_handle_times;
  unsigned callbacks_waiting = 0;  ///< callbacks in line whose caller has not answered yet
};

enum class call_phase {
  waiting,
  ringing,
  connected,
  leaving,  ///< out of its queue's sets, on its way elsewhere
  dialing,  ///< a callback calls its caller; an agent is reserved (offered_to)
  resting,  ///< a callback between attempts: out of line until it tries again
};

struct call_record {
  bool in_use = false;
  std::string id;
  queue_index queue = 0;
  int priority = 0;
  instant arrived{};  ///< first queue: waits and fairness count from here
  instant entered{};  ///< this queue: overflow and max wait count from here
  unsigned stage = 0;
  std::size_t next_step = 0;
  unsigned moves = 0;
  ranked_call place;
  call_phase phase = call_phase::waiting;
  std::vector<agent_index> offered_to;  ///< whose devices ring for it now
  agent_index agent = no_index;         ///< connected: who took it
  /// Bumped when the call leaves a queue or its ringing ends: older deadlines are stale.
  std::uint64_t queue_generation = 0;
  std::uint64_t ring_generation = 0;
  /// A callback: the caller hung up keeping their place. `reached` once they answered it.
  bool callback = false;
  bool reached = false;
  unsigned attempts = 0;  ///< callback calls placed so far
  callback_party callback_to;
  /// The escalation steps still to come, by `after`.
  std::vector<priority_step> escalation;
  std::size_t next_escalation = 0;
  std::uint64_t escalation_generation = 0;  ///< bumped when the call is freed
};

struct deadline {
  enum class kind {
    ring_timeout,
    overflow_step,
    max_wait,
    wrap_up,
    callback_dial,
    callback_retry,
    escalation
  };
  instant at{};
  kind what = kind::ring_timeout;
  std::uint32_t index = 0;
  std::uint64_t generation = 0;
  bool operator>(const deadline& other) const { return at > other.at; }
};

}  // namespace detail

/// The engine's memory, and the operations its public functions are made of (one file per
/// concern: agent_states.cpp, call_states.cpp, routing.cpp, deadlines.cpp, views.cpp).
struct engine::state {
  state(engine_listener& listener, const acd_model& model, std::uint64_t random_seed);

  engine_listener& listener;
  std::vector<std::string> not_ready_reasons;
  std::vector<detail::agent_record> agents;
  std::vector<detail::queue_record> queues;
  std::vector<detail::call_record> calls;
  std::vector<detail::call_index> free_calls;
  std::unordered_map<std::string, detail::agent_index> agent_by_id;
  std::unordered_map<std::string, detail::queue_index> queue_by_name;
  std::unordered_map<std::string, detail::call_index> call_by_id;
  std::priority_queue<detail::deadline, std::vector<detail::deadline>, std::greater<>> deadlines;
  std::uint64_t next_sequence = 0;

  // Lookups.
  detail::agent_record* find_agent(std::string_view id);
  const detail::agent_record* find_agent(std::string_view id) const;
  /// The call's index, or no_index when the ACD does not have it.
  detail::call_index find_call(std::string_view id) const;
  bool is_reason(std::string_view reason) const;

  /// Works out the queues agent `a` serves from their skills (membership, each queue's members).
  void join_queues(detail::agent_index a);
  /// Undoes join_queues().
  void leave_queues(detail::agent_index a);

  // Agents (agent_states.cpp).
  void change_state(detail::agent_index a, agent_state to, std::string reason, instant now);
  /// Ready, in the candidate sets, without looking for a call yet.
  void make_ready(detail::agent_index a, instant now);
  /// Ready, and offered the best call they may take.
  void become_ready(detail::agent_index a, instant now);
  void log_out_now(detail::agent_index a, instant now);
  /// Leaves wrap-up for the agent's next status.
  void finish_wrap_up(detail::agent_index a, instant now);
  void set_next(detail::agent_index a, next_status next, std::string reason, instant now);
  /// Where an agent goes when an offer to them ends without a connection.
  struct released {
    detail::agent_index agent = 0;
    agent_state to = agent_state::ready;
    std::string reason;
  };
  /// Ends the offers of `c` to `who`: the call goes back in line first when nobody else rings
  /// (so a released agent may take it again if it is still their best), then the agents go
  /// where they go, then the call is routed.
  /// `why` is what the call hears (on_offer_withdrawn) when `tell_call`.
  void end_offers(detail::call_index c, std::vector<released> who, bool tell_call,
                  std::string_view why, instant now);
  /// Withdraws every offer ringing for `c` (events, the call told, the agents ready again);
  /// the call is routed again unless its phase says it is leaving.
  void withdraw_offers(detail::call_index c, std::string_view why, instant now);
  /// An event of call `c` in its queue: with agent `a` (no_index: none), the wait since its
  /// first queue entry and its priority.
  acd_event call_event(acd_event::kind what, detail::call_index c, detail::agent_index a,
                       instant now) const;
  /// The offer_withdrawn events of `c` for `who`, saying why.
  void emit_withdrawn(detail::call_index c, const std::vector<released>& who, std::string_view why,
                      instant now);

  // Calls (call_states.cpp).
  detail::call_index new_call(const std::string& id);
  void join_queue(detail::call_index c, detail::queue_index q, instant now);
  /// Takes the call out of its queue's sets (waiting, in line, arrivals).
  void leave_line(detail::call_index c);
  void leave_queue(detail::call_index c, queue_outcome why, const exit_target& target, instant now);
  void free_call(detail::call_index c);
  /// Sends a call that leaves a queue on: into another queue, or out through on_exit.
  void exit_to(detail::call_index c, queue_outcome why, const exit_target& target, instant now);
  void count_departure(detail::queue_record& q, queue_outcome why, duration wait);
  /// The ring timeout: every agent still ringing lets the call go.
  void offer_lapsed(detail::call_index c, instant now);
  void connect(detail::call_index c, detail::agent_index a, instant now);
  void complete(detail::call_index c, std::string_view who, instant now);
  void apply_step(detail::call_index c, instant now);
  /// Gives a waiting call a new priority: a new place in line, its arrival time kept. `why`
  /// goes in the event's detail ("escalation"; empty for a request).
  void change_priority(detail::call_index c, int priority, std::string_view why, instant now);
  void schedule_escalation(detail::call_index c);
  /// The call is a callback whose caller is not on the line: nothing rings before they are.
  bool awaits_callback(detail::call_index c) const {
    return calls[c].callback && !calls[c].reached;
  }

  // Callbacks (callbacks.cpp).
  /// Reserves `a` for callback `c` and asks the call layer to call the caller back.
  void dial_callback(detail::call_index c, detail::agent_index a, instant now);
  /// An attempt failed: the agent is free, the callback rests or is given up.
  void callback_attempt_failed(detail::call_index c, std::string_view why, instant now);
  /// Back in line after its retry delay, in its old place.
  void resume_callback(detail::call_index c, instant now);
  bool refuse_at_entry(detail::call_index c, detail::queue_index q, instant now);
  unsigned position_of(detail::call_index c) const;

  // Matching (routing.cpp).
  /// Runs `change(set, rank)` on every ready set the agent belongs in while ready.
  template <class Change>
  void for_each_ready_set(detail::agent_index a, Change change);
  void enter_ready(detail::agent_index a);
  void leave_ready(detail::agent_index a);
  /// A call became routable: offer it to the best ready agent(s) it may go to.
  void route_call(detail::call_index c, instant now);
  /// An agent became ready: offer them the best call they may take, across their queues.
  void route_agent(detail::agent_index a, instant now);
  void offer(detail::call_index c, const std::vector<detail::agent_index>& to, instant now);
  detail::agent_facts facts(const detail::agent_record& agent, const detail::membership& m) const;

  // Deadlines (deadlines.cpp).
  void schedule(detail::deadline::kind what, instant at, std::uint32_t index,
                std::uint64_t generation);
  void schedule_next_step(detail::call_index c);
  void run(const detail::deadline& due, instant now);
  bool is_current(const detail::deadline& d) const;

  /// The call an agent is ringing for, talking on or wrapping up, and its queue; empty when
  /// none.
  std::pair<std::string, std::string> current_call(const detail::agent_record& agent) const;

  // Views (views.cpp).
  queue_view view_of(const detail::queue_record& q, instant now) const;
  agent_view view_of(const detail::agent_record& a) const;
  std::optional<duration> estimated_wait(const detail::queue_record& q, unsigned position) const;

  /// Counts the event into today's figures (counters.cpp), then tells the listener.
  void emit(const acd_event& event) {
    count(event);
    listener.on_event(event);
  }
  void count(const acd_event& event);
};

}  // namespace callcenterd::acd
