#pragma once

#include <string>

namespace callcenterd::test_support {

/// The admin conninfo (a role that may CREATE DATABASE) from CALLCENTERD_TEST_PG. Throws
/// std::runtime_error saying how to set it when it is missing: a test without its database
/// fails, it never skips.
std::string admin_conninfo_from_env();

/// `conninfo` (key=value form) pointed at database `dbname`.
std::string with_dbname(const std::string& conninfo, const std::string& dbname);

/// A uniquely named database for one test, built from the repository's real sql/
/// migrations and dropped (with any connections still open to it) on destruction.
/// Blocking; test threads only.
class test_database {
 public:
  enum class schema { migrated, empty };

  /// Uses admin_conninfo_from_env().
  explicit test_database(schema initial = schema::migrated);
  test_database(std::string admin_conninfo, schema initial);
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;
  ~test_database();

  const std::string& name() const noexcept { return name_; }
  const std::string& conninfo() const noexcept { return conninfo_; }

  /// The repository's sql/ directory (from the CALLCENTERD_SOURCE_DIR compile definition).
  static std::string migrations_directory();

 private:
  std::string admin_conninfo_;
  std::string name_;
  std::string conninfo_;
};

}  // namespace callcenterd::test_support
