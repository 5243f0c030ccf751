#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/call/call_detail_record.hpp"
#include "callcenterd/call/live_calls.hpp"

namespace callcenterd::call::detail {

/// Builds a call's detail record as the call goes: segments begin and end as its legs, flow
/// and queue move. Times are taken on the steady clock and shown on the wall clock from the
/// pair read when the call began, so durations never jump with a clock step. No I/O; the call
/// owns it and uses it on its strand.
class call_timeline {
 public:
  using steady_clock = std::chrono::steady_clock;
  using kind = call_segment::kind;

  call_timeline(wall_clock::time_point wall_start, steady_clock::time_point steady_start);

  /// Who called what; the parts the call knows from its INVITE.
  call_detail_record& header() { return record_; }

  /// Begins a segment. A ring of the party that rings already goes on (a redirect, an
  /// authenticated retry) instead of beginning again.
  void begin(kind what, std::string party, std::string queue, steady_clock::time_point now,
             std::string detail = {});
  /// Ends the latest open segment of `what` (of `party`, when given): false when none is open.
  bool end(kind what, std::string_view result, steady_clock::time_point now,
           std::string_view party = {});
  bool is_open(kind what, std::string_view party = {}) const;
  /// Begins again the latest segment of `what` that ended (the flow takes the caller back),
  /// unless one is open; false when there was none.
  bool resume(kind what, steady_clock::time_point now);

  void caller_answered(steady_clock::time_point now);
  /// The first one to end the call is the one recorded.
  void ended_by(std::string_view who);
  /// The caller was sent the final failure `status`.
  void refused(int status);
  /// The flow's variables as it handed the call to a queue, shown while the call lives.
  void set_variables(std::vector<std::pair<std::string, std::string>> variables) {
    variables_ = std::move(variables);
  }
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& variables() const {
    return variables_;
  }
  /// The caller took a queue's callback and may hang up: that is how the call ends.
  void took_callback() { took_callback_ = true; }
  /// Ends what is still open ("ended"), decides the disposition, and gives the record.
  call_detail_record finish(steady_clock::time_point now);

  /// What the call is doing now, from its open segments.
  [[nodiscard]] live_call live_view() const;
  /// `observer` is called after every change of the segments or the answer time (not at
  /// finish), on the owner's strand.
  void watch(std::function<void(const call_timeline&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  wall_clock::time_point wall(steady_clock::time_point at) const;
  int latest_open(kind what, std::string_view party) const;
  void changed() const {
    if (observer_) observer_(*this);
  }

  call_detail_record record_;
  steady_clock::time_point steady_start_;
  std::vector<bool> open_;  ///< per segment of record_.segments
  bool took_callback_ = false;
  std::function<void(const call_timeline&)> observer_;
  std::vector<std::pair<std::string, std::string>> variables_;
};

}  // namespace callcenterd::call::detail
