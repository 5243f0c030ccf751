#include <gtest/gtest.h>

#include "callcenterd/config/loader.hpp"
#include "test_support.hpp"

namespace callcenterd::config {
namespace {

using test::dump;
using test::load;

std::string with_password_file(const std::filesystem::path& file) {
  return "database:\n  password_env: CALLCENTERD_TEST_PW_UNUSED\n  password_file: " +
         file.string() + "\n";
}

TEST(password, from_file_without_the_trailing_line_break) {
  test::temp_dir dir;
  for (const auto& [content, expected] :
       std::vector<std::pair<std::string, std::string>>{{"s3cret\n", "s3cret"},
                                                        {"s3cret\r\n", "s3cret"},
                                                        {"s3cret", "s3cret"},
                                                        {"two\nlines\n", "two\nlines"},
                                                        {" spaced \n", " spaced "},
                                                        {"", ""}}) {
    const auto file = dir.write("pw", content);
    const auto result = load(with_password_file(file));
    ASSERT_TRUE(result.ok()) << dump(result);
    EXPECT_EQ(result.settings().database.password.reveal(), expected);
  }
}

TEST(password, file_wins_over_environment) {
  test::temp_dir dir;
  test::scoped_env env("CALLCENTERD_TEST_PW_BOTH", "from-env");
  const auto file = dir.write("pw", "from-file\n");
  const auto result = load(
      "database:\n  password_env: CALLCENTERD_TEST_PW_BOTH\n"
      "  password_file: " +
      file.string() + "\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.settings().database.password.reveal(), "from-file");
}

TEST(password, unreadable_file_is_an_error_on_its_key) {
  const auto result = load("database:\n  user: cc\n  password_file: /nonexistent/pw\n");
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.errors().size(), 1u) << dump(result);
  EXPECT_EQ(result.errors().front().to_string(),
            "test.yaml:3:18: database.password_file: cannot read the password file "
            "'/nonexistent/pw': No such file or directory");
}

TEST(password, from_the_named_environment_variable) {
  test::scoped_env env("CALLCENTERD_TEST_PW_ENV", "it's \\ secret");
  const auto result = load("database:\n  password_env: CALLCENTERD_TEST_PW_ENV\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.settings().database.password.reveal(), "it's \\ secret");
}

TEST(password, absent_variable_or_no_variable_means_empty) {
  unsetenv("CALLCENTERD_TEST_PW_ABSENT");
  auto result = load("database:\n  password_env: CALLCENTERD_TEST_PW_ABSENT\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.settings().database.password.empty());

  test::scoped_env env("CALLCENTERD_DB_PASSWORD", "should-not-be-used");
  result = load("database:\n  password_env: ''\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.settings().database.password.empty());
}

TEST(password, default_variable_name_is_read) {
  test::scoped_env env("CALLCENTERD_DB_PASSWORD", "default-var");
  const auto result = load("");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.settings().database.password.reveal(), "default-var");
}

TEST(password, never_in_errors_of_the_same_file) {
  test::scoped_env env("CALLCENTERD_TEST_PW_LEAK", "leak-canary");
  const auto result = load("database:\n  password_env: CALLCENTERD_TEST_PW_LEAK\n  port: x\n");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(dump(result).find("leak-canary"), std::string::npos);
}

}  // namespace
}  // namespace callcenterd::config
