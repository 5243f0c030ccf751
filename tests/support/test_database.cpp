#include "support/test_database.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <pqxx/pqxx>
#include <stdexcept>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/store/migrator.hpp"

namespace callcenterd::test_support {

std::string admin_conninfo_from_env() {
  const char* value = std::getenv("CALLCENTERD_TEST_PG");
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(
        "CALLCENTERD_TEST_PG is not set. Integration tests need PostgreSQL: run "
        "`scripts/pg-cluster start /tmp/pg-test 56100` and "
        "`export CALLCENTERD_TEST_PG=\"$(scripts/pg-cluster conninfo /tmp/pg-test postgres)\"` "
        "(or use scripts/test, which does this)");
  }
  return value;
}

std::string with_dbname(const std::string& conninfo, const std::string& dbname) {
  // libpq keeps the last value of a repeated keyword.
  return conninfo + " dbname=" + dbname;
}

std::string test_database::migrations_directory() {
  return std::string(CALLCENTERD_SOURCE_DIR) + "/sql";
}

test_database::test_database(schema initial) : test_database(admin_conninfo_from_env(), initial) {}

test_database::test_database(std::string admin_conninfo, schema initial)
    : admin_conninfo_(std::move(admin_conninfo)) {
  std::string suffix = core::make_uuid();
  std::erase(suffix, '-');
  name_ = "callcenterd_test_" + suffix.substr(0, 16);
  conninfo_ = with_dbname(admin_conninfo_, name_);
  {
    pqxx::connection admin(admin_conninfo_);
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + tx.quote_name(name_));
  }
  if (initial == schema::migrated) {
    auto applied = store::blocking_apply_migrations(conninfo_, migrations_directory());
    if (!applied) {
      throw std::runtime_error("test database " + name_ +
                               ": migrations failed: " + applied.error().message);
    }
  }
}

test_database::~test_database() {
  try {
    pqxx::connection admin(admin_conninfo_);
    pqxx::nontransaction tx(admin);
    // FORCE ends connections a pool under test may still hold.
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::cerr << "test database " << name_ << " not dropped: " << e.what() << '\n';
  }
}

}  // namespace callcenterd::test_support
