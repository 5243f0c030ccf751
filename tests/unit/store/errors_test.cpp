#include "callcenterd/store/errors.hpp"

#include <gtest/gtest.h>

#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>

namespace callcenterd::store {
namespace {

TEST(store_errors, codes_carry_their_own_categories_and_messages) {
  const boost::system::error_code db = db_errc::unavailable;
  EXPECT_EQ(&db.category(), &db_category());
  EXPECT_EQ(db.message(), "database unavailable");
  const boost::system::error_code migration = migration_errc::checksum_mismatch;
  EXPECT_EQ(&migration.category(), &migration_category());
  EXPECT_NE(migration, boost::system::error_code(db_errc::query_failed));
  EXPECT_EQ(boost::system::error_code(spool_errc::io_failed).category().name(),
            std::string("callcenterd.store.spool"));
}

TEST(store_errors, result_value_throws_with_the_message) {
  boost::system::result<int, store_error> failed =
      store_error{make_error_code(migration_errc::version_gap), "migration 2 is missing"};
  try {
    (void)failed.value();
    FAIL() << "value() of an error result must throw";
  } catch (const boost::system::system_error& e) {
    EXPECT_EQ(e.code(), migration_errc::version_gap);
    EXPECT_NE(std::string(e.what()).find("migration 2 is missing"), std::string::npos);
  }
}

}  // namespace
}  // namespace callcenterd::store
