#include "readiness_monitor.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/connection>

namespace callcenterd::app {
namespace asio = boost::asio;
namespace {

constexpr std::chrono::seconds probe_interval{1};

// The outcome of one probe, computed on a pool thread.
struct probe_result {
  bool ready = false;
  bool migrated = false;
  std::string reason;
};

std::string unreachable_reason(const store::db_pool& pool) {
  const auto error = pool.last_error();
  return "database unreachable: " + (error.message.empty() ? "no connection" : error.message);
}

}  // namespace

readiness_monitor::readiness_monitor(asio::io_context& io, store::db_pool& pool,
                                     std::vector<store::migration_file> migrations, bool migrated,
                                     std::string initial_reason)
    : strand_(asio::make_strand(io)),
      timer_(strand_),
      pool_(pool),
      migrations_(std::move(migrations)),
      latest_known_(migrations_.empty() ? 0 : migrations_.back().version),
      migrated_(migrated),
      current_{false, std::move(initial_reason)} {}

void readiness_monitor::on_first_ready(std::function<void()> callback) {
  on_first_ready_ = std::move(callback);
}

void readiness_monitor::start() {
  asio::co_spawn(strand_, probe_loop(), [this](const std::exception_ptr& error) {
    if (error) spdlog::error("readiness probe ended by an exception");
    loop_finished_.set_value();
  });
}

void readiness_monitor::blocking_stop() {
  stopped_ = true;
  asio::post(strand_, [this] { timer_.cancel(); });
  loop_finished_.get_future().wait();
}

api::readiness readiness_monitor::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void readiness_monitor::set(bool ready, std::string reason) {
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    changed = current_.ready != ready || current_.reason != reason;
    current_ = {ready, std::move(reason)};
  }
  if (!changed) return;
  const auto now = current();
  if (now.ready) {
    spdlog::info("ready: database reachable, schema at version {}", latest_known_);
  } else {
    spdlog::warn("not ready: {}", now.reason);
  }
}

asio::awaitable<void> readiness_monitor::probe_loop() {
  while (!stopped_) {
    co_await probe_once();
    if (current().ready && !announced_ready_) {
      announced_ready_ = true;
      if (on_first_ready_) on_first_ready_();
    }
    timer_.expires_after(probe_interval);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> readiness_monitor::probe_once() {
  const bool need_migrations = !migrated_;
  const int latest = latest_known_;
  const auto* migrations = &migrations_;  // read-only while the probe runs; outlives the job
  auto [ec, result] = co_await pool_.async_run<probe_result>(
      [need_migrations, latest, migrations](pqxx::connection& connection) {
        probe_result out;
        if (need_migrations) {
          auto applied = store::blocking_apply_migrations(connection, *migrations);
          if (!applied) {
            out.reason = "migrations not applied: " + applied.error().message;
            return out;
          }
          out.migrated = true;
        }
        auto status = store::blocking_schema_status(connection, latest);
        if (!status) {
          out.reason = "schema status unknown: " + status.error().message;
        } else if (!status->up_to_date()) {
          out.migrated = out.migrated || status->current_version >= latest;
          out.reason = "database schema is at version " + std::to_string(status->current_version) +
                       ", this build needs " + std::to_string(latest);
        } else {
          out.migrated = true;
          out.ready = true;
        }
        return out;
      },
      asio::as_tuple(asio::use_awaitable));
  if (ec == store::db_errc::unavailable || ec == store::db_errc::stopped) {
    set(false, unreachable_reason(pool_));
    co_return;
  }
  if (ec) {
    set(false, "database probe failed: " + pool_.last_error().message);
    co_return;
  }
  if (result.migrated && !migrated_) {
    spdlog::info("migrations applied; schema at version {}", latest);
    migrated_ = true;
  }
  set(result.ready, result.reason);
}

}  // namespace callcenterd::app
