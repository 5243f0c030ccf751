#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

#include "callcenterd/core/encoding.hpp"
#include "callcenterd/store/migrator.hpp"

namespace callcenterd::store {
namespace {

store_error error(migration_errc code, std::string message) {
  return {make_error_code(code), std::move(message)};
}

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

std::optional<migration_name> parse_migration_file_name(std::string_view file_name) {
  constexpr std::string_view extension = ".sql";
  // Four digits, '_', at least one name character, ".sql".
  if (file_name.size() < 4 + 1 + 1 + extension.size()) return std::nullopt;
  if (!file_name.ends_with(extension) || file_name[4] != '_') return std::nullopt;
  int version = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const char c = file_name[i];
    if (c < '0' || c > '9') return std::nullopt;
    version = version * 10 + (c - '0');
  }
  if (version == 0) return std::nullopt;
  const std::string_view name = file_name.substr(5, file_name.size() - 5 - extension.size());
  if (!std::all_of(name.begin(), name.end(), is_name_char)) return std::nullopt;
  return migration_name{version, std::string(name)};
}

store_error order_migrations(std::vector<migration_file>& files) {
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < files.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (i > 0 && files[i].version == files[i - 1].version) {
      return error(migration_errc::duplicate_version,
                   "two migrations with version " + std::to_string(files[i].version) + ": " +
                       files[i - 1].path.filename().string() + " and " +
                       files[i].path.filename().string());
    }
    if (files[i].version != expected) {
      return error(migration_errc::version_gap, "migration " + std::to_string(expected) +
                                                    " is missing before " +
                                                    files[i].path.filename().string());
    }
  }
  return {};
}

boost::system::result<std::vector<migration_file>, store_error> blocking_load_migrations(
    const std::filesystem::path& directory) {
  std::vector<migration_file> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) {
    return error(migration_errc::unreadable_file,
                 "cannot list migrations in " + directory.string() + ": " + ec.message());
  }
  for (const auto& entry : it) {
    const std::string file_name = entry.path().filename().string();
    if (file_name.starts_with('.') || entry.is_directory(ec)) continue;
    const auto parsed = parse_migration_file_name(file_name);
    if (!parsed) {
      return error(migration_errc::bad_file_name, "bad migration file name " +
                                                      entry.path().string() +
                                                      " (expected NNNN_lower_case_name.sql)");
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::string sql;
    if (in) sql.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in || in.bad()) {
      return error(migration_errc::unreadable_file, "cannot read " + entry.path().string());
    }
    files.push_back(
        {parsed->version, parsed->name, entry.path(), core::sha256_hex(sql), std::move(sql)});
  }
  if (auto failure = order_migrations(files)) return failure;
  return files;
}

}  // namespace callcenterd::store
