#pragma once

#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "callcenterd/store/db_pool.hpp"
#include "callcenterd/store/event.hpp"

namespace callcenterd::store {

struct event_log_settings {
  std::filesystem::path spool_path;  ///< e.g. var/spool/events.spool
  std::string node;                  ///< fills event::node when a producer left it empty
  std::size_t batch_size = 500;      ///< events per INSERT and per replay step
  std::chrono::milliseconds flush_interval{50};  ///< longest a lone event waits for company
  std::size_t max_memory_events = 50'000;        ///< above this, spill to the spool
  std::chrono::milliseconds retry_initial_backoff{100};
  std::chrono::milliseconds retry_max_backoff{5000};
};

/// Counters for /metrics. Written on the log's strand (appended_total by producers);
/// read from any thread.
struct event_log_stats {
  std::atomic<std::uint64_t> appended_total{0};
  std::atomic<std::uint64_t> written_total{0};   ///< confirmed in PostgreSQL, replay included
  std::atomic<std::uint64_t> spooled_total{0};   ///< fsync'd to the spool file
  std::atomic<std::uint64_t> replayed_total{0};  ///< read back from the spool into PostgreSQL
  std::atomic<std::uint64_t> rejected_total{0};  ///< refused by append (malformed id)
  std::atomic<std::int64_t> backlog{0};          ///< in memory, not yet durable anywhere
  std::atomic<std::uint64_t> spool_bytes{0};
  std::atomic<bool> degraded{false};  ///< writing to the spool instead of PostgreSQL
};

namespace detail {
class event_log_core;
}

/// Write-behind log of durable events. Producers never wait for I/O: append() posts to the
/// log's own strand, which batches events into multi-row INSERT ... ON CONFLICT DO NOTHING
/// jobs on the db_pool. When PostgreSQL is unreachable the failed batch and every later
/// event go, in order, to an fsync'd append-only spool file; a retry timer with backoff
/// probes PostgreSQL and replays the spool in order before direct writes resume. Event ids
/// are UUIDs and conflicts are ignored, so a batch whose commit was acknowledged too late
/// to count is never stored twice. Spool file I/O runs on a one-thread executor owned by
/// the log, never on the io_context threads.
class event_log {
 public:
  /// Blocking (start-up only): opens the spool, cuts a torn tail, and schedules replay of
  /// anything left in it by a crash or by a stop while PostgreSQL was down. Throws
  /// std::runtime_error when the spool cannot be opened. `pool` must outlive the log.
  event_log(const boost::asio::any_io_executor& executor, db_pool& pool,
            event_log_settings settings);
  event_log(const event_log&) = delete;
  event_log& operator=(const event_log&) = delete;

  /// Spools whatever is still in memory (an async_drain beforehand makes this a no-op),
  /// then joins the file thread. Must not run on the io_context's last running thread, as
  /// it waits for the strand; call it from the thread that stops the daemon.
  ~event_log();

  /// Queues `e` for writing. Never blocks on I/O; callable from any thread or strand.
  /// Fills an empty id with a new UUID and an empty node with settings.node. Returns false
  /// (and counts it as rejected) when the id is not a UUID.
  bool append(event e);

  /// Completes with (error_code) once every event appended before the call is durable:
  /// in PostgreSQL or, when PostgreSQL fails or `timeout` passes first, in the spool
  /// (fsync'd). An error means the spool could not be written either. The log keeps running
  /// afterwards. Callable from any thread or strand; completes on the handler's executor.
  template <class CompletionToken>
  auto async_drain(std::chrono::milliseconds timeout, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [this](auto handler, std::chrono::milliseconds limit) {
          start_drain(limit, boost::asio::any_completion_handler<void(boost::system::error_code)>(
                                 std::move(handler)));
        },
        token, timeout);
  }

  const event_log_stats& stats() const noexcept;

 private:
  void start_drain(std::chrono::milliseconds timeout,
                   boost::asio::any_completion_handler<void(boost::system::error_code)> handler);

  std::shared_ptr<detail::event_log_core> core_;
};

}  // namespace callcenterd::store
