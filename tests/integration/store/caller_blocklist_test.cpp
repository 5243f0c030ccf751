#include "callcenterd/store/caller_blocklist.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "support/test_database.hpp"

namespace callcenterd::store {
namespace {

using namespace std::chrono_literals;
using test_support::test_database;

TEST(caller_blocklist, loads_the_entries_in_force_and_leaves_expired_ones_out) {
  test_database db;
  {
    pqxx::connection connection(db.conninfo());
    pqxx::work tx(connection);
    tx.exec(
        "INSERT INTO caller_blocklist (pattern, reason, expires_at) VALUES "
        "('8613800000000', 'abusive', NULL),"
        "('8615*', 'spam range', now() + interval '1 day'),"
        "('8617700000000', 'lifted', now() - interval '1 minute')");
    tx.commit();
  }
  pqxx::connection connection(db.conninfo());
  const auto rows = blocking_load_caller_blocklist(connection, std::chrono::system_clock::now());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (blocklist_row{"8613800000000", "abusive"}));
  EXPECT_EQ(rows[1], (blocklist_row{"8615*", "spam range"}));
  // A day later the range has expired too.
  const auto later =
      blocking_load_caller_blocklist(connection, std::chrono::system_clock::now() + 48h);
  EXPECT_EQ(later.size(), 1u);
}

TEST(caller_blocklist, a_pattern_that_is_not_digits_is_refused_by_the_table) {
  test_database db;
  pqxx::connection connection(db.conninfo());
  pqxx::work tx(connection);
  EXPECT_THROW(tx.exec("INSERT INTO caller_blocklist (pattern) VALUES ('+86 138')"),
               pqxx::check_violation);
}

}  // namespace
}  // namespace callcenterd::store
