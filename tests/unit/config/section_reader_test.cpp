// The reader as a future section would use it: keys of every kind, a nested mapping, and the
// rules for unknown keys.
#include "section_reader.hpp"

#include <gtest/gtest.h>

#include "enum_names.hpp"

namespace callcenterd::config::detail {
namespace {

using namespace std::chrono_literals;

struct future_settings {
  bool enabled = false;
  int level = 3;
  std::chrono::milliseconds interval = 1s;
  std::size_t buffer = 1024;
  log_format format = log_format::text;
  std::string label = "x";
  int nested_value = 0;
};

std::vector<config_error> read(const std::string& text, future_settings& out) {
  error_list errors("f.yaml");
  const YAML::Node root = YAML::Load(text);
  section_reader top(root, {}, root.Mark(), errors);
  auto s = top.section("future");
  s.boolean("enabled", out.enabled);
  s.integer("level", out.level, -5, 5);
  s.duration("interval", out.interval, 10ms, 1min);
  s.size("buffer", out.buffer, 1, 4096);
  s.enumeration("format", out.format, log_format_names);
  s.text("label", out.label);
  auto inner = s.section("inner");
  inner.integer("value", out.nested_value, 0, 9);
  inner.finish();
  s.finish();
  top.finish();
  return errors.take_sorted();
}

TEST(section_reader, reads_every_kind) {
  future_settings out;
  const auto errors = read(
      "future:\n  enabled: true\n  level: -5\n  interval: 20ms\n  buffer: 2KiB\n"
      "  format: json\n  label: hello\n  inner:\n    value: 9\n",
      out);
  EXPECT_TRUE(errors.empty());
  EXPECT_TRUE(out.enabled);
  EXPECT_EQ(out.level, -5);
  EXPECT_EQ(out.interval, 20ms);
  EXPECT_EQ(out.buffer, 2048u);
  EXPECT_EQ(out.format, log_format::json);
  EXPECT_EQ(out.label, "hello");
  EXPECT_EQ(out.nested_value, 9);
}

TEST(section_reader, refused_values_keep_defaults_and_paths_are_dotted) {
  future_settings out;
  const auto errors =
      read("future:\n  enabled: yes\n  buffer: 8KiB\n  inner:\n    value: 10\n    valu: 1\n", out);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].to_string(),
            "f.yaml:2:12: future.enabled: expected true or false, got 'yes'");
  EXPECT_EQ(errors[1].to_string(),
            "f.yaml:3:11: future.buffer: must be between 1 and 4KiB, got 8KiB");
  EXPECT_EQ(errors[2].to_string(),
            "f.yaml:5:12: future.inner.value: must be between 0 and 9, got 10");
  EXPECT_EQ(errors[3].to_string(),
            "f.yaml:6:5: future.inner.valu: unknown key 'valu' (did you mean 'value'?)");
  EXPECT_FALSE(out.enabled);
  EXPECT_EQ(out.buffer, 1024u);
  EXPECT_EQ(out.nested_value, 0);
}

TEST(section_reader, a_refused_section_reports_no_unknown_keys) {
  future_settings out;
  const auto errors = read("future: [enabled, level]\n", out);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key_path, "future");
  EXPECT_EQ(errors[0].reason, "expected a mapping of keys, got a list");
}

TEST(section_reader, fail_points_at_the_key_or_the_section) {
  error_list errors("f.yaml");
  const YAML::Node root = YAML::Load("# x\nsec:\n  a: 1\n");
  section_reader top(root, {}, root.Mark(), errors);
  auto s = top.section("sec");
  int a = 0;
  s.integer("a", a, 0, 5);
  s.fail("a", "a is wrong with b");
  s.fail("b", "b is missing");
  s.finish();
  top.finish();
  const auto list = errors.take_sorted();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].to_string(), "f.yaml:2:1: sec.b: b is missing");
  EXPECT_EQ(list[1].to_string(), "f.yaml:3:6: sec.a: a is wrong with b");
}

TEST(section_reader, a_required_key_is_reported_once_whether_absent_or_bad) {
  error_list errors("f.yaml");
  const YAML::Node root = YAML::Load("sec:\n  name: [a, b]\n");
  section_reader top(root, {}, root.Mark(), errors);
  auto s = top.section("sec");
  std::string name;
  std::filesystem::path file;
  EXPECT_TRUE(s.required("name", "needs a name"));
  EXPECT_FALSE(s.text("name", name));
  EXPECT_FALSE(s.required("file", "needs a file"));
  EXPECT_FALSE(s.path("file", file));
  s.finish();
  top.finish();
  const auto list = errors.take_sorted();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].to_string(), "f.yaml:1:1: sec.file: needs a file");
  EXPECT_EQ(list[1].key_path, "sec.name");
  EXPECT_NE(list[1].reason, "needs a name");
}

TEST(section_reader, a_fraction_is_a_decimal_from_0_to_1) {
  error_list errors("f.yaml");
  const YAML::Node root = YAML::Load("a: 0.25\nb: 1.01\nc: [1]\nd: half\ne: 0\n");
  section_reader top(root, {}, root.Mark(), errors);
  double a = 0.5;
  double b = 0.5;
  double c = 0.5;
  double d = 0.5;
  double e = 0.5;
  EXPECT_TRUE(top.fraction("a", a));
  EXPECT_FALSE(top.fraction("b", b));
  EXPECT_FALSE(top.fraction("c", c));
  EXPECT_FALSE(top.fraction("d", d));
  EXPECT_TRUE(top.fraction("e", e));
  top.finish();
  EXPECT_EQ(a, 0.25);
  EXPECT_EQ(b, 0.5) << "a refused value leaves the default";
  EXPECT_EQ(e, 0.0);
  const auto list = errors.take_sorted();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].to_string(), "f.yaml:2:4: b: must be between 0 and 1, got 1.01");
  EXPECT_EQ(list[1].to_string(), "f.yaml:3:1: c: expected a number from 0 to 1, got a list");
  EXPECT_EQ(list[2].to_string(),
            "f.yaml:4:4: d: expected a decimal number such as '0.8', got 'half'");
}

TEST(section_reader, an_integer_map_gives_names_and_values_in_file_order) {
  error_list errors("f.yaml");
  const YAML::Node root = YAML::Load(
      "levels:\n  zeta: 3\n  alpha: 10\n  'bad name': 2\n  high: 11\n  deep: {x: 1}\n"
      "none: {}\nwrong: [a]\n");
  section_reader top(root, {}, root.Mark(), errors);
  const auto no_spaces = [](std::string_view text) {
    return text.find(' ') == std::string_view::npos ? std::string() : "no spaces";
  };
  const auto levels = top.integer_map("levels", 1, 10, no_spaces);
  EXPECT_EQ(levels,
            (std::vector<std::pair<std::string, std::int64_t>>{{"zeta", 3}, {"alpha", 10}}));
  EXPECT_TRUE(top.integer_map("none", 1, 10).empty());
  EXPECT_TRUE(top.integer_map("wrong", 1, 10).empty());
  EXPECT_TRUE(top.integer_map("absent", 1, 10).empty());
  top.finish();
  const auto list = errors.take_sorted();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].to_string(), "f.yaml:4:3: levels.bad name: no spaces");
  EXPECT_EQ(list[1].to_string(), "f.yaml:5:9: levels.high: must be between 1 and 10, got 11");
  EXPECT_EQ(list[2].to_string(), "f.yaml:6:3: levels.deep: expected an integer, got a mapping");
  EXPECT_EQ(list[3].to_string(),
            "f.yaml:8:1: wrong: expected a mapping of names to numbers, got a list");
}

TEST(section_reader, non_string_keys_are_refused) {
  future_settings out;
  const auto errors = read("future:\n  ? [a, b]\n  : 1\n", out);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2);
  EXPECT_EQ(errors[0].reason, "a key must be a plain name, got a list");
}

}  // namespace
}  // namespace callcenterd::config::detail
