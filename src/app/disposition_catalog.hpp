#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::app {

/// A code an agent may give a call in wrap-up ("resolved", "follow_up").
struct disposition_code {
  std::string code;
  std::string label;
  bool active = true;
  friend bool operator==(const disposition_code&, const disposition_code&) = default;
};

/// The site's disposition codes in memory, so that a wrap-up is checked and written (through
/// the event log) without waiting on PostgreSQL. Loaded once the database answers, then kept
/// current by the admin routes after each write. Thread-safe.
class disposition_catalog {
 public:
  void replace(std::vector<disposition_code> codes);
  void put(disposition_code code);
  /// Every code, active or retired, by code.
  [[nodiscard]] std::vector<disposition_code> all() const;
  [[nodiscard]] std::optional<disposition_code> find(std::string_view code) const;
  /// Whether the codes were read from the database since the start.
  [[nodiscard]] bool loaded() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, disposition_code, std::less<>> codes_;
  bool loaded_ = false;
};

/// Every row of disposition_codes; blocking, for the database pool.
std::vector<disposition_code> blocking_load_disposition_codes(pqxx::connection& connection);

/// Whether `code` may name a disposition: 1 to 32 of a-z, 0-9 and '_' (as the table checks).
bool is_disposition_code(std::string_view code);

}  // namespace callcenterd::app
