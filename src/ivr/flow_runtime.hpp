#pragma once

// The state of one flow_session and the coroutine that walks its nodes. Reports from the call
// (on_key, on_speech, ...) only change this state and wake the coroutine; the coroutine reads
// the state after every wake-up, so a report that comes before anyone waits for it is not
// lost.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "callcenterd/ivr/flow_session.hpp"

namespace callcenterd::ivr {

/// How a flow (or a node) ended.
enum class flow_exit : std::uint8_t {
  next,      ///< a node: go on to `target` (empty: the flow ends there)
  returned,  ///< the flow ended or returned: back to the caller flow, or hang up at the top
  left,      ///< the caller left the IVR (connected, hung up, gone): stop everything
  replaced,  ///< a transfer to another flow: the whole stack gives way to `replacement`
};

struct node_outcome {
  flow_exit exit = flow_exit::next;
  const config::flow_text* target = nullptr;

  static node_outcome go(const config::flow_text& to) { return {flow_exit::next, &to}; }
  static node_outcome leave() { return {flow_exit::left, nullptr}; }
};

/// The kind key of a node as written in flow files ("play", "menu", ...).
std::string_view node_kind_name(const config::flow_node_body& body);

/// What a prompt's playing ended with.
enum class prompt_end : std::uint8_t { played, interrupted, gone };

/// What was wrong with the last answer to a menu or collect.
enum class input_failure : std::uint8_t { none, invalid, no_input };

/// Why a wait for a key ended.
enum class key_wait : std::uint8_t { key, timeout, gone };

// The node being run is the session's state (current_flow, current_node): the members below
// that record steps, evaluate texts or play prompts act for it.
struct flow_session::impl {
  impl(strand_type s, flow_channel& c, flow_session_settings flow_settings);

  // The coroutine (flow_session.cpp, flow_node_runner.cpp).
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<flow_exit> run_flow(const config::flow_settings& flow, std::size_t depth);
  boost::asio::awaitable<node_outcome> run_node(const config::flow_node_settings& node,
                                                std::size_t depth);
  boost::asio::awaitable<node_outcome> lookup(const config::lookup_node& lookup);
  boost::asio::awaitable<node_outcome> connect(connect_target target,
                                               const config::flow_text& on_failure);
  /// The variables as text, sorted by name, for the agent who takes the call: at most
  /// max_handed_variables, values cut to max_handed_value bytes.
  std::vector<std::pair<std::string, std::string>> variables_as_text() const;
  static constexpr std::size_t max_handed_variables = 64;
  static constexpr std::size_t max_handed_value = 256;
  /// A branch, switch or schedule takes `target`: the step, then the way there.
  node_outcome branch_to(const config::flow_text& target, std::string detail);

  // Prompts (flow_prompts.cpp).
  /// Plays the pieces in turn; a key stops them when `interruptible`, and keys typed ahead
  /// skip them altogether.
  boost::asio::awaitable<prompt_end> play(const config::prompt_settings& prompt,
                                          bool interruptible);

  // Input (flow_input.cpp).
  /// Plays `prompt`, after `invalid` or `no_input` when the last answer was wrong or missing;
  /// false when the caller is gone.
  boost::asio::awaitable<bool> ask(input_failure last, const config::prompt_settings& prompt,
                                   const config::prompt_settings& invalid,
                                   const config::prompt_settings& no_input);
  boost::asio::awaitable<node_outcome> menu(const config::menu_node& menu);
  boost::asio::awaitable<node_outcome> collect(const config::collect_node& collect);
  /// The next key typed ahead, or the first one within `timeout`.
  boost::asio::awaitable<key_wait> next_key(std::chrono::milliseconds timeout, char& key);

  // Waiting (flow_session.cpp).
  /// Suspends until `ready()` holds or the caller is gone; false when gone.
  boost::asio::awaitable<bool> wait_until(std::function<bool()> ready);
  void wake();
  void arm_timer(std::chrono::milliseconds after);

  // Expressions and steps, for the current node.
  [[nodiscard]] evaluation_context context() const;
  /// The value of `text`'s expression; null, and a `failed` step, when it fails.
  value evaluate(const config::flow_text& text);
  /// `text`'s template rendered; nullopt, and a `failed` step, when a part fails.
  std::optional<std::string> render(const config::flow_text& text);
  /// Logs a text that failed at run time and records it as a `failed` step.
  void report_failure(const config::flow_text& text, const std::string& reason);
  void step(flow_step::kind what, std::string detail = {});
  /// Ends the call with `reason`; the caller decides whether a `hung_up` step goes with it.
  void end_call(std::string_view reason);

  strand_type strand;
  flow_channel* channel;  ///< null once the caller is gone
  flow_session_settings settings;
  std::unordered_map<std::string, value> variables;
  boost::asio::steady_timer wake_signal;

  bool started = false;
  bool finished = false;
  bool gone = false;
  // Keys pressed while the flow listens, oldest first; a menu or collect takes them.
  std::string typed_ahead;
  bool listening = true;
  // Playing: set by play(), cleared by on_playback_done.
  bool playing = false;
  bool interrupted = false;
  std::uint64_t next_token = 1;
  std::uint64_t timer_token = 0;
  bool timer_fired = false;
  // Speech asked for and not yet played: empty until it is rendered (null when it failed).
  std::unordered_map<std::uint64_t, std::optional<std::shared_ptr<const media::prompt>>> speech;
  std::optional<bool> connected;
  std::uint64_t lookup_token = 0;
  std::optional<lookup_result> looked_up;
  const config::flow_settings* replacement = nullptr;
  // Where the caller is now: the node run, and where the step recorded when they hang up.
  const config::flow_settings* current_flow = nullptr;
  const config::flow_node_settings* current_node = nullptr;
  std::string previous_node;
  // Times the coroutine really waited, and nodes run since the last wait (a runaway guard).
  std::uint64_t suspensions = 0;
  std::uint64_t suspensions_seen = 0;
  std::size_t nodes_without_wait = 0;
};

}  // namespace callcenterd::ivr
