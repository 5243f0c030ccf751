#pragma once

// What a running flow needs of its call, and what it tells about the caller's way through it.
// The flow_session asks; the call does the work (media, timers, SIP) and reports back through
// the session's on_* members. Keeping the session free of I/O lets unit tests drive a flow
// with a fake channel and a manual clock.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callcenterd/acd/model.hpp"
#include "callcenterd/config/flow_settings.hpp"
#include "callcenterd/ivr/expression.hpp"
#include "callcenterd/media/prompt.hpp"
#include "callcenterd/media/speech.hpp"

namespace callcenterd::ivr {

/// Where a flow hands the caller on when it leaves the IVR.
struct connect_target {
  enum class kind : std::uint8_t { extension, number, queue };
  kind what = kind::extension;
  std::string name{};         ///< the extension, the number to dial out, or the queue
  std::string trunk{};        ///< number: the trunk to use; empty: the one whose prefix matches
  std::int64_t priority = 0;  ///< queue: higher is served first
  /// queue: the priority after waits (the flow's escalation rule).
  std::vector<acd::priority_step> escalation{};
  /// queue: the flow's variables as text when it handed the call over, for the agent's screen
  /// pop (what the caller keyed in, what a lookup found). Sorted by name, bounded in number
  /// and length.
  std::vector<std::pair<std::string, std::string>> variables{};

  friend bool operator==(const connect_target&, const connect_target&) = default;
};

/// What a lookup's query gave.
struct lookup_result {
  enum class kind : std::uint8_t { found, not_found, failed };
  kind what = kind::failed;
  /// found: the first row's columns, in order, as values (integers and booleans as such,
  /// null as null, everything else as text).
  std::vector<std::pair<std::string, value>> columns{};
  /// failed: why, for the log.
  std::string error{};
};

/// One step of a caller's way through the flows, for the event log: reports count calls per
/// node, containment and where callers give up from these.
struct flow_step {
  enum class kind : std::uint8_t {
    entered,     ///< a node started; `detail` is its kind ("menu", "play", ...)
    key,         ///< a menu key was chosen, or digits were collected (`detail`)
    no_input,    ///< a menu or collect heard nothing before its timeout
    invalid,     ///< a key or digits that were not accepted (`detail`)
    branch,      ///< a branch, switch or schedule took `detail` (the target node)
    failed,      ///< an expression failed at run time (`detail` says why); the flow went on
    left,        ///< the flow gave the caller on: `detail` names where (queue, extension, ...)
    hung_up,     ///< the flow ended the call (`detail`: the reason)
    caller_gone  ///< the caller hung up inside the flow
  };
  kind what = kind::entered;
  std::string flow{};
  std::string node{};
  std::string detail{};
  std::chrono::system_clock::time_point at{};
};

/// The name of a step kind, as the event log writes it ("entered", "key", ...).
std::string_view to_string(flow_step::kind kind);

/// The call side of a flow. Every member runs on the call's strand, and every report back
/// (flow_session::on_*) comes on that strand too.
class flow_channel {
 public:
  /// Plays `audio` to the caller in place of what it hears now; a key stops it when
  /// `interruptible`. on_playback_done() follows. False when nothing can play (no media).
  virtual bool play(const std::shared_ptr<const media::prompt>& audio, bool interruptible) = 0;
  /// Stops what play() started; on_playback_done(true) follows if it was still playing.
  virtual void stop_playing() = 0;
  /// Renders `text` as speech; on_speech(token, audio or null) follows.
  virtual void speak(std::uint64_t token, std::string text, media::speech_language language) = 0;
  /// Arms the flow's timer: on_timer(token) after `after`. Arming again replaces the wait;
  /// the session tells a stale expiry by its token.
  virtual void start_timer(std::uint64_t token, std::chrono::milliseconds after) = 0;
  /// Hands the caller on; on_connected(true) when connected (the flow's part is over), or
  /// on_connected(false) when the target could not be reached (busy, no answer, unknown).
  virtual void connect(const connect_target& target) = 0;
  /// Runs `query` with `parameters` ($1..$n) on the database, read-only and within the
  /// query's timeout; on_lookup(token, result) follows.
  virtual void lookup(std::uint64_t token, const config::query_settings& query,
                      std::vector<value> parameters) = 0;
  /// Ends the call from our side.
  virtual void hang_up(std::string_view reason) = 0;
  /// A step of the caller's way through the flow.
  virtual void record_step(const flow_step& step) = 0;

 protected:
  ~flow_channel() = default;
};

}  // namespace callcenterd::ivr
