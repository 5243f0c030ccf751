#pragma once

#include <atomic>
#include <boost/asio/async_result.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "callcenterd/store/detail/db_job.hpp"
#include "callcenterd/store/errors.hpp"

namespace callcenterd::store {

struct db_pool_settings {
  std::string conninfo;                             ///< libpq key=value string or postgresql:// URI
  std::size_t size = 2;                             ///< worker threads, one connection each
  std::chrono::milliseconds connect_timeout{5000};  ///< rounded up to whole seconds for libpq
  std::chrono::milliseconds reconnect_max_backoff{10000};
};

/// Counters for /metrics. Written by the pool's workers; read from any thread.
struct db_pool_stats {
  std::atomic<std::int64_t> connections_open{0};
  std::atomic<std::int64_t> jobs_queued{0};
  std::atomic<std::uint64_t> jobs_failed_total{0};
  std::atomic<std::uint64_t> reconnects_total{0};
};

/// Runs blocking libpqxx work off the event loop: `size` threads, each owning one
/// connection, connected on first use. A broken connection is dropped and reconnected with
/// exponential backoff (100 ms doubling up to reconnect_max_backoff); a worker that is
/// backing off leaves jobs to connected siblings, and when none is connected jobs fail at
/// once with db_errc::unavailable instead of queueing behind a dead server.
class db_pool {
 public:
  /// Starts the worker threads; connects nothing yet. Any thread.
  explicit db_pool(db_pool_settings settings);
  db_pool(const db_pool&) = delete;
  db_pool& operator=(const db_pool&) = delete;
  /// Calls stop().
  ~db_pool();

  /// Fails every queued job with db_errc::stopped, lets running jobs finish, joins the
  /// threads. Idempotent. Any thread except a pool worker (i.e. not inside a job).
  void stop();

  /// Runs `fn` on a worker with that worker's connection and completes with
  /// (error_code, R) — or (error_code) when R is void — on the completion handler's
  /// associated executor, so a coroutine on a strand resumes on that strand. Works with any
  /// completion token, e.g. asio::use_awaitable or as_tuple(use_awaitable). `fn` runs on a
  /// pool thread and may block; its libpqxx exceptions never escape: a lost connection
  /// becomes db_errc::unavailable, anything else db_errc::query_failed (see last_error()
  /// for the text). A job that catches a lost connection itself and returns normally still
  /// completes with db_errc::unavailable once its connection is found closed. On error R is
  /// value-initialised, so R must be default-constructible. A worker may hold a copy of
  /// the handler's executor until the job object is gone, so the io_context behind it must
  /// outlive the pool (stop it, or destroy it, first).
  /// Callable from any thread or strand.
  template <class R, class CompletionToken>
  auto async_run(std::function<R(pqxx::connection&)> fn, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, typename detail::db_signature<R>::type>(
        [this](auto handler, std::function<R(pqxx::connection&)> job_fn) {
          using handler_type = std::decay_t<decltype(handler)>;
          enqueue(std::make_unique<detail::db_job_impl<R, handler_type>>(std::move(job_fn),
                                                                         std::move(handler)));
        },
        token, std::move(fn));
  }

  const db_pool_stats& stats() const noexcept;

  /// The most recent failure (connect, lost connection or query) with the server's text;
  /// empty code when nothing failed yet. For /readyz and logs. Any thread.
  store_error last_error() const;

  const db_pool_settings& settings() const noexcept;

 private:
  void enqueue(std::unique_ptr<detail::db_job> job);

  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Prepares `name` on this connection on first use; later calls with the same definition
/// cost a map lookup (libpqxx keeps the registry per connection object, and a reconnect
/// builds a new object, so the statement is prepared again on the new session). Call it at
/// the top of a job, before exec_prepared. Runs on the pool thread running the job.
void prepare_once(pqxx::connection& connection, const std::string& name, const std::string& sql);

}  // namespace callcenterd::store
