#include "callcenterd/core/logging.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace callcenterd::core {
namespace {

// The logger writes to stderr, as under systemd; GoogleTest captures it for the assertions.
class logging_test : public ::testing::Test {
 protected:
  void TearDown() override { setup_logging(log_format::text, spdlog::level::info); }

  static std::string capture(const std::function<void()>& write) {
    ::testing::internal::CaptureStderr();
    write();
    return ::testing::internal::GetCapturedStderr();
  }
};

// "2026-11-22T23:39:50.123Z": ISO 8601 in UTC with milliseconds.
bool is_utc_timestamp(std::string_view text) {
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (text.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (shape[i] == 'd' ? !digit : text[i] != shape[i]) return false;
  }
  return true;
}

TEST_F(logging_test, text_lines_have_utc_time_level_and_message) {
  setup_logging(log_format::text, spdlog::level::info);
  const auto out = capture([] { spdlog::info("hello {}", 42); });
  ASSERT_GT(out.size(), 24u);
  EXPECT_TRUE(is_utc_timestamp(std::string_view(out).substr(0, 24))) << out;
  EXPECT_EQ(out.substr(24), " info hello 42\n");
}

TEST_F(logging_test, text_lines_show_the_correlation_id_in_brackets) {
  setup_logging(log_format::text, spdlog::level::info);
  const auto out = capture([] { log_for("call-7", spdlog::level::warn, "ringing {}", "1001"); });
  EXPECT_NE(out.find(" warning [call-7] ringing 1001\n"), std::string::npos) << out;
  EXPECT_TRUE(current_correlation_id().empty());  // the guard ended with the record
}

TEST_F(logging_test, json_lines_parse_and_escape_the_message) {
  setup_logging(log_format::json, spdlog::level::info);
  const auto out = capture([] {
    log_for("req-1", spdlog::level::err, "bad \"input\"\n\tat {}", "line 3");
    spdlog::info("plain");
  });
  const auto newline = out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  const auto first = nlohmann::json::parse(out.substr(0, newline));
  EXPECT_EQ(first["level"], "error");
  EXPECT_EQ(first["correlation_id"], "req-1");
  EXPECT_EQ(first["message"], "bad \"input\"\n\tat line 3");
  EXPECT_TRUE(is_utc_timestamp(first["time"].get<std::string>()));
  const auto second = nlohmann::json::parse(out.substr(newline + 1));
  EXPECT_EQ(second["message"], "plain");
  EXPECT_FALSE(second.contains("correlation_id"));
}

TEST_F(logging_test, level_filters_and_changes_at_run_time) {
  setup_logging(log_format::text, spdlog::level::warn);
  EXPECT_TRUE(capture([] { spdlog::info("hidden"); }).empty());
  set_log_level(spdlog::level::debug);
  EXPECT_NE(capture([] { spdlog::debug("shown"); }).find("shown"), std::string::npos);
}

TEST_F(logging_test, guards_nest_and_restore) {
  correlation_guard outer("a");
  {
    correlation_guard inner("b");
    EXPECT_EQ(current_correlation_id(), "b");
  }
  EXPECT_EQ(current_correlation_id(), "a");
}

TEST(parse_log_level_test, names_of_the_configuration) {
  EXPECT_EQ(parse_log_level("warn"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("error"), spdlog::level::err);
  EXPECT_EQ(parse_log_level("off"), spdlog::level::off);
  EXPECT_FALSE(parse_log_level("loud").has_value());
}

}  // namespace
}  // namespace callcenterd::core
