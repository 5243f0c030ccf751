#include "acd_day_restore.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "acd_wiring.hpp"
#include "callcenterd/core/local_day.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace {

// Only what counts (engine counters.cpp): joins, departures, connects, completions, and
// agents leaving wrap-up.
constexpr auto day_events_sql =
    "SELECT kind, payload::text FROM events WHERE node = $1 AND occurred_at >= $2::timestamptz "
    "AND occurred_at < $3::timestamptz AND (kind IN ('queue.enqueued', 'queue.left', "
    "'queue.connected', 'queue.completed') OR (kind = 'agent.state' "
    "AND payload->>'previous' = 'wrap_up')) ORDER BY log_position";

std::vector<acd::acd_event> read_day(pqxx::connection& connection, const std::string& node,
                                     const std::string& from, const std::string& until) {
  store::prepare_once(connection, "acd_day_events", day_events_sql);
  pqxx::read_transaction tx(connection);
  std::vector<acd::acd_event> day;
  for (const auto& row : tx.exec_prepared("acd_day_events", node, from, until)) {
    const auto payload = nlohmann::json::parse(row[1].as<std::string>(), nullptr, false);
    if (auto event = acd_event_of(row[0].as<std::string>(), payload)) {
      day.push_back(std::move(*event));
    }
  }
  return day;
}

}  // namespace

void restore_acd_day(store::db_pool& pool, acd::acd_service& acd, std::string node,
                     std::chrono::system_clock::time_point started) {
  pool.async_run<std::vector<acd::acd_event>>(
      [node = std::move(node), from = iso_utc(core::local_midnight_before(started)),
       until = iso_utc(started)](pqxx::connection& connection) {
        return read_day(connection, node, from, until);
      },
      [&acd](boost::system::error_code ec, std::vector<acd::acd_event> day) {
        if (ec) {
          spdlog::warn("acd: today's figures start from zero: cannot read the day's events: {}",
                       ec.message());
          return;
        }
        spdlog::info("acd: today's figures restored from {} event(s)", day.size());
        acd.run([day = std::move(day)](acd::engine& engine, acd::instant) {
          engine.restore_today(day);
        });
      });
}

}  // namespace callcenterd::app
