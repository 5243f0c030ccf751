#include "callcenterd/ivr/time_zone.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp, setenv
#include <time.h>    // localtime_r, tzset

#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace callcenterd::ivr {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

system_clock::time_point utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  const std::chrono::sys_days day{std::chrono::year(y) / std::chrono::month(mo) /
                                  std::chrono::day(d)};
  return system_clock::time_point(day + std::chrono::hours(h) + std::chrono::minutes(mi) +
                                  std::chrono::seconds(s));
}

std::optional<time_zone> load(std::string_view name) {
  auto result = time_zone::blocking_load(name);
  if (auto* error = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << name << ": " << *error;
    return std::nullopt;
  }
  return std::get<time_zone>(std::move(result));
}

std::string load_error(std::string_view name, const std::filesystem::path& root) {
  auto result = time_zone::blocking_load(name, root);
  if (std::holds_alternative<time_zone>(result)) return "loaded";
  return std::get<std::string>(result);
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A directory of its own under /tmp, removed at the end of the test.
class temp_root {
 public:
  temp_root() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tz_test_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  temp_root(const temp_root&) = delete;
  temp_root& operator=(const temp_root&) = delete;
  ~temp_root() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, std::string_view bytes) const {
    std::filesystem::create_directories((path_ / name).parent_path());
    std::ofstream out(path_ / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

 private:
  std::filesystem::path path_;
};

// ---- TZif files built by hand ----

struct tzif_type {
  std::int32_t offset = 0;
  bool dst = false;
};

void put_be(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void put_header(std::string& out, char version, std::uint32_t timecnt, std::uint32_t typecnt,
                std::uint32_t charcnt, std::uint32_t leapcnt = 0) {
  out += "TZif";
  out.push_back(version);
  out.append(15, '\0');
  for (const std::uint32_t count : {0U, 0U, leapcnt, timecnt, typecnt, charcnt}) {
    put_be(out, count, 4);
  }
}

/// A version 2 file (a near-empty 32-bit block, then the 64-bit one and `footer`), or a
/// version 1 file when `version` is '\0'.
std::string make_tzif(const std::vector<std::pair<std::int64_t, std::uint8_t>>& transitions,
                      const std::vector<tzif_type>& types, std::string_view footer,
                      char version = '2') {
  const int time_size = version == '\0' ? 4 : 8;
  std::string out;
  if (version != '\0') {
    put_header(out, version, 0, 1, 1);
    out.append(6, '\0');  // one type, UTC
    out.push_back('\0');  // its designation
  }
  put_header(out, version, static_cast<std::uint32_t>(transitions.size()),
             static_cast<std::uint32_t>(types.size()), 4);
  for (const auto& t : transitions) put_be(out, static_cast<std::uint64_t>(t.first), time_size);
  for (const auto& t : transitions) out.push_back(static_cast<char>(t.second));
  for (const auto& t : types) {
    put_be(out, static_cast<std::uint32_t>(t.offset), 4);
    out.push_back(t.dst ? '\1' : '\0');
    out.push_back('\0');
  }
  out.append("ABC", 4);
  if (version != '\0') out += "\n" + std::string(footer) + "\n";
  return out;
}

std::optional<time_zone> parse(const std::string& bytes) {
  auto result = time_zone::from_tzif("Test/Zone", bytes);
  if (auto* error = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << *error;
    return std::nullopt;
  }
  return std::get<time_zone>(std::move(result));
}

std::string parse_error(const std::string& bytes) {
  auto result = time_zone::from_tzif("Test/Zone", bytes);
  if (std::holds_alternative<time_zone>(result)) return "parsed";
  return std::get<std::string>(result);
}

/// A zone with no transitions and only `footer` to go by.
std::optional<time_zone> footer_zone(std::string_view footer) {
  return parse(make_tzif({}, {{0, false}}, footer));
}

// ---- the system's zones ----

TEST(time_zone, utc_needs_no_file) {
  const temp_root empty;
  for (const std::string_view name : {"UTC", "Etc/UTC"}) {
    auto result = time_zone::blocking_load(name, empty.path());
    ASSERT_TRUE(std::holds_alternative<time_zone>(result)) << std::get<std::string>(result);
    const auto& zone = std::get<time_zone>(result);
    EXPECT_EQ(zone.name(), name);
    EXPECT_EQ(zone.offset_at(utc(2026, 7, 1)), 0s);
  }
  EXPECT_EQ(time_zone::utc().offset_at(utc(1900, 1, 1)), 0s);
  EXPECT_EQ(time_zone::utc().name(), "UTC");
}

TEST(time_zone, shanghai_is_eight_hours_ahead_all_year) {
  const auto zone = load("Asia/Shanghai");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->name(), "Asia/Shanghai");
  EXPECT_EQ(zone->offset_at(utc(2026, 1, 15, 12)), 8h);
  EXPECT_EQ(zone->offset_at(utc(2026, 7, 1, 12)), 8h);
  EXPECT_EQ(zone->offset_at(utc(2040, 7, 1, 12)), 8h);
  // China had summer time from 1986 to 1991.
  EXPECT_EQ(zone->offset_at(utc(1988, 7, 1)), 9h);
}

TEST(time_zone, to_local_adds_the_offset) {
  const auto zone = load("Asia/Shanghai");
  ASSERT_TRUE(zone);
  const auto local = zone->to_local(utc(2026, 1, 5, 20, 30, 15) + 999ms);
  const std::chrono::local_days day{std::chrono::year(2026) / 1 / 6};
  EXPECT_EQ(local, day + 4h + 30min + 15s);
}

TEST(time_zone, new_york_summer_winter_and_after_2037) {
  const auto zone = load("America/New_York");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->offset_at(utc(2026, 7, 1, 12)), -4h);
  EXPECT_EQ(zone->offset_at(utc(2026, 1, 15, 12)), -5h);
  EXPECT_EQ(zone->offset_at(utc(2040, 7, 1, 12)), -4h);
  EXPECT_EQ(zone->offset_at(utc(2040, 1, 15, 12)), -5h);
  EXPECT_EQ(zone->offset_at(utc(2200, 7, 1, 12)), -4h);
}

TEST(time_zone, new_york_switches_at_the_exact_second) {
  const auto zone = load("America/New_York");
  ASSERT_TRUE(zone);
  // 02:00 EST on the second Sunday of March; 02:00 EDT on the first Sunday of November.
  for (const auto& [start, end] : {std::pair{utc(2026, 3, 8, 7), utc(2026, 11, 1, 6)},
                                   std::pair{utc(2040, 3, 11, 7), utc(2040, 11, 4, 6)}}) {
    EXPECT_EQ(zone->offset_at(start - 1s), -5h);
    EXPECT_EQ(zone->offset_at(start - 1ns), -5h);
    EXPECT_EQ(zone->offset_at(start), -4h);
    EXPECT_EQ(zone->offset_at(end - 1s), -4h);
    EXPECT_EQ(zone->offset_at(end), -5h);
  }
}

TEST(time_zone, berlin_cest_and_cet) {
  const auto zone = load("Europe/Berlin");
  ASSERT_TRUE(zone);
  // 01:00 UTC on the last Sundays of March and October.
  for (const auto& [start, end] : {std::pair{utc(2026, 3, 29, 1), utc(2026, 10, 25, 1)},
                                   std::pair{utc(2045, 3, 26, 1), utc(2045, 10, 29, 1)}}) {
    EXPECT_EQ(zone->offset_at(start - 1s), 1h);
    EXPECT_EQ(zone->offset_at(start), 2h);
    EXPECT_EQ(zone->offset_at(end - 1s), 2h);
    EXPECT_EQ(zone->offset_at(end), 1h);
  }
}

TEST(time_zone, sydney_has_summer_across_new_year) {
  const auto zone = load("Australia/Sydney");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->offset_at(utc(2026, 1, 15)), 11h);
  EXPECT_EQ(zone->offset_at(utc(2026, 7, 1)), 10h);
  EXPECT_EQ(zone->offset_at(utc(2045, 12, 31, 23, 59, 59)), 11h);
  EXPECT_EQ(zone->offset_at(utc(2046, 1, 1)), 11h);
  // Ends 03:00 AEDT on the first Sunday of April, starts 02:00 AEST on the first of October.
  for (const auto& [end, start] : {std::pair{utc(2026, 4, 4, 16), utc(2026, 10, 3, 16)},
                                   std::pair{utc(2045, 4, 1, 16), utc(2045, 9, 30, 16)}}) {
    EXPECT_EQ(zone->offset_at(end - 1s), 11h);
    EXPECT_EQ(zone->offset_at(end), 10h);
    EXPECT_EQ(zone->offset_at(start - 1s), 10h);
    EXPECT_EQ(zone->offset_at(start), 11h);
  }
}

TEST(time_zone, agrees_with_the_c_library) {
  // glibc reads the same files: every few days from 1970 to 2100, the offsets must match.
  const char* saved = getenv("TZ");
  const std::optional<std::string> old_tz =
      saved ? std::optional<std::string>(saved) : std::nullopt;
  for (const char* name :
       {"Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Sydney",
        "Australia/Lord_Howe", "America/Nuuk", "Asia/Jerusalem", "America/Santiago",
        "Pacific/Chatham", "Africa/Casablanca", "Europe/Dublin", "Asia/Kolkata",
        "America/Sao_Paulo", "Pacific/Apia", "Asia/Tehran", "Europe/London", "EST5EDT"}) {
    const auto zone = load(name);
    if (!zone) continue;
    setenv("TZ", name, 1);
    tzset();
    int mismatches = 0;
    for (std::int64_t t = 0; t < 4102444800 && mismatches < 3; t += 3 * 86400 + 3599) {
      const time_t c_time = static_cast<time_t>(t);
      tm parts{};
      localtime_r(&c_time, &parts);
      const auto ours = zone->offset_at(system_clock::time_point(std::chrono::seconds(t)));
      if (ours.count() != parts.tm_gmtoff) {
        ++mismatches;
        ADD_FAILURE() << name << " at " << t << ": " << ours.count() << " != " << parts.tm_gmtoff;
      }
    }
  }
  if (old_tz) {
    setenv("TZ", old_tz->c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

// ---- names and files that must not load ----

TEST(time_zone, a_missing_zone_is_named) {
  EXPECT_EQ(load_error("Asia/Shangai", "/usr/share/zoneinfo"),
            "no time zone 'Asia/Shangai' in /usr/share/zoneinfo");
  EXPECT_EQ(load_error("America", "/usr/share/zoneinfo"),
            "no time zone 'America' in /usr/share/zoneinfo");
  const temp_root empty;
  EXPECT_EQ(load_error("Asia/Shanghai", empty.path()),
            "no time zone 'Asia/Shanghai' in " + empty.path().string());
}

TEST(time_zone, names_cannot_leave_the_root) {
  const temp_root root;
  root.write("inside/Zone", read_bytes("/usr/share/zoneinfo/Asia/Shanghai"));
  EXPECT_EQ(load_error("inside/Zone", root.path()), "loaded");
  for (const std::string_view name : {"../etc/passwd", "Asia/../../etc/passwd", "..",
                                      "/etc/localtime", "/usr/share/zoneinfo/Asia/Shanghai", ""}) {
    EXPECT_EQ(load_error(name, root.path() / "inside"),
              "not a time zone name: '" + std::string(name) + "'");
  }
  EXPECT_EQ(load_error(std::string_view("UTC\0x", 5), root.path()).substr(0, 21),
            "not a time zone name:");
}

TEST(time_zone, other_files_are_not_tzif) {
  const temp_root root;
  root.write("Text", "Asia/Shanghai\n");
  root.write("Empty", "");
  EXPECT_EQ(load_error("Text", root.path()),
            "time zone 'Text' (" + (root.path() / "Text").string() + "): not a TZif file");
  EXPECT_EQ(load_error("Empty", root.path()),
            "time zone 'Empty' (" + (root.path() / "Empty").string() + "): not a TZif file");
  std::string big = read_bytes("/usr/share/zoneinfo/Asia/Shanghai");
  big.resize(max_tzif_bytes + 1);
  root.write("Big", big);
  EXPECT_NE(load_error("Big", root.path()).find("larger than 1 MiB"), std::string::npos);
}

TEST(time_zone, leap_second_zones_are_refused) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/right/UTC")) GTEST_SKIP() << "no right/";
  EXPECT_NE(load_error("right/UTC", "/usr/share/zoneinfo").find("leap seconds"), std::string::npos);
}

// ---- hostile bytes ----

void exercise(const std::variant<time_zone, std::string>& result) {
  if (const auto* zone = std::get_if<time_zone>(&result)) {
    for (const auto when :
         {utc(1800, 1, 1), utc(1990, 6, 1), utc(2026, 3, 8, 7), utc(2100, 1, 1)}) {
      const auto offset = zone->offset_at(when);
      EXPECT_LT(std::chrono::abs(offset), 25h);
      (void)zone->to_local(when);
    }
  }
}

TEST(time_zone, every_truncation_is_an_error_not_a_crash) {
  const temp_root root;
  const std::string whole = read_bytes("/usr/share/zoneinfo/America/New_York");
  ASSERT_GT(whole.size(), 1000U);
  for (std::size_t n = 0; n < whole.size(); ++n) {
    root.write("Cut", std::string_view(whole).substr(0, n));
    const auto result = time_zone::blocking_load("Cut", root.path());
    // Version 2+ files end with the footer's newline: anything shorter is damaged.
    ASSERT_TRUE(std::holds_alternative<std::string>(result)) << n;
  }
  root.write("Cut", whole);
  exercise(time_zone::blocking_load("Cut", root.path()));
  EXPECT_TRUE(std::holds_alternative<time_zone>(time_zone::blocking_load("Cut", root.path())));
}

TEST(time_zone, flipped_header_bytes_never_read_out_of_bounds) {
  const std::string whole = read_bytes("/usr/share/zoneinfo/Europe/Berlin");
  ASSERT_GT(whole.size(), 1000U);
  // The second header starts where the first block ends; find it by its magic.
  const auto second = whole.find("TZif", 4);
  ASSERT_NE(second, std::string::npos);
  for (const std::size_t header : {std::size_t{0}, second}) {
    for (std::size_t at = header + 4; at < header + 44; ++at) {
      for (const unsigned mask : {0x01U, 0x02U, 0x10U, 0x80U, 0xFFU}) {
        std::string bytes = whole;
        bytes[at] = static_cast<char>(static_cast<unsigned char>(bytes[at]) ^ mask);
        exercise(time_zone::from_tzif("Hostile", bytes));
      }
    }
    // Whole counts set to the extremes.
    for (std::size_t field = 0; field < 6; ++field) {
      for (const std::uint32_t count : {0U, 1U, 0x7FFFFFFFU, 0xFFFFFFFFU, 0x00010000U}) {
        std::string bytes = whole;
        for (int i = 0; i < 4; ++i) {
          bytes[header + 20 + field * 4 + static_cast<std::size_t>(i)] =
              static_cast<char>((count >> (8 * (3 - i))) & 0xFF);
        }
        exercise(time_zone::from_tzif("Hostile", bytes));
      }
    }
  }
}

TEST(time_zone, random_damage_never_crashes) {
  std::mt19937 random(20260101);
  for (const char* name :
       {"/usr/share/zoneinfo/America/New_York", "/usr/share/zoneinfo/Australia/Sydney"}) {
    const std::string whole = read_bytes(name);
    ASSERT_FALSE(whole.empty());
    std::uniform_int_distribution<std::size_t> position(0, whole.size() - 1);
    for (int round = 0; round < 2000; ++round) {
      std::string bytes = whole;
      for (int hits = 1 + round % 4; hits > 0; --hits) {
        bytes[position(random)] = static_cast<char>(random() & 0xFF);
      }
      exercise(time_zone::from_tzif("Hostile", bytes));
    }
  }
}

TEST(time_zone, damaged_data_is_refused) {
  const std::vector<tzif_type> two = {{3600, false}, {7200, true}};
  EXPECT_EQ(parse_error(make_tzif({{100, 0}, {100, 1}}, two, "")),
            "TZif transitions are out of order");
  EXPECT_EQ(parse_error(make_tzif({{100, 2}}, two, "")), "a TZif transition names a missing type");
  EXPECT_EQ(parse_error(make_tzif({}, {}, "")), "TZif data without local time types");
  EXPECT_EQ(parse_error(make_tzif({}, {{-0x7FFFFFFF - 1, false}}, "")),
            "a TZif offset is out of range");
  EXPECT_EQ(parse_error(make_tzif({}, {{0, false}}, "", '1')), "unsupported TZif version");
  std::string no_footer = make_tzif({}, {{0, false}}, "UTC0");
  no_footer.pop_back();
  EXPECT_EQ(parse_error(no_footer), "truncated TZif footer");
  std::string leaps;
  put_header(leaps, '\0', 0, 1, 1, 1);
  leaps.append(6 + 1 + 8, '\0');
  EXPECT_EQ(parse_error(leaps), "zones with leap seconds are not supported");
}

// ---- transitions and footers ----

TEST(time_zone, transitions_choose_the_type) {
  const auto zone =
      parse(make_tzif({{1000, 1}, {2000, 2}}, {{100, false}, {200, true}, {300, false}}, ""));
  ASSERT_TRUE(zone);
  const auto at = [](std::int64_t t) { return system_clock::time_point(std::chrono::seconds(t)); };
  EXPECT_EQ(zone->offset_at(at(-5000000000)), 100s);  // RFC 8536: the first type before
  EXPECT_EQ(zone->offset_at(at(999)), 100s);
  EXPECT_EQ(zone->offset_at(at(1000)), 200s);
  EXPECT_EQ(zone->offset_at(at(1999)), 200s);
  EXPECT_EQ(zone->offset_at(at(2000)), 300s);
  EXPECT_EQ(zone->offset_at(at(5000000000)), 300s);  // no footer: the last type goes on
}

TEST(time_zone, version_1_files_use_the_32_bit_block) {
  const auto zone =
      parse(make_tzif({{-100, 1}, {1000, 0}}, {{3600, false}, {7200, true}}, "", '\0'));
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->offset_at(system_clock::time_point(-101s)), 3600s);
  EXPECT_EQ(zone->offset_at(system_clock::time_point(-100s)), 7200s);
  EXPECT_EQ(zone->offset_at(utc(2100, 1, 1)), 3600s);
}

TEST(time_zone, footer_follows_the_last_transition) {
  const auto zone = parse(make_tzif({{0, 1}}, {{0, false}, {8 * 3600, false}}, "CST-8"));
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->offset_at(system_clock::time_point(-1s)), 0s);
  EXPECT_EQ(zone->offset_at(system_clock::time_point(0s)), 8h);
  EXPECT_EQ(zone->offset_at(utc(2100, 1, 1)), 8h);
}

TEST(time_zone, footers_without_daylight_time) {
  EXPECT_EQ(footer_zone("CST-8")->offset_at(utc(2030, 1, 1)), 8h);
  EXPECT_EQ(footer_zone("<+07>-7")->offset_at(utc(2030, 1, 1)), 7h);
  EXPECT_EQ(footer_zone("UTC0")->offset_at(utc(2030, 1, 1)), 0s);
  EXPECT_EQ(footer_zone("<-0330>3:30")->offset_at(utc(2030, 1, 1)), -(3h + 30min));
  EXPECT_EQ(footer_zone("<+0545>-5:45")->offset_at(utc(2030, 1, 1)), 5h + 45min);
  EXPECT_EQ(footer_zone("XXX+1:02:03")->offset_at(utc(2030, 1, 1)), -(1h + 2min + 3s));
}

TEST(time_zone, footers_with_month_week_day_rules) {
  const auto us = footer_zone("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(us);
  EXPECT_EQ(us->offset_at(utc(2031, 3, 9, 6, 59, 59)), -5h);
  EXPECT_EQ(us->offset_at(utc(2031, 3, 9, 7)), -4h);
  EXPECT_EQ(us->offset_at(utc(2031, 11, 2, 5, 59, 59)), -4h);
  EXPECT_EQ(us->offset_at(utc(2031, 11, 2, 6)), -5h);
  const auto eu = footer_zone("CET-1CEST,M3.5.0,M10.5.0/3");
  ASSERT_TRUE(eu);
  EXPECT_EQ(eu->offset_at(utc(2031, 3, 30, 0, 59, 59)), 1h);
  EXPECT_EQ(eu->offset_at(utc(2031, 3, 30, 1)), 2h);
  EXPECT_EQ(eu->offset_at(utc(2031, 10, 26, 0, 59, 59)), 2h);
  EXPECT_EQ(eu->offset_at(utc(2031, 10, 26, 1)), 1h);
  // Version 3 times: Greenland changes at -01:00 local, Israel at 26:00.
  const auto nuuk = footer_zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  ASSERT_TRUE(nuuk);
  // Sunday 2031-03-30 -01:00 is Saturday 23:00 local, 01:00 UTC.
  EXPECT_EQ(nuuk->offset_at(utc(2031, 3, 30, 0, 59, 59)), -2h);
  EXPECT_EQ(nuuk->offset_at(utc(2031, 3, 30, 1)), -1h);
  const auto israel = footer_zone("IST-2IDT,M3.4.4/26,M10.5.0");
  ASSERT_TRUE(israel);
  // Thursday 2031-03-27 26:00 IST is Friday 02:00, 00:00 UTC.
  EXPECT_EQ(israel->offset_at(utc(2031, 3, 27, 23, 59, 59)), 2h);
  EXPECT_EQ(israel->offset_at(utc(2031, 3, 28)), 3h);
  // Half an hour of daylight saving on Lord Howe Island.
  const auto lord_howe = footer_zone("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
  ASSERT_TRUE(lord_howe);
  EXPECT_EQ(lord_howe->offset_at(utc(2031, 1, 1)), 11h);
  EXPECT_EQ(lord_howe->offset_at(utc(2031, 7, 1)), 10h + 30min);
}

TEST(time_zone, footers_with_julian_days) {
  // J60 is March 1 in every year; 59 (zero-based) is February 29 in a leap year.
  const auto julian = footer_zone("AAA3BBB,J60/0,J300/0");
  ASSERT_TRUE(julian);
  EXPECT_EQ(julian->offset_at(utc(2032, 3, 1, 2, 59, 59)), -3h);
  EXPECT_EQ(julian->offset_at(utc(2032, 3, 1, 3)), -2h);
  const auto zero_based = footer_zone("AAA3BBB,59/0,299/0");
  ASSERT_TRUE(zero_based);
  EXPECT_EQ(zero_based->offset_at(utc(2032, 2, 29, 2, 59, 59)), -3h);
  EXPECT_EQ(zero_based->offset_at(utc(2032, 2, 29, 3)), -2h);
  EXPECT_EQ(zero_based->offset_at(utc(2031, 3, 1, 3)), -2h);
  // zic's way of writing daylight time all year.
  const auto always = footer_zone("EST5EDT,0/0,J365/25");
  ASSERT_TRUE(always);
  for (const auto when :
       {utc(2031, 1, 1), utc(2031, 12, 31, 23, 59, 59), utc(2032, 1, 1, 5), utc(2032, 7, 1)}) {
    EXPECT_EQ(always->offset_at(when), -4h);
  }
}

TEST(time_zone, unsupported_footers_are_refused) {
  for (const std::string_view footer :
       {"EST5EDT", "CST-8x", "EST", "A0", "<ab>1", "EST5EDT,M3.2.0", "EST5EDT,M13.1.0,M11.1.0",
        "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "EST25", "EST5EDT,J0,J100",
        "EST5EDT,366,100", "EST5EDT,M3.2.0/168,M11.1.0", "EST5:60", "<+07-7", " UTC0"}) {
    EXPECT_EQ(parse_error(make_tzif({}, {{0, false}}, footer)),
              "unsupported TZ footer '" + std::string(footer) + "'");
  }
}

}  // namespace
}  // namespace callcenterd::ivr
