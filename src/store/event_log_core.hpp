#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <vector>

#include "callcenterd/store/backoff.hpp"
#include "callcenterd/store/event_log.hpp"
#include "spool_file.hpp"

namespace callcenterd::store::detail {

/// The state machine behind event_log. Everything below "strand state" is touched only on
/// strand_; the spool file only on file_pool_; producers only touch the intake queue.
///
/// Modes: direct (pending events go to PostgreSQL in batches, one INSERT in flight) and
/// spooling (the spool holds events PostgreSQL has not seen; new events go behind them).
/// Ordering rule: an event reaches PostgreSQL only after every older spooled event has.
class event_log_core : public std::enable_shared_from_this<event_log_core> {
 public:
  using drain_handler = boost::asio::any_completion_handler<void(boost::system::error_code)>;

  event_log_core(const boost::asio::any_io_executor& executor, db_pool& pool,
                 event_log_settings settings);

  /// Start-up, constructor thread: opens the spool; replay starts if it holds events.
  void blocking_open();
  /// Any thread.
  bool append(event e);
  /// Any thread.
  void drain(std::chrono::milliseconds timeout, drain_handler handler);
  /// Destructor thread: spools what is in memory, stops timers, joins the file thread.
  void blocking_close();

  event_log_stats stats;

 private:
  struct queued {
    std::uint64_t seq;
    std::string row;
  };
  struct drain_waiter {
    std::uint64_t target_seq;
    std::optional<drain_handler> handler;
    std::shared_ptr<std::promise<void>> close_signal;
    std::shared_ptr<boost::asio::steady_timer> timer;
    bool expired = false;
  };

  // Strand: intake and scheduling (event_log_core.cpp).
  void take_intake();
  void pump();
  bool flush_ready() const;
  void arm_flush_timer();
  void arm_retry();
  void start_insert();
  void on_insert_done(boost::system::error_code ec, std::size_t inserted);
  void enter_spooling(bool database_answering);
  void force_to_spool();
  std::uint64_t oldest_undurable_seq() const;
  void check_waiters();
  void complete_later(drain_handler handler, boost::system::error_code result);
  void finish_close();

  // Strand, with work on file_pool_ (event_log_spool.cpp).
  void start_spool_write(std::vector<queued> batch);
  void on_spool_written(const store_error& error, std::uint64_t new_size,
                        std::vector<queued> batch);
  void start_replay_read();
  void on_replay_read(const store_error& error, spool_read_batch batch);
  void on_replay_inserted(boost::system::error_code ec, std::size_t sent, std::size_t inserted,
                          std::uint64_t next_offset);
  void start_truncate();
  void on_truncated(const store_error& error);

  const event_log_settings settings_;
  db_pool& pool_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::thread_pool file_pool_{1};
  spool_file spool_;  // file_pool_ only (and the constructor thread before start)

  std::mutex intake_mutex_;
  std::vector<std::string> intake_;  // encoded rows, producer order
  bool intake_posted_ = false;

  // Strand state.
  std::deque<queued> pending_;
  std::vector<queued> in_flight_;  // direct INSERT batch
  bool inserting_ = false;
  bool in_flight_spooled_ = false;  // a copy of in_flight_ went to the spool
  bool spool_writing_ = false;
  std::uint64_t spool_write_first_seq_ = 0;  // oldest event in the write in progress
  bool spool_blocked_ = false;               // last write failed; wait for the retry timer
  bool spooling_ = false;
  bool database_answering_ = true;
  bool replaying_ = false;
  bool truncating_ = false;
  bool flush_due_ = false;
  bool flush_armed_ = false;
  bool retry_armed_ = false;
  bool closed_ = false;
  std::uint64_t spool_end_ = 0;      // bytes of completed writes
  std::uint64_t replay_cursor_ = 0;  // bytes already confirmed in PostgreSQL
  std::uint64_t next_seq_ = 1;
  backoff retry_backoff_;
  boost::asio::steady_timer flush_timer_;
  boost::asio::steady_timer retry_timer_;
  std::vector<drain_waiter> waiters_;
};

}  // namespace callcenterd::store::detail
