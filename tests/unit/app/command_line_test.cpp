#include "command_line.hpp"

#include <gtest/gtest.h>

namespace callcenterd::app {
namespace {

command_line parse_ok(const std::vector<std::string>& args) {
  auto parsed = parse_command_line(args);
  EXPECT_TRUE(std::holds_alternative<command_line>(parsed));
  return std::get<command_line>(parsed);
}

std::string parse_error(const std::vector<std::string>& args) {
  auto parsed = parse_command_line(args);
  EXPECT_TRUE(std::holds_alternative<usage_error>(parsed));
  return std::holds_alternative<usage_error>(parsed) ? std::get<usage_error>(parsed).message : "";
}

TEST(command_line_test, config_runs_the_daemon) {
  const auto cmd = parse_ok({"--config", "a.yaml"});
  EXPECT_EQ(cmd.what, command_line::mode::run);
  EXPECT_EQ(cmd.config_path, "a.yaml");
  EXPECT_EQ(parse_ok({"--config=b.yaml"}).config_path, "b.yaml");
}

TEST(command_line_test, migrate_goes_with_config_in_either_order) {
  EXPECT_EQ(parse_ok({"--config", "a.yaml", "--migrate"}).what, command_line::mode::migrate);
  EXPECT_EQ(parse_ok({"--migrate", "--config", "a.yaml"}).what, command_line::mode::migrate);
  EXPECT_EQ(parse_error({"--migrate", "--check-config", "a.yaml"}), "--migrate goes with --config");
}

TEST(command_line_test, check_config_version_and_help) {
  EXPECT_EQ(parse_ok({"--check-config", "c.yaml"}).what, command_line::mode::check_config);
  EXPECT_EQ(parse_ok({"--version"}).what, command_line::mode::version);
  EXPECT_EQ(parse_ok({"--help"}).what, command_line::mode::help);
}

TEST(command_line_test, usage_errors_say_what_is_wrong) {
  EXPECT_EQ(parse_error({}), "--config PATH is required");
  EXPECT_EQ(parse_error({"--config"}), "--config needs a file path");
  EXPECT_EQ(parse_error({"--config", "--migrate"}), "--config needs a file path");
  EXPECT_EQ(parse_error({"--config", "a", "--config", "b"}), "give one configuration file only");
  EXPECT_EQ(parse_error({"--config", "a", "extra"}), "unknown argument 'extra'");
  EXPECT_EQ(parse_error({"--frobnicate"}), "unknown argument '--frobnicate'");
}

}  // namespace
}  // namespace callcenterd::app
