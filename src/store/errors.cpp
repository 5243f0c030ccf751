#include "callcenterd/store/errors.hpp"

#include <boost/system/system_error.hpp>

namespace callcenterd::store {
namespace {

class db_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.store.db"; }
  std::string message(int value) const override {
    switch (static_cast<db_errc>(value)) {
      case db_errc::unavailable:
        return "database unavailable";
      case db_errc::query_failed:
        return "database query failed";
      case db_errc::stopped:
        return "database pool stopped";
    }
    return "unknown database error";
  }
};

class migration_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.store.migration"; }
  std::string message(int value) const override {
    switch (static_cast<migration_errc>(value)) {
      case migration_errc::bad_file_name:
        return "bad migration file name";
      case migration_errc::duplicate_version:
        return "duplicate migration version";
      case migration_errc::version_gap:
        return "gap in migration versions";
      case migration_errc::unreadable_file:
        return "migration file unreadable";
      case migration_errc::database_newer:
        return "database schema newer than this build";
      case migration_errc::checksum_mismatch:
        return "applied migration was modified";
      case migration_errc::migration_failed:
        return "migration failed";
      case migration_errc::database_unavailable:
        return "database unavailable";
    }
    return "unknown migration error";
  }
};

class spool_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.store.spool"; }
  std::string message(int value) const override {
    switch (static_cast<spool_errc>(value)) {
      case spool_errc::io_failed:
        return "spool file i/o failed";
      case spool_errc::corrupt_record:
        return "spool record corrupt";
    }
    return "unknown spool error";
  }
};

}  // namespace

const boost::system::error_category& db_category() noexcept {
  static const db_category_impl instance;
  return instance;
}

const boost::system::error_category& migration_category() noexcept {
  static const migration_category_impl instance;
  return instance;
}

const boost::system::error_category& spool_category() noexcept {
  static const spool_category_impl instance;
  return instance;
}

boost::system::error_code make_error_code(db_errc e) noexcept {
  return {static_cast<int>(e), db_category()};
}

boost::system::error_code make_error_code(migration_errc e) noexcept {
  return {static_cast<int>(e), migration_category()};
}

boost::system::error_code make_error_code(spool_errc e) noexcept {
  return {static_cast<int>(e), spool_category()};
}

void throw_exception_from_error(const store_error& e, const boost::source_location&) {
  throw boost::system::system_error(e.code, e.message);
}

}  // namespace callcenterd::store
