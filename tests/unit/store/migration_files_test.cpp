#include <gtest/gtest.h>

#include <fstream>

#include "callcenterd/core/encoding.hpp"
#include "callcenterd/store/migrator.hpp"
#include "support/temp_dir.hpp"

namespace callcenterd::store {
namespace {

using callcenterd::testing::temp_dir;

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

migration_file file(int version, std::string name) {
  migration_file f;
  f.version = version;
  f.path = std::string("000") + std::to_string(version) + "_" + name + ".sql";
  f.name = std::move(name);
  return f;
}

TEST(migration_name, parses_number_and_name) {
  const auto parsed = parse_migration_file_name("0007_add_cdrs_v2.sql");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->version, 7);
  EXPECT_EQ(parsed->name, "add_cdrs_v2");
  EXPECT_EQ(parse_migration_file_name("1234_x.sql")->version, 1234);
}

TEST(migration_name, refuses_malformed_names) {
  for (const char* bad : {"0000_zero.sql", "001_short.sql", "00001_long.sql", "0001_.sql",
                          "0001-dash.sql", "0001_Upper.sql", "0001_space name.sql", "0001_name.SQL",
                          "0001_name.sql~", "0001_name", "abcd_name.sql", "README.md", ""}) {
    EXPECT_FALSE(parse_migration_file_name(bad)) << bad;
  }
}

TEST(migration_order, sorts_by_version) {
  std::vector<migration_file> files{file(3, "c"), file(1, "a"), file(2, "b")};
  ASSERT_FALSE(order_migrations(files));
  EXPECT_EQ(files[0].name, "a");
  EXPECT_EQ(files[1].name, "b");
  EXPECT_EQ(files[2].name, "c");
}

TEST(migration_order, refuses_duplicates) {
  std::vector<migration_file> files{file(1, "a"), file(2, "b"), file(2, "other")};
  const store_error failure = order_migrations(files);
  EXPECT_EQ(failure.code, migration_errc::duplicate_version);
  EXPECT_NE(failure.message.find("version 2"), std::string::npos) << failure.message;
}

TEST(migration_order, refuses_gaps_including_a_missing_first) {
  std::vector<migration_file> gap{file(1, "a"), file(3, "c")};
  const store_error failure = order_migrations(gap);
  EXPECT_EQ(failure.code, migration_errc::version_gap);
  EXPECT_NE(failure.message.find("migration 2 is missing"), std::string::npos);
  std::vector<migration_file> late_start{file(2, "b")};
  EXPECT_EQ(order_migrations(late_start).code, migration_errc::version_gap);
  std::vector<migration_file> none;
  EXPECT_FALSE(order_migrations(none));
}

TEST(migration_load, reads_orders_and_checksums_the_files) {
  temp_dir dir;
  write_file(dir.path() / "0002_second.sql", "SELECT 2;");
  write_file(dir.path() / "0001_first.sql", "abc");
  write_file(dir.path() / ".0003_editor_swap.sql", "ignored");
  std::filesystem::create_directory(dir.path() / "archive");
  const auto files = blocking_load_migrations(dir.path());
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 2U);
  EXPECT_EQ((*files)[0].version, 1);
  EXPECT_EQ((*files)[0].sql, "abc");
  EXPECT_EQ((*files)[0].checksum, core::sha256_hex("abc"));
  EXPECT_EQ((*files)[1].name, "second");
}

TEST(migration_load, refuses_a_stray_file_name) {
  temp_dir dir;
  write_file(dir.path() / "0001_first.sql", "SELECT 1;");
  write_file(dir.path() / "notes.txt", "oops");
  const auto files = blocking_load_migrations(dir.path());
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, migration_errc::bad_file_name);
  EXPECT_NE(files.error().message.find("notes.txt"), std::string::npos);
}

TEST(migration_load, refuses_a_gap_and_a_missing_directory) {
  temp_dir dir;
  write_file(dir.path() / "0001_first.sql", "SELECT 1;");
  write_file(dir.path() / "0003_third.sql", "SELECT 3;");
  EXPECT_EQ(blocking_load_migrations(dir.path()).error().code, migration_errc::version_gap);
  EXPECT_EQ(blocking_load_migrations(dir.path() / "absent").error().code,
            migration_errc::unreadable_file);
}

TEST(migration_load, the_repository_migrations_are_well_formed) {
  const auto files = blocking_load_migrations(std::string(CALLCENTERD_SOURCE_DIR) + "/sql");
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_FALSE(files->empty());
  EXPECT_EQ(files->front().name, "event_log");
}

}  // namespace
}  // namespace callcenterd::store
