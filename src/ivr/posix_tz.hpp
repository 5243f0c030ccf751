#pragma once

// POSIX TZ rules, as the footer of a TZif file (RFC 8536 §3.3) writes them for the instants
// after its last transition: "CST-8", "EST5EDT,M3.2.0,M11.1.0", "<+1030>-10:30<+11>-11,...".
// Text in, offsets out; no I/O.

#include <cstdint>
#include <optional>
#include <string_view>

namespace callcenterd::ivr::detail {

/// A day of the year as a POSIX TZ rule writes it, and the local time of the change on it.
struct rule_date {
  enum class kind : std::uint8_t {
    julian,          ///< Jn: 1…365, February 29 never counted
    zero_based,      ///< n: 0…365, February 29 counted
    month_week_day,  ///< Mm.w.d: weekday d (0 Sunday) of week w (5: the last) of month m
  };
  kind form = kind::month_week_day;
  int day = 0;
  int week = 0;
  int month = 0;
  /// Seconds after local midnight; negative or past 24 hours in version 3 files.
  std::int64_t time = std::int64_t{2} * 3600;
};

/// The rule of a footer: a standard offset, and maybe a daylight offset with its dates.
struct posix_rule {
  std::int64_t std_offset = 0;
  bool has_dst = false;
  std::int64_t dst_offset = 0;
  rule_date start;  ///< in standard time
  rule_date end;    ///< in daylight time
};

/// std offset [dst [offset] ,start[/time],end[/time]], with the version 3 extensions (rule
/// times from -167 to 167 hours). A daylight name without dates leaves the dates to the
/// reader's taste in POSIX; zic never writes one, so it is refused (nullopt), as is anything
/// malformed.
std::optional<posix_rule> parse_posix_tz(std::string_view text);

/// The UTC offset, in seconds, that `rule` gives at `unix_seconds`.
std::int64_t posix_offset(const posix_rule& rule, std::int64_t unix_seconds);

}  // namespace callcenterd::ivr::detail
