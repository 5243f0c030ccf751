// Intake, batching, direct INSERTs and drain of the event log. The spool side (writes,
// replay, truncation) is in event_log_spool.cpp.
#include "event_log_core.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/assert.hpp>
#include <limits>
#include <stdexcept>

#include "callcenterd/core/uuid.hpp"
#include "event_codec.hpp"
#include "pg/event_insert.hpp"

namespace callcenterd::store::detail {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

event_log_settings normalized(event_log_settings s) {
  s.batch_size = std::max<std::size_t>(1, s.batch_size);
  s.max_memory_events = std::max(s.max_memory_events, s.batch_size);
  return s;
}

// PostgreSQL's timestamptz covers more, but the text form written by the codec is only
// unambiguous for four-digit years.
bool plausible_time(event::time_point at) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(at)};
  return ymd.year() >= std::chrono::year{1} && ymd.year() <= std::chrono::year{9999};
}

template <class Queued>
std::string join_rows(const std::vector<Queued>& batch) {
  std::vector<std::string> rows;
  rows.reserve(batch.size());
  for (const auto& q : batch) rows.push_back(q.row);
  return join_event_rows(rows);
}

}  // namespace

event_log_core::event_log_core(const asio::any_io_executor& executor, db_pool& pool,
                               event_log_settings settings)
    : settings_(normalized(std::move(settings))),
      pool_(pool),
      strand_(asio::make_strand(executor)),
      retry_backoff_(settings_.retry_initial_backoff, settings_.retry_max_backoff),
      flush_timer_(strand_),
      retry_timer_(strand_) {}

void event_log_core::blocking_open() {
  spool_open_report report;
  if (auto failure = spool_.blocking_open(settings_.spool_path, report)) {
    throw std::runtime_error("event log: " + failure.message);
  }
  spool_end_ = report.size;
  stats.spool_bytes.store(report.size);
  if (report.size == 0) return;
  spdlog::info("event log: spool {} holds {} events from an earlier run; replaying them",
               settings_.spool_path.string(), report.records);
  spooling_ = true;
  stats.degraded.store(true);
  asio::post(strand_, [self = shared_from_this()] { self->pump(); });
}

bool event_log_core::append(event e) {
  if (e.id.empty()) {
    e.id = core::make_uuid();
  } else if (!core::is_uuid(e.id)) {
    stats.rejected_total.fetch_add(1);
    spdlog::error("event log: rejected {} event with malformed id '{}'", e.kind, e.id);
    return false;
  }
  if (!plausible_time(e.occurred_at)) {
    stats.rejected_total.fetch_add(1);
    spdlog::error("event log: rejected {} event {} with an out-of-range time", e.kind, e.id);
    return false;
  }
  if (e.node.empty()) e.node = settings_.node;
  std::string row = encode_event_row(e);
  stats.appended_total.fetch_add(1);
  stats.backlog.fetch_add(1);
  bool post_now = false;
  {
    std::lock_guard lock(intake_mutex_);
    intake_.push_back(std::move(row));
    post_now = !std::exchange(intake_posted_, true);
  }
  // One post carries everything appended until the strand gets to it.
  if (post_now) {
    asio::post(strand_, [self = shared_from_this()] {
      self->take_intake();
      self->pump();
    });
  }
  return true;
}

void event_log_core::take_intake() {
  std::vector<std::string> rows;
  {
    std::lock_guard lock(intake_mutex_);
    rows.swap(intake_);
    intake_posted_ = false;
  }
  for (auto& row : rows) pending_.push_back({next_seq_++, std::move(row)});
}

bool event_log_core::flush_ready() const {
  return pending_.size() >= settings_.batch_size || flush_due_ || !waiters_.empty();
}

void event_log_core::pump() {
  BOOST_ASSERT(strand_.running_in_this_thread());
  if (closed_) return;
  if (!spooling_ && pending_.size() > settings_.max_memory_events) {
    spdlog::warn("event log: {} events waiting for PostgreSQL; spilling to the spool",
                 pending_.size());
    enter_spooling(true);
  }
  if (!spooling_) {
    if (!inserting_ && !truncating_ && !pending_.empty() && flush_ready()) start_insert();
  } else {
    // While replay makes progress new events wait in memory (they are newer than all of the
    // spool); when PostgreSQL is away, when memory runs short or when asked to drain, they
    // go to the spool behind everything already there.
    const bool over_memory = pending_.size() > settings_.max_memory_events;
    const bool must_spool = !database_answering_ || !waiters_.empty() || over_memory;
    if (must_spool && !spool_writing_ && !spool_blocked_ && !truncating_ && !pending_.empty() &&
        (flush_ready() || over_memory)) {
      start_spool_write(
          {std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end())});
      pending_.clear();
    }
    if (!replaying_ && !inserting_ && !truncating_ && !retry_armed_) {
      if (replay_cursor_ < spool_end_) {
        start_replay_read();
      } else if (!spool_writing_) {
        start_truncate();  // everything spooled is in PostgreSQL: back to direct writes
      }
    }
  }
  if (!pending_.empty() && !flush_ready()) arm_flush_timer();
  check_waiters();
}

void event_log_core::arm_flush_timer() {
  if (flush_armed_ || closed_) return;
  flush_armed_ = true;
  flush_timer_.expires_after(settings_.flush_interval);
  flush_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    self->flush_armed_ = false;
    if (ec || self->closed_) return;
    self->flush_due_ = true;
    self->pump();
  });
}

void event_log_core::arm_retry() {
  if (retry_armed_ || closed_) return;
  retry_armed_ = true;
  retry_timer_.expires_after(retry_backoff_.next());
  retry_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (ec || self->closed_) return;
    self->retry_armed_ = false;
    self->spool_blocked_ = false;
    self->pump();
  });
}

void event_log_core::start_insert() {
  const std::size_t count = std::min(settings_.batch_size, pending_.size());
  in_flight_.assign(std::make_move_iterator(pending_.begin()),
                    std::make_move_iterator(pending_.begin() + static_cast<long>(count)));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(count));
  inserting_ = true;
  in_flight_spooled_ = false;
  // Whatever is left has waited for this batch already; it goes as soon as the batch is in.
  flush_due_ = !pending_.empty();
  pool_.async_run<std::size_t>(
      make_event_insert_job(join_rows(in_flight_)),
      asio::bind_executor(strand_, [self = shared_from_this()](error_code ec, std::size_t n) {
        self->on_insert_done(ec, n);
      }));
}

void event_log_core::on_insert_done(error_code ec, std::size_t inserted) {
  if (closed_) return;
  inserting_ = false;
  std::vector<queued> batch = std::move(in_flight_);
  in_flight_.clear();
  const bool copy_spooled = std::exchange(in_flight_spooled_, false);
  if (!ec) {
    stats.written_total.fetch_add(inserted);
    if (!copy_spooled) stats.backlog.fetch_sub(static_cast<std::int64_t>(batch.size()));
    if (!spooling_) retry_backoff_.reset();
    if (!pending_.empty()) flush_due_ = true;
  } else {
    if (!spooling_) {
      spdlog::warn("event log: PostgreSQL write failed ({}: {}); spooling events until it is back",
                   ec.message(), pool_.last_error().message);
    }
    if (!copy_spooled) {
      enter_spooling(false);
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) pending_.push_front(std::move(*it));
      flush_due_ = true;
    } else {
      database_answering_ = false;
    }
    arm_retry();
  }
  pump();
}

void event_log_core::enter_spooling(bool database_answering) {
  if (!spooling_) {
    spooling_ = true;
    stats.degraded.store(true);
  }
  database_answering_ = database_answering;
  if (inserting_ && !in_flight_spooled_) {
    // The INSERT in flight may still fail. A copy ahead of everything newer keeps the spool
    // in order either way; if the INSERT succeeds, replay finds the ids and skips them.
    in_flight_spooled_ = true;
    for (auto it = in_flight_.rbegin(); it != in_flight_.rend(); ++it) pending_.push_front(*it);
  }
}

void event_log_core::force_to_spool() {
  if (oldest_undurable_seq() == std::numeric_limits<std::uint64_t>::max()) return;
  enter_spooling(false);
  flush_due_ = true;
  arm_retry();
}

std::uint64_t event_log_core::oldest_undurable_seq() const {
  std::uint64_t oldest = std::numeric_limits<std::uint64_t>::max();
  if (!pending_.empty()) oldest = std::min(oldest, pending_.front().seq);
  if (inserting_ && !in_flight_spooled_ && !in_flight_.empty()) {
    oldest = std::min(oldest, in_flight_.front().seq);
  }
  if (spool_writing_) oldest = std::min(oldest, spool_write_first_seq_);
  return oldest;
}

void event_log_core::drain(std::chrono::milliseconds timeout, drain_handler handler) {
  asio::post(strand_, [self = shared_from_this(), timeout, h = std::move(handler)]() mutable {
    self->take_intake();
    drain_waiter waiter{self->next_seq_ - 1, std::move(h), nullptr, nullptr, false};
    waiter.timer = std::make_shared<asio::steady_timer>(self->strand_, timeout);
    waiter.timer->async_wait([self, timer = waiter.timer.get()](const error_code& ec) {
      if (ec || self->closed_) return;
      for (auto& w : self->waiters_) {
        if (w.timer.get() == timer) w.expired = true;
      }
      self->force_to_spool();
      self->pump();
    });
    self->waiters_.push_back(std::move(waiter));
    self->pump();
  });
}

void event_log_core::complete_later(drain_handler handler, error_code result) {
  // Deferred to a later turn of the strand so that a caller reacting to the completion
  // (say, by destroying the log) never runs inside this object's own bookkeeping; then
  // handed to the handler's own executor.
  asio::post(strand_, [self = shared_from_this(), h = std::move(handler), result]() mutable {
    auto executor = asio::get_associated_executor(h, self->strand_);
    asio::dispatch(executor, [h = std::move(h), result]() mutable { std::move(h)(result); });
  });
}

void event_log_core::check_waiters() {
  const std::uint64_t oldest = oldest_undurable_seq();
  bool close_done = false;
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    error_code result;
    if (oldest <= it->target_seq) {
      // Past the deadline with the spool refusing writes there is nothing left to wait for.
      if (!(it->expired && spool_blocked_)) {
        ++it;
        continue;
      }
      result = make_error_code(spool_errc::io_failed);
    }
    if (it->timer) it->timer->cancel();
    if (it->handler) complete_later(std::move(*it->handler), result);
    if (it->close_signal) {
      close_done = true;
      it->close_signal->set_value();
    }
    it = waiters_.erase(it);
  }
  if (close_done) finish_close();
}

void event_log_core::blocking_close() {
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  asio::post(strand_, [self = shared_from_this(), done] {
    self->take_intake();
    drain_waiter waiter{self->next_seq_ - 1, std::nullopt, done, nullptr, true};
    self->waiters_.push_back(std::move(waiter));
    self->force_to_spool();
    self->pump();
  });
  if (finished.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    spdlog::error("event log: could not spool {} events at stop (is the io_context running?)",
                  stats.backlog.load());
  }
  file_pool_.join();
}

void event_log_core::finish_close() {
  closed_ = true;
  flush_timer_.cancel();
  retry_timer_.cancel();
  for (auto& w : waiters_) {
    if (w.timer) w.timer->cancel();
    if (w.handler) complete_later(std::move(*w.handler), make_error_code(db_errc::stopped));
  }
  waiters_.clear();
}

}  // namespace callcenterd::store::detail
