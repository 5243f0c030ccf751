// Calendars of flow files: weekly opening hours and holidays in a time zone.
#include <array>
#include <charconv>

#include "flow_sections.hpp"
#include "text_checks.hpp"
#include "value_parsers.hpp"

namespace callcenterd::config::detail {

namespace {

using interval = calendar_settings::interval;

constexpr std::array<std::string_view, 7> day_names = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

std::optional<unsigned> day_index(std::string_view name) {
  for (unsigned i = 0; i < day_names.size(); ++i) {
    if (day_names[i] == name) return i;
  }
  return std::nullopt;
}

/// "mon", "mon-fri", "sat,sun", "mon-wed,fri": the weekdays named, or why not.
parsed<std::vector<unsigned>> parse_days(std::string_view text) {
  std::vector<unsigned> days;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto dash = part.find('-');
    const auto first = day_index(part.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : day_index(part.substr(dash + 1));
    if (!first || !last || *last < *first) {
      return {std::nullopt,
              "expected weekdays like mon, mon-fri or sat,sun; got " + in_quotes(part)};
    }
    for (unsigned d = *first; d <= *last; ++d) days.push_back(d);
  }
  if (days.empty()) return {std::nullopt, "expected weekdays like mon-fri"};
  return {days, {}};
}

std::optional<std::chrono::minutes> parse_clock(std::string_view text) {
  unsigned hours = 0;
  unsigned minutes = 0;
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  if (std::from_chars(text.data(), text.data() + 2, hours).ptr != text.data() + 2) return {};
  if (std::from_chars(text.data() + 3, text.data() + 5, minutes).ptr != text.data() + 5) return {};
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
  return std::chrono::minutes(hours * 60 + minutes);
}

/// "09:00-18:00" (to 24:00 at most), or why not.
parsed<std::pair<std::chrono::minutes, std::chrono::minutes>> parse_hours(std::string_view text) {
  const auto dash = text.find('-');
  const auto from = parse_clock(text.substr(0, dash));
  const auto to =
      dash == std::string_view::npos ? std::nullopt : parse_clock(text.substr(dash + 1));
  if (!from || !to)
    return {std::nullopt, "expected hours like 09:00-18:00, got " + in_quotes(text)};
  if (*to <= *from) return {std::nullopt, "the hours end before they start: " + in_quotes(text)};
  return {std::make_pair(*from, *to), {}};
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (std::from_chars(text.data(), text.data() + 4, year).ptr != text.data() + 4) return {};
  if (std::from_chars(text.data() + 5, text.data() + 7, month).ptr != text.data() + 7) return {};
  if (std::from_chars(text.data() + 8, text.data() + 10, day).ptr != text.data() + 10) return {};
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok()) return std::nullopt;
  return date;
}

/// "2026-10-01" or "2026-10-01..2026-10-07" (at most a year), or why not.
parsed<std::vector<std::chrono::year_month_day>> parse_dates(std::string_view text) {
  const auto dots = text.find("..");
  const auto first = parse_date(text.substr(0, dots));
  const auto last = dots == std::string_view::npos ? first : parse_date(text.substr(dots + 2));
  if (!first || !last) {
    return {std::nullopt,
            "expected a date like 2026-10-01 or 2026-10-01..2026-10-07, got " + in_quotes(text)};
  }
  const auto from = std::chrono::sys_days(*first);
  const auto to = std::chrono::sys_days(*last);
  if (to < from || to - from > std::chrono::days(366)) {
    return {std::nullopt, "a range of dates runs forward, a year at most: " + in_quotes(text)};
  }
  std::vector<std::chrono::year_month_day> days;
  for (auto d = from; d <= to; d += std::chrono::days(1)) days.emplace_back(d);
  return {days, {}};
}

std::string zone_check(std::string_view text) {
  // An IANA name; whether it exists is for whoever loads the zone.
  if (text.empty() || text.size() > 64 || text.front() == '/' ||
      text.find("..") != std::string_view::npos) {
    return "expected a time zone name like Asia/Shanghai or UTC, got " + in_quotes(text);
  }
  for (const char c : text) {
    if (!is_alnum(c) && c != '/' && c != '_' && c != '-' && c != '+') {
      return "expected a time zone name like Asia/Shanghai or UTC, got " + in_quotes(text);
    }
  }
  return {};
}

void read_open(section_reader& in, calendar_settings& out) {
  const auto raw = in.raw("open");
  if (!raw) return;
  if (!raw->node.IsMap()) {
    in.errors().add(raw->key_mark, raw->path,
                    "expected weekdays to hours, like mon-fri: 09:00-18:00");
    return;
  }
  for (const auto& pair : raw->node) {
    const std::string days_text = pair.first.Scalar();
    const std::string path = raw->path + "." + days_text;
    const auto days = parse_days(days_text);
    if (!days.value) {
      in.errors().add(pair.first.Mark(), path, days.error);
      continue;
    }
    std::vector<YAML::Node> hours;
    if (pair.second.IsSequence()) {
      for (const auto& h : pair.second) hours.push_back(h);
    } else {
      hours.push_back(pair.second);
    }
    for (const auto& h : hours) {
      const auto span = h.IsScalar() ? parse_hours(h.Scalar())
                                     : decltype(parse_hours({}))::fail(
                                           "expected hours like 09:00-18:00, got " + describe(h));
      if (!span.value) {
        in.errors().add(h.Mark(), path, span.error);
        continue;
      }
      for (const auto day : *days.value) {
        out.open.push_back(interval{day, span.value->first, span.value->second});
      }
    }
  }
}

}  // namespace

void read_calendar(section_reader& in, calendar_settings& out) {
  in.text("time_zone", out.time_zone, zone_check);
  read_open(in, out);
  // Each date is checked as it is listed, so an error points at its own line.
  std::vector<std::string> holidays;
  if (in.text_list("holidays", holidays,
                   [](std::string_view text) { return parse_dates(text).error; })) {
    for (const auto& text : holidays) {
      const auto dates = parse_dates(text);
      out.holidays.insert(out.holidays.end(), dates.value->begin(), dates.value->end());
    }
  }
}

}  // namespace callcenterd::config::detail
