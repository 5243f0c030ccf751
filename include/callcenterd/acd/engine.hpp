#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/acd/acd_error.hpp"
#include "callcenterd/acd/events.hpp"
#include "callcenterd/acd/model.hpp"

namespace callcenterd::acd {

/// What the engine asks of the calls and tells the log. Called synchronously from inside the
/// engine's functions, on the engine's strand: implementations post, never call back in.
class engine_listener {
 public:
  virtual ~engine_listener() = default;
  /// Ring `agent`'s device for `call`; the call answers with offer_answered or offer_failed.
  virtual void on_offer(const std::string& call, const agent_settings& agent,
                        const std::string& queue) = 0;
  /// Stop ringing `agent` for `call`. `why`: "no_answer" (the ring timeout), "answered_elsewhere"
  /// (ring-all), "not_ready", "logged_out", or how the call left its queue (a queue_outcome).
  virtual void on_offer_withdrawn(const std::string& call, const std::string& agent,
                                  std::string_view why) = 0;
  /// `call` left the ACD for `target` other than to an agent or another queue: max wait, queue
  /// full, no agents, an overflow rule. The engine has forgotten it.
  virtual void on_exit(const std::string& call, queue_outcome why, const exit_target& target) = 0;
  /// A callback's turn came and `agent` is reserved for it: call the caller back. The call
  /// answers with callback_answered (then the agent's offer rings as for any caller) or
  /// callback_failed; a callback that neither answers nor fails within its ring timeout (and
  /// a margin) is failed by the engine with on_offer_withdrawn(call, agent, "no_answer").
  virtual void on_callback_due(const std::string& call, const agent_settings& agent,
                               const std::string& queue, const callback_party& to) = 0;
  virtual void on_event(const acd_event& event) = 0;
};

/// A call handed to a queue.
struct call_request {
  std::string call{};   ///< the call's id (its UUID)
  std::string queue{};  ///< queue name
  int priority = 0;     ///< 0..max_priority; higher is served first
  /// Its escalation (the flow's rule, e.g. a VIP raised after a minute), in any order.
  std::vector<priority_step> escalation{};
};

/// Today's totals of one queue, as KPIS.md counts them.
struct queue_counters {
  std::uint64_t offered = 0;
  std::uint64_t answered = 0;
  std::uint64_t answered_within_threshold = 0;
  std::uint64_t abandoned = 0;        ///< short abandons included
  std::uint64_t short_abandoned = 0;  ///< wait <= the short-abandon threshold
  std::uint64_t timed_out = 0;
  std::uint64_t overflowed = 0;
  std::uint64_t blocked = 0;
  std::uint64_t callback = 0;             ///< calls that left by taking a callback
  std::uint64_t callbacks_connected = 0;  ///< callbacks that reached an agent
  std::uint64_t callbacks_failed = 0;     ///< given up, or the caller hung up on the way
  duration wait_of_callbacks{0};          ///< of connected callbacks, from their first queue entry
  std::uint64_t lost = 0;
  duration wait_of_answered{0};
  duration wait_of_abandoned{0};  ///< of abandons that were not short
  duration talk{0};               ///< of completed calls
  duration after_call_work{0};
  std::uint64_t completed = 0;  ///< calls whose wrap-up is over: the handle-time count
};

/// One queue now, for the API and the wallboard.
struct queue_view {
  std::string name{};
  unsigned waiting = 0;    ///< in the queue, ringing agents included
  unsigned callbacks = 0;  ///< of those, callbacks whose caller is not on the line yet
  duration oldest_wait{0};
  /// Estimated wait for a caller who joins now; empty when no agent works the queue.
  std::optional<duration> ewt{};
  /// Agents who have the queue's skills (without overflow widening), by state.
  unsigned logged_in = 0;
  unsigned ready = 0;
  unsigned ringing = 0;
  unsigned on_call = 0;
  unsigned wrap_up = 0;
  unsigned not_ready = 0;
  queue_counters today{};
  /// KPIS.md; empty when the denominator is 0 ("n/a").
  std::optional<double> service_level{};
  std::optional<double> abandon_rate{};
  std::optional<duration> average_speed_of_answer{};
};

/// One agent now.
struct agent_view {
  std::string id{};
  std::string name{};
  std::string extension{};
  std::vector<std::string> teams{};
  std::vector<agent_skill> skills{};  ///< as in force now (set_skills may have changed them)
  agent_state state = agent_state::logged_out;
  std::string reason{};  ///< not ready: why
  instant since{};
  std::string call{};   ///< ringing, on call or wrap-up: the call
  std::string queue{};  ///< and its queue
  next_status next = next_status::none;
  std::string next_reason{};
  unsigned calls_today = 0;
  duration talk_today{0};
};

/// One waiting call now.
struct waiting_call_view {
  std::string call{};
  std::string queue{};
  int priority = 0;
  unsigned position = 0;          ///< 1 = served next
  duration waited{0};             ///< since it entered its first queue
  std::optional<duration> ewt{};  ///< until an agent takes it; empty when no agent works it
  bool ringing = false;
  bool callback = false;  ///< a callback whose caller is not on the line yet
};

/// The ACD's routing core: agents, queues and waiting calls in memory, and the decisions that
/// match them. It does no I/O and reads no clock: every entry point takes the time, and the
/// time of its next deadline (ring and wrap-up timeouts, overflow, max wait) is asked with
/// next_deadline(). A single writer: the service runs every call on one strand.
///
/// Routing is event-driven: each change (a call joins, an agent becomes ready, a call is
/// widened) matches at once what it can, so no ready agent and waiting call that fit each
/// other are ever left apart.
class engine {
 public:
  static constexpr int max_priority = 100;

  /// `model` must be valid (check_model); throws std::invalid_argument otherwise.
  engine(engine_listener& listener, const acd_model& model, std::uint64_t random_seed = 1);
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // Agents (the agent themself or a supervisor, through the API).
  boost::system::result<void> log_in(std::string_view agent, instant now);
  /// Logs out now; an agent on a call or in wrap-up is logged out when it ends instead.
  boost::system::result<void> log_out(std::string_view agent, instant now);
  /// Ready, from not ready or wrap-up. During a call: applies after it (next status none).
  boost::system::result<void> set_ready(std::string_view agent, instant now);
  /// Not ready with a configured reason. Ringing: the offer goes to someone else. On a call
  /// or in wrap-up: applies when wrap-up ends.
  boost::system::result<void> set_not_ready(std::string_view agent, std::string_view reason,
                                            instant now);
  /// Ends wrap-up early: the agent becomes ready (or their next status).
  boost::system::result<void> end_wrap_up(std::string_view agent, instant now);
  /// The agent's device is gone (unregistered): a ringing offer fails as unreachable.
  void device_lost(std::string_view agent, instant now);
  /// A device registered for the agent: one the ACD set not ready as unreachable is ready
  /// again (a reason the agent gave themself stands).
  void device_registered(std::string_view agent, instant now);

  // Calls (the call layer).
  /// Joins the queue; a call that is refused (full, no agents) leaves through on_exit.
  boost::system::result<void> enqueue(const call_request& request, instant now);
  /// The caller hung up before an agent answered.
  boost::system::result<void> caller_left(std::string_view call, instant now);
  /// The agent answered: true when the call is theirs. An answer to an offer the engine
  /// withdrew meanwhile is refused with offer_gone: hang the agent's leg up.
  boost::system::result<void> offer_answered(std::string_view call, std::string_view agent,
                                             instant now);
  boost::system::result<void> offer_failed(std::string_view call, std::string_view agent,
                                           offer_failure why, instant now);
  /// The agent's part of a connected call is over (hang-up or transfer away): wrap-up begins.
  /// `who` says who ended it ("caller", "agent", "transfer").
  boost::system::result<void> call_ended(std::string_view call, std::string_view who, instant now);
  /// Raises or lowers a waiting call's priority; its arrival time, and so its place among calls
  /// of the same priority, stays.
  boost::system::result<void> set_priority(std::string_view call, int priority, instant now);
  /// Gives an agent other skills from now on: the queues they serve, from which overflow step,
  /// and their skill score are worked out again, and a ready agent is offered the best call
  /// they may now take. A call ringing them or on their line stays theirs. bad_skills for a
  /// skill listed twice or a level outside 1..10.
  boost::system::result<void> set_skills(std::string_view agent, std::vector<agent_skill> skills,
                                         instant now);
  /// set_skills() with skills kept from an earlier run (read after the start): false, and
  /// nothing changed, for an unknown agent, bad skills, or an agent whose skills this run has
  /// set already (those are newer).
  bool restore_skills(std::string_view agent, std::vector<agent_skill> skills, instant now);

  // Callbacks (virtual hold).
  /// The waiting caller takes the queue's callback: they may hang up (caller_left is then
  /// ignored) and the call keeps its place; an offer ringing for it is withdrawn.
  boost::system::result<void> request_callback(std::string_view call, callback_party to,
                                               instant now);
  /// The caller answered the callback placed as `new_call`: the call goes by that id from now
  /// on and its reserved agent is offered it.
  boost::system::result<void> callback_answered(std::string_view call, std::string_view new_call,
                                                instant now);
  /// The callback did not reach the caller (`why`: no_answer, busy, unreachable): the reserved
  /// agent is free, and the callback tries again after the queue's retry delay, in its place,
  /// until its attempts are used up.
  boost::system::result<void> callback_failed(std::string_view call, std::string_view why,
                                              instant now);

  /// Repairs agents that are ringing, on a call or in wrap-up for a call for which `alive` says
  /// false, and forgets waiting calls that are gone; each repair is an event.
  void reconcile(const std::function<bool(std::string_view call)>& alive, instant now);

  /// Runs what is due at `now`: ring timeouts, wrap-up ends, overflow steps, max waits.
  void advance(instant now);
  /// When advance() next has work; empty: nothing is scheduled.
  std::optional<instant> next_deadline() const;
  /// Zeroes today's counters (the service calls it at local midnight).
  void start_new_day();
  /// Adds today's events so far, as an earlier run of the engine emitted them, to today's
  /// counters: a restarted daemon shows the day's figures, not zeros. Events of queues or
  /// agents the model no longer has are skipped. Events of this run must not be among them;
  /// it may come after this run's first calls (their counts are added to).
  void restore_today(const std::vector<acd_event>& day);

  // Live views, from memory.
  std::vector<queue_view> queues(instant now) const;
  std::optional<queue_view> queue(std::string_view name, instant now) const;
  std::vector<agent_view> agents() const;
  std::optional<agent_view> agent(std::string_view id) const;
  std::vector<waiting_call_view> waiting_calls(std::string_view queue, instant now) const;
  std::optional<waiting_call_view> waiting_call(std::string_view call, instant now) const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

/// The problems of a model, each a sentence naming the agent or queue; empty when valid.
std::vector<std::string> check_model(const acd_model& model);

}  // namespace callcenterd::acd
