#include "acd_day_restore.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <pqxx/pqxx>

#include "acd_model_rows.hpp"
#include "acd_wiring.hpp"
#include "callcenterd/core/local_day.hpp"
#include "skill_routes.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace {

// Only what counts (engine counters.cpp): joins, departures, connects, completions, callbacks
// taken and given up, and agents leaving wrap-up.
constexpr auto day_events_sql =
    "SELECT kind, payload::text FROM events WHERE node = $1 AND occurred_at >= $2::timestamptz "
    "AND occurred_at < $3::timestamptz AND (kind IN ('queue.enqueued', 'queue.left', "
    "'queue.connected', 'queue.completed', 'queue.callback_requested', "
    "'queue.callback_failed') OR (kind = 'agent.state' "
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

/// What a restore reads: today's events and the skills set through the API in earlier runs.
struct kept_state {
  std::vector<acd::acd_event> day;
  std::vector<std::pair<std::string, std::vector<acd::agent_skill>>> skills;
};

}  // namespace

namespace {

/// One restore: waits for the spool, reads, and tries again after a failure. Holds itself
/// through its timer and the pool's callback until the figures are in.
class day_restore : public std::enable_shared_from_this<day_restore> {
 public:
  day_restore(boost::asio::io_context& io, store::db_pool& pool, acd::acd_service& acd,
              const store::event_log_stats& log, const acd::acd_model& model, std::string node,
              std::chrono::system_clock::time_point started)
      : timer_(io),
        pool_(pool),
        acd_(acd),
        log_(log),
        model_(model),
        node_(std::move(node)),
        from_(iso_utc(core::local_midnight_before(started))),
        until_(iso_utc(started)) {}

  void attempt() {
    if (log_.spool_bytes.load() > 0 || log_.degraded.load()) {
      if (!waited_) spdlog::info("acd: today's figures wait for the event spool to be stored");
      waited_ = true;
      retry_in(std::chrono::seconds(1));
      return;
    }
    pool_.async_run<kept_state>(
        [&model = model_, node = node_, from = from_,
         until = until_](pqxx::connection& connection) {
          write_acd_model(connection, model, node);
          return kept_state{.day = read_day(connection, node, from, until),
                            .skills = blocking_read_skill_overrides(connection)};
        },
        [self = shared_from_this()](boost::system::error_code ec, kept_state kept) {
          self->restore(ec, std::move(kept));
        });
  }

 private:
  void restore(boost::system::error_code ec, kept_state kept) {
    if (ec) {
      if (!failed_) {
        spdlog::warn(
            "acd: cannot read the day's events ({}); today's figures count from now "
            "until the database answers",
            ec.message());
      }
      failed_ = true;
      retry_in(std::chrono::seconds(5));
      return;
    }
    spdlog::info(
        "acd: today's figures restored from {} event(s); skills set through the API "
        "for {} agent(s)",
        kept.day.size(), kept.skills.size());
    acd_.run([kept = std::move(kept)](acd::engine& engine, acd::instant now) {
      // Agents no longer configured, and those changed since this start, keep what they have.
      for (const auto& [agent, skills] : kept.skills) engine.restore_skills(agent, skills, now);
      engine.restore_today(kept.day);
    });
  }

  void retry_in(std::chrono::seconds delay) {
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->attempt();
    });
  }

  boost::asio::steady_timer timer_;
  store::db_pool& pool_;
  acd::acd_service& acd_;
  const store::event_log_stats& log_;
  const acd::acd_model& model_;
  std::string node_;
  std::string from_;
  std::string until_;
  bool waited_ = false;
  bool failed_ = false;
};

}  // namespace

void restore_acd_day(boost::asio::io_context& io, store::db_pool& pool, acd::acd_service& acd,
                     const store::event_log_stats& log, const acd::acd_model& model,
                     std::string node, std::chrono::system_clock::time_point started) {
  std::make_shared<day_restore>(io, pool, acd, log, model, std::move(node), started)->attempt();
}

}  // namespace callcenterd::app
