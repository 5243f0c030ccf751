// The database side of the migrator: advisory lock, bookkeeping table, one transaction per
// migration. libpqxx exceptions are caught here and leave as store_error values.
#include "callcenterd/store/migrator.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <pqxx/pqxx>

namespace callcenterd::store {
namespace {

// Any fixed number works as long as every node uses the same one: it names "the schema".
constexpr long long migration_lock_key = 0x63616c6c63656e74LL;

store_error error(migration_errc code, std::string message) {
  return {make_error_code(code), std::move(message)};
}

// The migrator's own bookkeeping cannot come from a migration (it records them), so this is
// the one table created from C++. Everything of the application lives in sql/.
constexpr const char* create_bookkeeping_sql =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

struct applied_migration {
  std::string name;
  std::string checksum;
};

std::map<int, applied_migration> read_applied(pqxx::connection_base& connection) {
  pqxx::nontransaction tx(connection);
  std::map<int, applied_migration> applied;
  for (const auto& row : tx.exec("SELECT version, name, checksum FROM schema_migrations")) {
    applied[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
  }
  return applied;
}

store_error check_applied(const std::map<int, applied_migration>& applied,
                          const std::vector<migration_file>& files) {
  const int latest_known = files.empty() ? 0 : files.back().version;
  if (!applied.empty() && applied.rbegin()->first > latest_known) {
    return error(migration_errc::database_newer,
                 "database schema is at version " + std::to_string(applied.rbegin()->first) +
                     " but this build knows only up to " + std::to_string(latest_known) +
                     "; refusing to run against a newer schema");
  }
  for (const auto& file : files) {
    const auto it = applied.find(file.version);
    if (it != applied.end() && it->second.checksum != file.checksum) {
      return error(migration_errc::checksum_mismatch,
                   "migration " + file.path.filename().string() +
                       " was changed after it was applied (recorded sha256 " + it->second.checksum +
                       ", file has " + file.checksum +
                       "); write a new migration instead of editing an applied one");
    }
  }
  return {};
}

boost::system::result<migration_summary, store_error> apply_locked(
    pqxx::connection_base& connection, const std::vector<migration_file>& files) {
  {
    pqxx::nontransaction tx(connection);
    tx.exec(create_bookkeeping_sql);
  }
  const auto applied = read_applied(connection);
  if (auto failure = check_applied(applied, files)) return failure;

  migration_summary summary;
  summary.previous_version = applied.empty() ? 0 : applied.rbegin()->first;
  summary.current_version = summary.previous_version;
  for (const auto& file : files) {
    if (applied.count(file.version) > 0) continue;
    try {
      pqxx::work tx(connection);
      tx.exec(file.sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                     file.version, file.name, file.checksum);
      tx.commit();
    } catch (const pqxx::broken_connection&) {
      throw;
    } catch (const std::exception& e) {
      return error(migration_errc::migration_failed,
                   "migration " + file.path.filename().string() + " failed: " + e.what());
    }
    spdlog::info("applied migration {}", file.path.filename().string());
    summary.applied.push_back(file.version);
    summary.current_version = file.version;
  }
  return summary;
}

}  // namespace

boost::system::result<migration_summary, store_error> blocking_apply_migrations(
    pqxx::connection_base& connection, const std::vector<migration_file>& files) {
  try {
    {
      pqxx::nontransaction tx(connection);
      // Session-level lock: held across the per-migration transactions below.
      tx.exec_params("SELECT pg_advisory_lock($1)", migration_lock_key);
    }
    boost::system::result<migration_summary, store_error> outcome = migration_summary{};
    try {
      outcome = apply_locked(connection, files);
    } catch (const pqxx::broken_connection&) {
      throw;
    } catch (const std::exception& e) {
      // The caller's connection lives on, so the lock must be released on this path too.
      outcome =
          error(migration_errc::migration_failed, std::string("migrating failed: ") + e.what());
    }
    pqxx::nontransaction tx(connection);
    tx.exec_params("SELECT pg_advisory_unlock($1)", migration_lock_key);
    return outcome;
  } catch (const pqxx::broken_connection& e) {
    return error(migration_errc::database_unavailable,
                 std::string("database unavailable while migrating: ") + e.what());
  } catch (const std::exception& e) {
    return error(migration_errc::migration_failed, std::string("migrating failed: ") + e.what());
  }
}

boost::system::result<migration_summary, store_error> blocking_apply_migrations(
    const std::string& conninfo, const std::filesystem::path& directory) {
  auto files = blocking_load_migrations(directory);
  if (!files) return files.error();
  return blocking_apply_migrations(conninfo, *files);
}

boost::system::result<migration_summary, store_error> blocking_apply_migrations(
    const std::string& conninfo, const std::vector<migration_file>& files) {
  try {
    pqxx::connection connection(conninfo);
    return blocking_apply_migrations(connection, files);
  } catch (const std::exception& e) {
    return error(migration_errc::database_unavailable,
                 std::string("cannot connect to the database: ") + e.what());
  }
}

boost::system::result<schema_status, store_error> blocking_schema_status(
    pqxx::connection_base& connection, int latest_known) {
  try {
    pqxx::nontransaction tx(connection);
    const auto exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    schema_status status;
    status.latest_known = latest_known;
    if (exists[0][0].as<bool>()) {
      status.current_version =
          tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0].as<int>();
    }
    return status;
  } catch (const pqxx::broken_connection& e) {
    return error(migration_errc::database_unavailable, e.what());
  } catch (const std::exception& e) {
    return error(migration_errc::migration_failed,
                 std::string("cannot read schema version: ") + e.what());
  }
}

}  // namespace callcenterd::store
