// POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3") and the offsets they give.
#include "posix_tz.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>

namespace callcenterd::ivr::detail {

namespace {

/// Reads a TZ string piece by piece; every step consumes only what it accepts.
class tz_string_reader {
 public:
  explicit tz_string_reader(std::string_view text) : text_(text) {}

  [[nodiscard]] bool done() const { return pos_ == text_.size(); }
  [[nodiscard]] bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }

  /// "EST" (three or more letters) or "<+0530>" (letters, digits, signs between brackets).
  bool name() {
    std::size_t n = 0;
    if (eat('<')) {
      while (pos_ < text_.size() && (is_alnum(text_[pos_]) || peek('+') || peek('-'))) {
        ++pos_;
        ++n;
      }
      return n >= 3 && eat('>');
    }
    while (pos_ < text_.size() && is_alpha(text_[pos_])) {
      ++pos_;
      ++n;
    }
    return n >= 3;
  }

  /// [+-]hh[:mm[:ss]] with hours up to `max_hours`, in seconds.
  std::optional<std::int64_t> signed_time(int max_hours) {
    const bool negative = eat('-');
    if (!negative) eat('+');
    const auto hours = number(3);
    if (!hours || *hours > max_hours) return std::nullopt;
    std::int64_t seconds = std::int64_t{*hours} * 3600;
    for (const int scale : {60, 1}) {
      if (!eat(':')) break;
      const auto part = number(2);
      if (!part || *part > 59) return std::nullopt;
      seconds += std::int64_t{*part} * scale;
    }
    return negative ? -seconds : seconds;
  }

  /// Jn, n or Mm.w.d, then an optional /time.
  std::optional<rule_date> date() {
    rule_date out;
    if (eat('J')) {
      const auto day = number(3);
      if (!day || *day < 1 || *day > 365) return std::nullopt;
      out.form = rule_date::kind::julian;
      out.day = *day;
    } else if (eat('M')) {
      // A part that is missing reads as -1, out of every range.
      const int month = number(2).value_or(-1);
      const int week = eat('.') ? number(1).value_or(-1) : -1;
      const int day = eat('.') ? number(1).value_or(-1) : -1;
      if (month < 1 || month > 12 || week < 1 || week > 5 || day < 0 || day > 6) {
        return std::nullopt;
      }
      out = rule_date{rule_date::kind::month_week_day, day, week, month};
    } else {
      const auto day = number(3);
      if (!day || *day > 365) return std::nullopt;
      out.form = rule_date::kind::zero_based;
      out.day = *day;
    }
    if (eat('/')) {
      // Version 3 lets the time run from -167 to 167 hours.
      const auto time = signed_time(167);
      if (!time) return std::nullopt;
      out.time = *time;
    }
    return out;
  }

 private:
  static bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
  static bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

  /// One to `max_digits` decimal digits.
  std::optional<int> number(std::size_t max_digits) {
    int value = 0;
    std::size_t digits = 0;
    while (digits < max_digits && pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    return value;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<posix_rule> parse_posix_tz(std::string_view text) {
  tz_string_reader in(text);
  posix_rule rule;
  // POSIX offsets are west of Greenwich: "CST-8" is 8 hours ahead of UTC.
  const auto std_offset = in.name() ? in.signed_time(24) : std::nullopt;
  if (!std_offset) return std::nullopt;
  rule.std_offset = -*std_offset;
  if (in.done()) return rule;
  if (!in.name()) return std::nullopt;
  rule.has_dst = true;
  rule.dst_offset = rule.std_offset + 3600;
  if (!in.peek(',')) {
    const auto dst_offset = in.signed_time(24);
    if (!dst_offset) return std::nullopt;
    rule.dst_offset = -*dst_offset;
  }
  const auto start = in.eat(',') ? in.date() : std::nullopt;
  const auto end = start && in.eat(',') ? in.date() : std::nullopt;
  if (!end || !in.done()) return std::nullopt;
  rule.start = *start;
  rule.end = *end;
  return rule;
}

namespace {

/// Local midnight of the rule's day in `year`, as days since the epoch.
std::chrono::sys_days rule_day(std::chrono::year year, const rule_date& date) {
  using namespace std::chrono;
  const sys_days new_year{year / January / 1};
  switch (date.form) {
    case rule_date::kind::julian:
      return new_year + days(date.day - 1 + (year.is_leap() && date.day >= 60 ? 1 : 0));
    case rule_date::kind::zero_based:
      return new_year + days(date.day);
    case rule_date::kind::month_week_day:
      break;
  }
  const auto month_of = month(static_cast<unsigned>(date.month));
  const auto day_of = weekday(static_cast<unsigned>(date.day));
  if (date.week == 5) return sys_days{year / month_of / day_of[last]};
  return sys_days{year / month_of / day_of[static_cast<unsigned>(date.week)]};
}

}  // namespace

std::int64_t posix_offset(const posix_rule& rule, std::int64_t unix_seconds) {
  using namespace std::chrono;
  if (!rule.has_dst) return rule.std_offset;
  // The changes of the years around the instant, in order; the last one at or before it
  // decides. Taking the years around it keeps southern rules (DST across New Year) and rule
  // times past midnight of December 31 simple.
  const sys_seconds local{seconds(unix_seconds + rule.std_offset)};
  const year this_year = year_month_day{floor<days>(local)}.year();
  struct change {
    std::int64_t at;
    bool to_dst;
  };
  std::array<change, 8> changes{};
  std::size_t n = 0;
  for (int delta = -2; delta <= 1; ++delta) {
    const year y = this_year + years(delta);
    const auto start = rule_day(y, rule.start).time_since_epoch() / days(1) * 86400;
    const auto end = rule_day(y, rule.end).time_since_epoch() / days(1) * 86400;
    changes[n++] = {start + rule.start.time - rule.std_offset, true};
    changes[n++] = {end + rule.end.time - rule.dst_offset, false};
  }
  // Stable: on a tie the later year's change wins, which keeps all-year DST
  // ("EST5EDT,0/0,J365/25") in DST across New Year.
  std::stable_sort(changes.begin(), changes.end(),
                   [](const change& a, const change& b) { return a.at < b.at; });
  bool dst = false;
  for (const auto& c : changes) {
    if (c.at <= unix_seconds) dst = c.to_dst;
  }
  return dst ? rule.dst_offset : rule.std_offset;
}

}  // namespace callcenterd::ivr::detail
