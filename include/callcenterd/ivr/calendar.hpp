#pragma once

// Opening hours of a flow's `schedule` node: weekly intervals and holiday dates, read in the
// calendar's time zone. Holidays win over hours, so a public holiday on a Monday is a holiday
// and not an open Monday.

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "callcenterd/config/flow_settings.hpp"
#include "callcenterd/ivr/time_zone.hpp"

namespace callcenterd::ivr {

enum class calendar_state : std::uint8_t { open, closed, holiday };

/// A calendar ready to answer. Immutable after construction: any thread.
class calendar {
 public:
  /// `zone` is the one settings.time_zone names, loaded by the caller (loading blocks).
  /// Intervals are [from, to) in minutes after local midnight, weekday 0 Monday … 6 Sunday.
  calendar(const config::calendar_settings& settings, time_zone zone);

  /// Holiday when the local date at `when` is a holiday; otherwise open when the local time
  /// falls in an interval of its weekday; otherwise closed.
  [[nodiscard]] calendar_state state_at(std::chrono::system_clock::time_point when) const;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const time_zone& zone() const { return zone_; }

 private:
  struct span {
    std::chrono::minutes from;
    std::chrono::minutes to;
  };

  std::string name_;
  time_zone zone_;
  std::array<std::vector<span>, 7> open_;          ///< by weekday, Monday first
  std::vector<std::chrono::local_days> holidays_;  ///< sorted, each once
};

}  // namespace callcenterd::ivr
