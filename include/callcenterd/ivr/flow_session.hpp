#pragma once

// One call's run through a flow set: a coroutine on the call's strand that walks the nodes,
// plays prompts, waits for keys and hands the caller on. The set is the one in force when the
// call started; a reload does not change it for this call.

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callcenterd/ivr/expression.hpp"
#include "callcenterd/ivr/flow_channel.hpp"
#include "callcenterd/ivr/flow_set.hpp"

namespace callcenterd::ivr {

struct flow_session_settings {
  std::shared_ptr<const flow_set> flows;
  /// The flow the call starts in (checked to exist by whoever routes calls to it).
  std::string flow;
  /// The caller's data, readable by the flow's expressions: caller_number, caller_name, did.
  std::vector<std::pair<std::string, value>> variables;
  /// What now() and schedule nodes read; the system clock unless a test fixes the time.
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Limits that keep a flow's run bounded whatever the file says.
inline constexpr std::size_t max_flow_call_depth = 16;   ///< nested `call` nodes
inline constexpr std::size_t max_typed_ahead_keys = 64;  ///< keys kept for the next input
/// Nodes run one after another without waiting for anything before the flow is ended: only
/// plays that had nothing to play (every piece failed, or no media) can get there, in a loop
/// that the check could not see, and it would hold the call's strand for good.
inline constexpr std::size_t max_nodes_without_wait = 1000;

/// The handle the call holds. Dropping it is the same as on_caller_gone(): the coroutine ends
/// at its next wake-up and never reaches the call again.
class flow_session {
 public:
  using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;

  /// A session for the call on `strand`. `channel` must stay valid until the flow ends or
  /// on_caller_gone() was called.
  static std::unique_ptr<flow_session> create(strand_type strand, flow_channel& channel,
                                              flow_session_settings settings);

  /// Starts the flow at its start node. Once; on the strand.
  void start();

  // Reports from the call, on the strand. Each wakes the flow if it waits for it.
  void on_key(char key);
  void on_playback_done(bool interrupted);
  void on_speech(std::uint64_t token, std::shared_ptr<const media::prompt> audio);
  void on_timer(std::uint64_t token);
  void on_connected(bool connected);
  void on_lookup(std::uint64_t token, lookup_result result);
  /// The caller has gone (hung up, or the call was ended elsewhere): the step where they gave
  /// up is recorded now, and from then on the flow touches the channel no more; it stops at
  /// its next wake-up.
  void on_caller_gone();

  /// Whether the flow still runs (it has not ended, left or lost its caller). On the strand.
  [[nodiscard]] bool running() const;
  /// A variable's value now (null when not set). On the strand.
  [[nodiscard]] value variable(std::string_view name) const;

  flow_session(const flow_session&) = delete;
  flow_session& operator=(const flow_session&) = delete;
  ~flow_session();

  struct impl;

 private:
  explicit flow_session(std::shared_ptr<impl> state);
  // Shared with the coroutine, which may outlive the handle by one wake-up.
  std::shared_ptr<impl> impl_;
};

}  // namespace callcenterd::ivr
