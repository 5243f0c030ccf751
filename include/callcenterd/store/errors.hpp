#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/error_code.hpp>
#include <string>
#include <type_traits>

namespace callcenterd::store {

/// Why a database job did not produce a result.
enum class db_errc {
  /// PostgreSQL cannot be reached (refused, broken connection, commit in doubt, or the
  /// worker is backing off after such a failure). Worth retrying later.
  unavailable = 1,
  /// The server answered but the job failed (SQL error, constraint, exception in the job).
  query_failed,
  /// The pool was stopped before the job ran.
  stopped,
};

/// Why the schema migrations could not be applied or checked.
enum class migration_errc {
  bad_file_name = 1,     ///< a file in the migrations directory is not NNNN_name.sql
  duplicate_version,     ///< two files carry the same number
  version_gap,           ///< the numbers do not run 1, 2, 3, ... without holes
  unreadable_file,       ///< the directory or a file could not be read
  database_newer,        ///< the database has a version this binary does not know
  checksum_mismatch,     ///< an applied migration's file was edited afterwards
  migration_failed,      ///< a migration's SQL failed; its transaction was rolled back
  database_unavailable,  ///< PostgreSQL could not be reached
};

/// Why the event spool file could not be used.
enum class spool_errc {
  io_failed = 1,   ///< open, write, fsync, read or truncate failed
  corrupt_record,  ///< a record's checksum does not match its bytes
};

const boost::system::error_category& db_category() noexcept;
const boost::system::error_category& migration_category() noexcept;
const boost::system::error_category& spool_category() noexcept;

boost::system::error_code make_error_code(db_errc e) noexcept;
boost::system::error_code make_error_code(migration_errc e) noexcept;
boost::system::error_code make_error_code(spool_errc e) noexcept;

/// An error code plus the human-readable reason (server message, file name, ...), so that
/// /readyz and the logs can say why and not only what.
struct store_error {
  boost::system::error_code code;
  std::string message;

  explicit operator bool() const noexcept { return static_cast<bool>(code); }
};

/// Lets boost::system::result<T, store_error>::value() throw a std::system_error carrying
/// the message. Found by argument-dependent lookup; never called on the happy path.
[[noreturn]] void throw_exception_from_error(const store_error& e,
                                             const boost::source_location& where);

}  // namespace callcenterd::store

template <>
struct boost::system::is_error_code_enum<callcenterd::store::db_errc> : std::true_type {};
template <>
struct boost::system::is_error_code_enum<callcenterd::store::migration_errc> : std::true_type {};
template <>
struct boost::system::is_error_code_enum<callcenterd::store::spool_errc> : std::true_type {};
