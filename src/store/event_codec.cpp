#include "event_codec.hpp"

#include <charconv>
#include <cstdio>

#include "callcenterd/core/uuid.hpp"

namespace callcenterd::store {

event make_event(std::string kind, std::string correlation_id, nlohmann::json payload) {
  event e;
  e.id = core::make_uuid();
  e.occurred_at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  e.kind = std::move(kind);
  e.correlation_id = std::move(correlation_id);
  e.payload = std::move(payload);
  return e;
}

namespace detail {
namespace {

using nlohmann::json;

// jsonb rejects U+0000 anywhere, so it is dropped from every string before encoding.
void strip_nul(std::string& s) { std::erase(s, '\0'); }

void strip_nul(json& value) {
  if (value.is_string()) {
    strip_nul(value.get_ref<std::string&>());
  } else if (value.is_array()) {
    for (auto& item : value) strip_nul(item);
  } else if (value.is_object()) {
    json cleaned = json::object();
    for (auto& [key, item] : value.items()) {
      std::string k = key;
      strip_nul(k);
      strip_nul(item);
      cleaned[k] = std::move(item);
    }
    value = std::move(cleaned);
  }
}

bool parse_int(std::string_view text, int& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace

std::string format_timestamp(event::time_point at) {
  using namespace std::chrono;
  const auto day = floor<days>(at);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> tod{at - day};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<long long>(tod.subseconds().count()));
  return buffer;
}

std::optional<event::time_point> parse_timestamp(std::string_view text) {
  // Exactly the shape format_timestamp writes: YYYY-MM-DDTHH:MM:SS.ffffffZ
  if (text.size() != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[26] != 'Z') {
    return std::nullopt;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, us = 0;
  if (!parse_int(text.substr(0, 4), y) || !parse_int(text.substr(5, 2), mo) ||
      !parse_int(text.substr(8, 2), d) || !parse_int(text.substr(11, 2), h) ||
      !parse_int(text.substr(14, 2), mi) || !parse_int(text.substr(17, 2), s) ||
      !parse_int(text.substr(20, 6), us)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + microseconds{us};
}

std::string encode_event_row(const event& e) {
  json row = json::object();
  row["id"] = e.id;
  row["occurred_at"] = format_timestamp(e.occurred_at);
  row["kind"] = e.kind;
  row["correlation_id"] = e.correlation_id;
  row["node"] = e.node;
  row["payload"] = e.payload;
  // Invalid UTF-8 becomes U+FFFD instead of an exception or a row PostgreSQL refuses.
  std::string text = row.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.find("\\u0000") != std::string::npos) {
    strip_nul(row);
    text = row.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return text;
}

std::optional<event> decode_event_row(std::string_view row) {
  json value = json::parse(row, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  const auto text = [&value](const char* key) -> const std::string* {
    const auto it = value.find(key);
    return it != value.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
  };
  const std::string* id = text("id");
  const std::string* at = text("occurred_at");
  const std::string* kind = text("kind");
  const std::string* correlation = text("correlation_id");
  const std::string* node = text("node");
  if (!id || !at || !kind || !correlation || !node || !value.contains("payload")) {
    return std::nullopt;
  }
  const auto when = parse_timestamp(*at);
  if (!when || !core::is_uuid(*id)) return std::nullopt;
  return event{*id, *when, *kind, *correlation, *node, value["payload"]};
}

std::string join_event_rows(const std::vector<std::string>& rows) {
  std::size_t total = 2;
  for (const auto& r : rows) total += r.size() + 1;
  std::string out;
  out.reserve(total);
  out.push_back('[');
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(rows[i]);
  }
  out.push_back(']');
  return out;
}

}  // namespace detail
}  // namespace callcenterd::store
