#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::call {

using wall_clock = std::chrono::system_clock;

/// One stretch of a call's life. Segments may overlap: a hold lies within a talk, a ring
/// within a queue wait.
struct call_segment {
  enum class kind {
    ivr,       ///< party: the flow
    queue,     ///< queue: where it waited; result: answered, abandoned, left (the ACD sent it on)
    ring,      ///< party: the agent or extension rung; result: answered, or why not
    talk,      ///< party: the agent or callee the caller talked to
    hold,      ///< party: who put the other side on hold ("caller", or the callee's name)
    transfer,  ///< party: who transferred; detail: to where; result: completed or failed
  };
  kind what = kind::ivr;
  wall_clock::time_point started{};
  wall_clock::time_point ended{};
  std::string party{};
  std::string queue{};   ///< ring and talk of a queued call: its queue
  std::string result{};  ///< how it ended (see the kinds)
  std::string detail{};
};

/// What became of a call, from the caller's side.
enum class call_disposition {
  connected,     ///< talked to an agent or callee
  abandoned,     ///< hung up before anyone answered (while waiting, ringing or at the start)
  self_service,  ///< answered here (flow, announcement) and over without reaching anyone
  refused,       ///< never answered: a final failure (status) was sent
  callback,      ///< took the queue's callback: the ACD calls the caller back
};

/// The record of one call when it is over: who called what, when, how it ended, and each
/// segment in the order it began. After-call work follows the call and so is recorded by the
/// ACD's own event when it ends.
struct call_detail_record {
  std::string call{};         ///< the call's UUID
  std::string sip_call_id{};  ///< the caller's Call-ID
  std::string caller{};       ///< the user part of the caller's From
  std::string caller_name{};
  std::string dialed{};  ///< the user part of the request URI
  wall_clock::time_point started{};
  std::optional<wall_clock::time_point> answered{};   ///< the caller's 2xx (here or bridged)
  std::optional<wall_clock::time_point> connected{};  ///< the first talk began
  wall_clock::time_point ended{};
  call_disposition disposition = call_disposition::refused;
  int status = 0;          ///< refused: the final status sent
  std::string ended_by{};  ///< caller, agent, callee or system
  std::string queue{};     ///< the last queue it waited in, if any
  std::string agent{};     ///< the last agent it talked to, if any
  /// A callback the daemon placed: the call that asked for it. Its caller is the number
  /// called back.
  std::string callback_of{};
  std::vector<call_segment> segments{};
};

std::string_view to_string(call_segment::kind what);
std::string_view to_string(call_disposition disposition);

}  // namespace callcenterd::call
