#pragma once

#include <boost/system/result.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/store/errors.hpp"

namespace pqxx {
class connection_base;
}

namespace callcenterd::store {

/// Schema migrations: sql/NNNN_name.sql files applied in number order, each in its own
/// transaction, recorded in schema_migrations with the sha256 of the file. Everything here
/// blocks (file and database I/O): call it at start-up, from tests, or inside a db_pool job,
/// never on an io_context thread.

/// The parts of a migration file name, "0007_add_cdrs.sql" -> {7, "add_cdrs"}.
struct migration_name {
  int version = 0;
  std::string name;
};

struct migration_file {
  int version = 0;
  std::string name;  ///< without number and extension
  std::filesystem::path path;
  std::string checksum;  ///< lower-case hex sha256 of the file's bytes
  std::string sql;
};

/// Parses a file name of the form NNNN_name.sql: four digits (not 0000), an underscore,
/// lower-case letters, digits and underscores. Pure; any thread.
std::optional<migration_name> parse_migration_file_name(std::string_view file_name);

/// Sorts by version and checks that versions are unique and run 1, 2, 3, ... Pure.
store_error order_migrations(std::vector<migration_file>& files);

/// Blocking: reads every migration in `directory` (hidden files and subdirectories are
/// ignored, any other file with a bad name is an error) and returns them ordered and checked.
boost::system::result<std::vector<migration_file>, store_error> blocking_load_migrations(
    const std::filesystem::path& directory);

struct migration_summary {
  int previous_version = 0;
  int current_version = 0;
  std::vector<int> applied;  ///< versions applied by this run, in order
};

/// Blocking: applies every pending migration under a pg_advisory_lock (two nodes never
/// migrate at once). Refuses when the database knows a version newer than the newest file,
/// or when an applied migration's file no longer has the checksum recorded for it.
boost::system::result<migration_summary, store_error> blocking_apply_migrations(
    pqxx::connection_base& connection, const std::vector<migration_file>& files);

/// Blocking: connects with `conninfo` and applies `files` (from blocking_load_migrations), so
/// a caller that keeps the files for later checks reads the directory once. A failed
/// connection is migration_errc::database_unavailable.
boost::system::result<migration_summary, store_error> blocking_apply_migrations(
    const std::string& conninfo, const std::vector<migration_file>& files);

/// Blocking: loads `directory` and applies it as above; `callcenterd --migrate`.
boost::system::result<migration_summary, store_error> blocking_apply_migrations(
    const std::string& conninfo, const std::filesystem::path& directory);

/// Where the database's schema stands against what this build knows.
struct schema_status {
  int current_version = 0;  ///< highest applied version; 0 before any migration
  int latest_known = 0;     ///< highest version among the files
  bool up_to_date() const noexcept { return current_version == latest_known; }
};

/// Blocking: reads the applied version (never changes anything). For /readyz, run it as a
/// db_pool job with `latest_known` taken once from blocking_load_migrations at start-up.
boost::system::result<schema_status, store_error> blocking_schema_status(
    pqxx::connection_base& connection, int latest_known);

}  // namespace callcenterd::store
