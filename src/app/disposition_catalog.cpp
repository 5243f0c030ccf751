// The disposition codes in memory, and reading them from PostgreSQL.
#include "disposition_catalog.hpp"

#include <pqxx/pqxx>

namespace callcenterd::app {

void disposition_catalog::replace(std::vector<disposition_code> codes) {
  std::map<std::string, disposition_code, std::less<>> next;
  for (auto& code : codes) {
    auto key = code.code;
    next.emplace(std::move(key), std::move(code));
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  codes_ = std::move(next);
  loaded_ = true;
}

void disposition_catalog::put(disposition_code code) {
  const std::lock_guard<std::mutex> lock(mutex_);
  auto key = code.code;
  codes_.insert_or_assign(std::move(key), std::move(code));
}

std::vector<disposition_code> disposition_catalog::all() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<disposition_code> out;
  out.reserve(codes_.size());
  for (const auto& [key, code] : codes_) out.push_back(code);
  return out;
}

std::optional<disposition_code> disposition_catalog::find(std::string_view code) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto found = codes_.find(code);
  if (found == codes_.end()) return std::nullopt;
  return found->second;
}

bool disposition_catalog::loaded() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return loaded_;
}

std::vector<disposition_code> blocking_load_disposition_codes(pqxx::connection& connection) {
  pqxx::read_transaction tx(connection);
  std::vector<disposition_code> out;
  for (const auto& row : tx.exec("SELECT code, label, active FROM disposition_codes")) {
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<bool>()});
  }
  return out;
}

bool is_disposition_code(std::string_view code) {
  return !code.empty() && code.size() <= 32 &&
         code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string_view::npos;
}

}  // namespace callcenterd::app
