// Conversions the CRM's PostgreSQL code shares: times, JSON list parameters, nullable fields.
#include "pg_support.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

#include "callcenterd/core/uuid.hpp"

namespace callcenterd::crm::pg {

using std::chrono::duration_cast;
using std::chrono::microseconds;

std::int64_t to_micros(time_point t) {
  return duration_cast<microseconds>(t.time_since_epoch()).count();
}

time_point from_micros(std::int64_t us) {
  return time_point(duration_cast<std::chrono::system_clock::duration>(microseconds(us)));
}

std::string utc_text(time_point t) {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return std::string(text, n);
}

std::string json_array(const std::vector<std::string>& values) {
  // Replacing malformed UTF-8 keeps a bad value from throwing here; it then matches nothing.
  return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> strings_from_json(const std::string& json_text) {
  return nlohmann::json::parse(json_text).get<std::vector<std::string>>();
}

std::vector<std::string> only_uuids(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) {
    if (core::is_uuid(id)) out.push_back(id);
  }
  return out;
}

std::optional<std::string> optional_text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}

std::string statement_name(std::string_view suffix) {
  return "callcenterd_crm_" + std::string(suffix);
}

}  // namespace callcenterd::crm::pg
