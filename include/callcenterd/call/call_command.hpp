#pragma once

#include <string>
#include <string_view>

namespace callcenterd::call {

/// Where a transfer the agent asks for sends the caller.
struct transfer_destination {
  enum class kind {
    extension,  ///< an extension (an agent's phone): rung, the caller hears music meanwhile
    queue,      ///< an ACD queue: the caller waits there like any caller
  };
  kind what = kind::extension;
  std::string name;
};

/// What an agent (or a supervisor over them) asks of a call in progress, through the API.
/// Every command acts on a call whose caller talks to an agent or extension now (a bridged
/// call); the agent is the callee leg.
struct call_command {
  enum class kind {
    hang_up,           ///< ends the call for both sides; the agent counts as ending it
    hold,              ///< the caller hears music, the agent silence
    resume,            ///< back to talking
    send_dtmf,         ///< `digits` to the caller as RFC 4733 events (an IVR at the far end)
    pause_recording,   ///< silence in the recording from now on, marked as a pause
    resume_recording,  ///< the recording hears the call again
    transfer,          ///< blind: the agent leaves at once, the caller goes to `to`
  };
  kind what = kind::hang_up;
  std::string digits{};
  transfer_destination to{};
};

/// How a command went. Anything but `done` changed nothing.
enum class command_outcome {
  done,
  no_such_call,    ///< no call in progress has that id
  wrong_state,     ///< not in a state that allows it (not talking, already held, ...)
  unavailable,     ///< what it needs is missing: no telephone-event, no recording
  unknown_target,  ///< a transfer to an extension or queue that does not exist
  target_offline,  ///< a transfer to an extension with no registered device
};

struct command_result {
  command_outcome outcome = command_outcome::done;
  /// For people: why it was refused.
  std::string message{};
};

std::string_view to_string(call_command::kind what);

}  // namespace callcenterd::call
