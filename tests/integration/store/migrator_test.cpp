#include "callcenterd/store/migrator.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "pg_fixture.hpp"
#include "support/test_database.hpp"

namespace callcenterd::store {
namespace {

using test_support::test_database;
using testing::query_value;

class migration_dir {
 public:
  migration_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cc-sql-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~migration_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  void write(const std::string& name, const std::string& sql) const {
    std::ofstream(path_ / name, std::ios::binary) << sql;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(migrator, applies_the_repository_migrations_in_order_and_records_them) {
  test_database db(test_database::schema::empty);
  const auto files = blocking_load_migrations(test_database::migrations_directory());
  ASSERT_TRUE(files) << files.error().message;

  const auto first =
      blocking_apply_migrations(db.conninfo(), test_database::migrations_directory());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->previous_version, 0);
  EXPECT_EQ(first->current_version, files->back().version);
  ASSERT_EQ(first->applied.size(), files->size());
  for (std::size_t i = 0; i < files->size(); ++i) EXPECT_EQ(first->applied[i], int(i) + 1);

  pqxx::connection connection(db.conninfo());
  {
    pqxx::nontransaction tx(connection);
    const auto rows = tx.exec(
        "SELECT version, name, checksum, applied_at IS NOT NULL"
        " FROM schema_migrations ORDER BY version");
    ASSERT_EQ(rows.size(), files->size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i][0].as<int>(), (*files)[i].version);
      EXPECT_EQ(rows[i][1].as<std::string>(), (*files)[i].name);
      EXPECT_EQ(rows[i][2].as<std::string>(), (*files)[i].checksum);
      EXPECT_TRUE(rows[i][3].as<bool>());
    }
    EXPECT_TRUE(tx.exec1("SELECT to_regclass('events') IS NOT NULL")[0].as<bool>());
  }

  const auto status = blocking_schema_status(connection, files->back().version);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_TRUE(status->up_to_date());
}

TEST(migrator, a_second_run_applies_nothing) {
  test_database db(test_database::schema::empty);
  ASSERT_TRUE(blocking_apply_migrations(db.conninfo(), test_database::migrations_directory()));
  const auto count_before =
      query_value<int>(db.conninfo(), "SELECT count(*) FROM schema_migrations");
  const auto again =
      blocking_apply_migrations(db.conninfo(), test_database::migrations_directory());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->previous_version, again->current_version);
  EXPECT_EQ(query_value<int>(db.conninfo(), "SELECT count(*) FROM schema_migrations"),
            count_before);
}

TEST(migrator, applies_only_the_new_migration_when_one_is_added) {
  test_database db(test_database::schema::empty);
  migration_dir dir;
  dir.write("0001_create_a.sql", "CREATE TABLE a (x int);");
  ASSERT_TRUE(blocking_apply_migrations(db.conninfo(), dir.path()));
  dir.write("0002_create_b.sql", "CREATE TABLE b (y int); INSERT INTO a VALUES (1);");
  const auto second = blocking_apply_migrations(db.conninfo(), dir.path());
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->previous_version, 1);
  EXPECT_EQ(second->applied, std::vector<int>{2});
  EXPECT_EQ(query_value<int>(db.conninfo(), "SELECT count(*) FROM a"), 1);
}

TEST(migrator, refuses_a_database_newer_than_the_files) {
  test_database db(test_database::schema::empty);
  migration_dir dir;
  dir.write("0001_create_a.sql", "CREATE TABLE a (x int);");
  dir.write("0002_create_b.sql", "CREATE TABLE b (x int);");
  ASSERT_TRUE(blocking_apply_migrations(db.conninfo(), dir.path()));
  std::filesystem::remove(dir.path() / "0002_create_b.sql");  // an older build starts
  const auto refused = blocking_apply_migrations(db.conninfo(), dir.path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, migration_errc::database_newer);
  EXPECT_NE(refused.error().message.find("version 2"), std::string::npos)
      << refused.error().message;

  pqxx::connection connection(db.conninfo());
  const auto status = blocking_schema_status(connection, 1);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->current_version, 2);
  EXPECT_FALSE(status->up_to_date());
}

TEST(migrator, refuses_an_applied_migration_that_was_edited) {
  test_database db(test_database::schema::empty);
  migration_dir dir;
  dir.write("0001_create_a.sql", "CREATE TABLE a (x int);");
  ASSERT_TRUE(blocking_apply_migrations(db.conninfo(), dir.path()));
  dir.write("0001_create_a.sql", "CREATE TABLE a (x bigint);");
  dir.write("0002_create_b.sql", "CREATE TABLE b (x int);");
  const auto refused = blocking_apply_migrations(db.conninfo(), dir.path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, migration_errc::checksum_mismatch);
  EXPECT_NE(refused.error().message.find("0001_create_a.sql"), std::string::npos);
  // Nothing after the refusal ran.
  EXPECT_FALSE(query_value<bool>(db.conninfo(), "SELECT to_regclass('b') IS NOT NULL"));
}

TEST(migrator, a_failing_migration_is_rolled_back_and_not_recorded) {
  test_database db(test_database::schema::empty);
  migration_dir dir;
  dir.write("0001_create_a.sql", "CREATE TABLE a (x int);");
  dir.write("0002_broken.sql", "CREATE TABLE c (x int); SELECT * FROM no_such_table;");
  const auto failed = blocking_apply_migrations(db.conninfo(), dir.path());
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, migration_errc::migration_failed);
  EXPECT_NE(failed.error().message.find("0002_broken.sql"), std::string::npos);
  EXPECT_EQ(query_value<int>(db.conninfo(), "SELECT max(version) FROM schema_migrations"), 1);
  EXPECT_FALSE(query_value<bool>(db.conninfo(), "SELECT to_regclass('c') IS NOT NULL"));
  // The advisory lock went with the failure: a fixed file applies at once.
  dir.write("0002_broken.sql", "CREATE TABLE c (x int);");
  EXPECT_TRUE(blocking_apply_migrations(db.conninfo(), dir.path()));
}

TEST(migrator, two_nodes_migrating_at_once_apply_each_migration_once) {
  test_database db(test_database::schema::empty);
  migration_dir dir;
  dir.write("0001_create_a.sql", "CREATE TABLE a (x int);");
  dir.write("0002_slow.sql", "SELECT pg_sleep(0.3); INSERT INTO a VALUES (1);");
  boost::system::result<migration_summary, store_error> results[2];
  std::thread nodes[2];
  for (int i = 0; i < 2; ++i) {
    nodes[i] =
        std::thread([&, i] { results[i] = blocking_apply_migrations(db.conninfo(), dir.path()); });
  }
  for (auto& n : nodes) n.join();
  ASSERT_TRUE(results[0]) << results[0].error().message;
  ASSERT_TRUE(results[1]) << results[1].error().message;
  EXPECT_EQ(results[0]->applied.size() + results[1]->applied.size(), 2U);
  EXPECT_EQ(query_value<int>(db.conninfo(), "SELECT count(*) FROM a"), 1);
}

TEST(migrator, schema_status_before_any_migration_is_zero) {
  test_database db(test_database::schema::empty);
  pqxx::connection connection(db.conninfo());
  const auto status = blocking_schema_status(connection, 3);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->current_version, 0);
  EXPECT_EQ(status->latest_known, 3);
}

}  // namespace
}  // namespace callcenterd::store
