// The spool side of the event log: fsync'd appends, in-order replay into PostgreSQL, and
// truncation once the spool is fully replayed. File work runs on file_pool_; results come
// back to the strand.
#include <spdlog/spdlog.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "event_codec.hpp"
#include "event_log_core.hpp"
#include "pg/event_insert.hpp"

namespace callcenterd::store::detail {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

}  // namespace

void event_log_core::start_spool_write(std::vector<queued> batch) {
  spool_writing_ = true;
  spool_write_first_seq_ = batch.front().seq;
  flush_due_ = false;
  asio::post(file_pool_, [self = shared_from_this(), batch = std::move(batch)]() mutable {
    std::vector<std::string_view> rows;
    rows.reserve(batch.size());
    for (const auto& q : batch) rows.emplace_back(q.row);
    store_error failure = self->spool_.blocking_append(rows);
    const std::uint64_t size = self->spool_.size();
    asio::post(self->strand_,
               [self, failure = std::move(failure), size, batch = std::move(batch)]() mutable {
                 self->on_spool_written(failure, size, std::move(batch));
               });
  });
}

void event_log_core::on_spool_written(const store_error& failure, std::uint64_t new_size,
                                      std::vector<queued> batch) {
  if (closed_) return;
  spool_writing_ = false;
  if (!failure) {
    spool_end_ = new_size;
    spool_blocked_ = false;
    stats.spool_bytes.store(new_size);
    stats.spooled_total.fetch_add(batch.size());
    stats.backlog.fetch_sub(static_cast<std::int64_t>(batch.size()));
  } else {
    spdlog::error("event log: {}; {} events stay in memory and the write is retried",
                  failure.message, batch.size());
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) pending_.push_front(std::move(*it));
    spool_blocked_ = true;
    arm_retry();
  }
  pump();
}

void event_log_core::start_replay_read() {
  replaying_ = true;
  asio::post(file_pool_, [self = shared_from_this(), from = replay_cursor_, to = spool_end_,
                          max = settings_.batch_size] {
    spool_read_batch batch;
    store_error failure = self->spool_.blocking_read(from, to, max, batch);
    asio::post(self->strand_,
               [self, failure = std::move(failure), batch = std::move(batch)]() mutable {
                 self->on_replay_read(failure, std::move(batch));
               });
  });
}

void event_log_core::on_replay_read(const store_error& failure, spool_read_batch batch) {
  if (closed_) return;
  if (failure) {
    replaying_ = false;
    spdlog::error("event log: cannot read the spool: {}", failure.message);
    arm_retry();
    return pump();
  }
  if (batch.corrupt_records > 0) {
    spdlog::error("event log: {} spooled events fail their checksum and are lost",
                  batch.corrupt_records);
  }
  // A record that passed its checksum but is not one of our rows would fail the whole
  // INSERT on every retry; it is dropped loudly instead of blocking everything behind it.
  std::erase_if(batch.payloads, [](const std::string& row) {
    if (decode_event_row(row)) return false;
    spdlog::error("event log: dropping unreadable spool record: {:.200}", row);
    return true;
  });
  if (batch.payloads.empty()) {
    replaying_ = false;
    replay_cursor_ = batch.next_offset;
    return pump();
  }
  const std::size_t sent = batch.payloads.size();
  pool_.async_run<std::size_t>(
      make_event_insert_job(join_event_rows(batch.payloads)),
      asio::bind_executor(strand_, [self = shared_from_this(), sent, next = batch.next_offset](
                                       error_code ec, std::size_t n) {
        self->on_replay_inserted(ec, sent, n, next);
      }));
}

void event_log_core::on_replay_inserted(error_code ec, std::size_t sent, std::size_t inserted,
                                        std::uint64_t next_offset) {
  if (closed_) return;
  replaying_ = false;
  if (ec) {
    if (database_answering_) {
      spdlog::warn("event log: replay stopped ({}: {}); retrying with backoff", ec.message(),
                   pool_.last_error().message);
    }
    database_answering_ = false;
    arm_retry();
  } else {
    if (!database_answering_) spdlog::info("event log: PostgreSQL answers; replaying the spool");
    database_answering_ = true;
    retry_backoff_.reset();
    replay_cursor_ = next_offset;
    stats.replayed_total.fetch_add(sent);
    stats.written_total.fetch_add(inserted);
  }
  pump();
}

void event_log_core::start_truncate() {
  truncating_ = true;
  asio::post(file_pool_, [self = shared_from_this()] {
    store_error failure = self->spool_.blocking_truncate();
    asio::post(self->strand_,
               [self, failure = std::move(failure)] { self->on_truncated(failure); });
  });
}

void event_log_core::on_truncated(const store_error& failure) {
  if (closed_) return;
  truncating_ = false;
  if (failure) {
    // Everything in the file is in PostgreSQL already, so direct writes may resume; the
    // cursor stays at the end and a later outage appends and replays from there.
    spdlog::warn("event log: {}; continuing without reclaiming the space", failure.message);
  } else {
    spool_end_ = 0;
    replay_cursor_ = 0;
    stats.spool_bytes.store(0);
  }
  spooling_ = false;
  database_answering_ = true;
  stats.degraded.store(false);
  retry_backoff_.reset();
  flush_due_ = !pending_.empty();
  spdlog::info("event log: spool replayed; writing to PostgreSQL directly again");
  pump();
}

}  // namespace callcenterd::store::detail
