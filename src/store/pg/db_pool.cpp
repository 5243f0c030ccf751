#include "callcenterd/store/db_pool.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>
#include <utility>
#include <vector>

#include "callcenterd/store/backoff.hpp"

namespace callcenterd::store {
namespace {

using clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds first_reconnect_delay{100};

// libpq takes whole seconds; an explicit value in the conninfo wins over the setting.
std::string conninfo_with_timeout(const std::string& conninfo, std::chrono::milliseconds timeout) {
  if (conninfo.find("connect_timeout") != std::string::npos) return conninfo;
  const auto seconds = std::max<long long>(1, (timeout.count() + 999) / 1000);
  const bool uri = conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://");
  if (!uri) return conninfo + " connect_timeout=" + std::to_string(seconds);
  const char separator = conninfo.find('?') == std::string::npos ? '?' : '&';
  return conninfo + separator + "connect_timeout=" + std::to_string(seconds);
}

// SQLSTATE classes that mean the session is gone rather than that the statement was wrong:
// 08 connection exception, 57P01..57P03 server shutting down or not yet accepting.
bool is_connection_sqlstate(const std::string& state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

// libpq's messages span lines ("...refused\n\tIs the server running..."); /readyz and log
// lines want one.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != ' ' || out.empty() || out.back() != ' ') out.push_back(c);
  }
  return out;
}

struct worker_state {
  explicit worker_state(std::chrono::milliseconds max_backoff)
      : delay(first_reconnect_delay, max_backoff) {}

  std::unique_ptr<pqxx::connection> connection;
  backoff delay;
  clock::time_point next_attempt{};  // no connect attempt before this
  bool had_trouble = false;          // a connect failed or a connection broke: the next one counts
};

}  // namespace

struct db_pool::impl {
  explicit impl(db_pool_settings s)
      : settings(std::move(s)),
        effective_conninfo(conninfo_with_timeout(settings.conninfo, settings.connect_timeout)) {}

  void worker_main();
  std::unique_ptr<detail::db_job> take_job(worker_state& worker);
  void run_job(worker_state& worker, detail::db_job& job);
  bool connect(worker_state& worker);
  void drop_connection(worker_state& worker);
  void fail(detail::db_job& job, db_errc code, std::string message);

  const db_pool_settings settings;
  const std::string effective_conninfo;
  db_pool_stats stats;

  mutable std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::unique_ptr<detail::db_job>> queue;
  std::size_t connected_workers = 0;
  bool stopping = false;
  store_error last_error;
  std::vector<std::thread> threads;
};

db_pool::db_pool(db_pool_settings settings) : impl_(std::make_unique<impl>(std::move(settings))) {
  const std::size_t count = std::max<std::size_t>(1, impl_->settings.size);
  impl_->threads.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    impl_->threads.emplace_back([this] { impl_->worker_main(); });
  }
}

db_pool::~db_pool() { stop(); }

void db_pool::stop() {
  std::deque<std::unique_ptr<detail::db_job>> abandoned;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
  {
    std::lock_guard lock(impl_->mutex);
    abandoned.swap(impl_->queue);
  }
  for (auto& job : abandoned) {
    impl_->stats.jobs_queued.fetch_sub(1);
    impl_->stats.jobs_failed_total.fetch_add(1);
    job->complete(make_error_code(db_errc::stopped));
  }
}

const db_pool_stats& db_pool::stats() const noexcept { return impl_->stats; }

store_error db_pool::last_error() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_error;
}

const db_pool_settings& db_pool::settings() const noexcept { return impl_->settings; }

void db_pool::enqueue(std::unique_ptr<detail::db_job> job) {
  std::unique_ptr<detail::db_job> refused;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) {
      refused = std::move(job);
    } else {
      impl_->queue.push_back(std::move(job));
      impl_->stats.jobs_queued.fetch_add(1);
    }
  }
  if (refused) {
    impl_->stats.jobs_failed_total.fetch_add(1);
    refused->complete(make_error_code(db_errc::stopped));
    return;
  }
  // All, not one: a worker waiting out its backoff would ignore the wake-up and leave the
  // job to a connected sibling that was never woken.
  impl_->wake.notify_all();
}

void db_pool::impl::worker_main() {
  worker_state worker(settings.reconnect_max_backoff);
  while (auto job = take_job(worker)) run_job(worker, *job);
  drop_connection(worker);
}

std::unique_ptr<detail::db_job> db_pool::impl::take_job(worker_state& worker) {
  std::unique_lock lock(mutex);
  for (;;) {
    if (stopping) return nullptr;
    if (!queue.empty()) {
      // A worker still waiting out its backoff leaves the job to a connected sibling; when
      // nobody is connected it takes the job so that the job fails fast.
      const bool can_serve =
          worker.connection || clock::now() >= worker.next_attempt || connected_workers == 0;
      if (can_serve) break;
      wake.wait_until(lock, worker.next_attempt);
    } else {
      wake.wait(lock);
    }
  }
  auto job = std::move(queue.front());
  queue.pop_front();
  stats.jobs_queued.fetch_sub(1);
  return job;
}

void db_pool::impl::fail(detail::db_job& job, db_errc code, std::string message) {
  stats.jobs_failed_total.fetch_add(1);
  {
    std::lock_guard lock(mutex);
    last_error = {make_error_code(code), std::move(message)};
  }
  job.complete(make_error_code(code));
}

bool db_pool::impl::connect(worker_state& worker) {
  try {
    worker.connection = std::make_unique<pqxx::connection>(effective_conninfo);
  } catch (const std::exception& e) {
    worker.had_trouble = true;
    const auto delay = worker.delay.next();
    worker.next_attempt = clock::now() + delay;
    std::lock_guard lock(mutex);
    last_error = {make_error_code(db_errc::unavailable),
                  one_line(std::string("cannot connect to PostgreSQL: ") + e.what())};
    return false;
  }
  worker.delay.reset();
  if (std::exchange(worker.had_trouble, false)) stats.reconnects_total.fetch_add(1);
  stats.connections_open.fetch_add(1);
  {
    std::lock_guard lock(mutex);
    ++connected_workers;
  }
  return true;
}

void db_pool::impl::drop_connection(worker_state& worker) {
  if (!worker.connection) return;
  worker.connection.reset();
  stats.connections_open.fetch_sub(1);
  {
    std::lock_guard lock(mutex);
    --connected_workers;
  }
  // Siblings waiting out a backoff may now be the only ones able to fail jobs fast.
  wake.notify_all();
}

void db_pool::impl::run_job(worker_state& worker, detail::db_job& job) {
  if (!worker.connection) {
    if (clock::now() < worker.next_attempt) {
      std::string reason;
      {
        std::lock_guard lock(mutex);
        reason = last_error.message;
      }
      return fail(job, db_errc::unavailable, std::move(reason));
    }
    if (!connect(worker)) {
      stats.jobs_failed_total.fetch_add(1);
      return job.complete(make_error_code(db_errc::unavailable));
    }
  }

  db_errc code{};
  std::string message;
  bool succeeded = false;
  try {
    job.invoke(*worker.connection);
    succeeded = true;
  } catch (const pqxx::broken_connection& e) {
    code = db_errc::unavailable;
    message = e.what();
  } catch (const pqxx::in_doubt_error& e) {
    // The commit may or may not have happened; callers must be idempotent (the event log
    // is: ids are UUIDs and inserts ignore conflicts).
    code = db_errc::unavailable;
    message = e.what();
  } catch (const pqxx::sql_error& e) {
    code = is_connection_sqlstate(e.sqlstate()) ? db_errc::unavailable : db_errc::query_failed;
    message = e.what();
  } catch (const std::exception& e) {
    code = db_errc::query_failed;
    message = e.what();
  } catch (...) {
    code = db_errc::query_failed;
    message = "unknown exception in database job";
  }
  if (succeeded && !worker.connection->is_open()) {
    // The job caught the lost connection itself and returned a value that only says "error":
    // the caller hears of it as unavailable, and the dead connection is replaced.
    succeeded = false;
    message = "connection closed during the job";
  }
  // Completed outside the try: the handler's own exceptions are not the database's.
  if (succeeded) return job.complete({});
  message = one_line(std::move(message));
  if (!worker.connection->is_open()) code = db_errc::unavailable;
  if (code == db_errc::unavailable) {
    spdlog::warn("database connection lost: {}", message);
    drop_connection(worker);
    worker.had_trouble = true;
    // Reconnect at the next job; only failed connects grow the backoff.
    worker.next_attempt = clock::now();
  }
  fail(job, code, std::move(message));
}

void prepare_once(pqxx::connection& connection, const std::string& name, const std::string& sql) {
  // libpqxx 6 records definitions per connection object and sends PREPARE lazily on first
  // execution; repeating an identical definition is a no-op.
  connection.prepare(name, sql);
}

}  // namespace callcenterd::store
