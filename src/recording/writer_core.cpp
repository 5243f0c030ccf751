#include "writer_core.hpp"

#include <algorithm>
#include <utility>

namespace callcenterd::recording::detail {

using std::chrono::steady_clock;

writer_core::writer_core(recording_writer_settings settings)
    : settings(std::move(settings)),
      read_buffer_(std::max(this->settings.buffer_bytes, std::size_t{64} * 1024)),
      thread_([this] { run(); }) {}

writer_core::~writer_core() { stop(); }

bool writer_core::submit(writer_job& job) {
  const std::lock_guard lock(mutex_);
  if (!accepting_) return false;
  queue_.push_back(std::move(job));
  // The thread only waits on an empty queue; while it works through a batch it looks again.
  if (queue_.size() == 1) wake_.notify_one();
  return true;
}

void writer_core::open(const std::shared_ptr<recording_state>& state) {
  stats.active_recordings.fetch_add(1, std::memory_order_relaxed);
  if (!state->failure.empty()) {
    state->failed = true;
    state->refusing = true;
  }
  writer_job job{.what = writer_job::kind::open, .state = state};
  if (!submit(job)) {
    // Not shared with the writer thread yet: close() will finish it on its caller's thread.
    if (state->failure.empty()) state->failure = "the recording writer is stopped";
    state->failed = true;
    state->refusing = true;
  }
}

void writer_core::write(const std::shared_ptr<recording_state>& state,
                        std::vector<std::int16_t> samples) {
  if (samples.empty() || state->refusing.load(std::memory_order_acquire)) return;
  const std::uint64_t bytes = samples.size() * sizeof(std::int16_t);
  // Compare and add as one step: a block refused for being too big never counts, not even
  // for a moment that could refuse somebody else's block too.
  auto before = stats.queued_bytes.load();
  while (before + bytes <= settings.max_queued_bytes &&
         !stats.queued_bytes.compare_exchange_weak(before, before + bytes)) {
  }
  if (before + bytes > settings.max_queued_bytes) {
    // Once: the blocks already queued are written, the rest of the call is not.
    if (!state->refusing.exchange(true)) {
      state->failed = true;
      writer_job job{.what = writer_job::kind::fail,
                     .state = state,
                     .reason = "recording queue full: " + std::to_string(before) +
                               " bytes waiting for the disk, over the limit of " +
                               std::to_string(settings.max_queued_bytes) +
                               " bytes; the rest of the call is not recorded"};
      submit(job);
    }
    return;
  }
  writer_job job{.what = writer_job::kind::write, .state = state, .samples = std::move(samples)};
  if (!submit(job)) stats.queued_bytes.fetch_sub(bytes);
}

void writer_core::close(const std::shared_ptr<recording_state>& state, done_handler done) {
  state->refusing = true;
  state->close_requested = true;
  writer_job job{.what = writer_job::kind::close, .state = state, .done = std::move(done)};
  if (!submit(job)) finish_without_thread(*state, job.done);
}

void writer_core::finish_without_thread(recording_state& state, const done_handler& done) {
  {
    // The writer thread finished every state it knew before it stopped accepting, under this
    // mutex; a state it never saw was refused at open() and has no file.
    const std::lock_guard lock(mutex_);
    if (!state.finished) {
      state.closed = true;
      state.result.call_uuid = state.call_uuid;
      state.result.path = state.path;
      state.result.start = state.start;
      finish(state);
    }
  }
  // Finished states never change again, so the result is read outside the lock.
  if (done) done(state.result);
}

void writer_core::stop() {
  const std::lock_guard join_lock(join_mutex_);
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::optional<steady_clock::time_point> writer_core::next_flush() const {
  std::optional<steady_clock::time_point> next;
  for (const auto& state : live_) {
    if (state->dirty && (!next || state->flush_due < *next)) next = state->flush_due;
  }
  return next;
}

void writer_core::run() {
  std::vector<writer_job> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (queue_.empty()) {
      if (stopping_) {
        if (live_.empty()) {
          accepting_ = false;
          return;
        }
        lock.unlock();
        abandon_live();  // queues their last hash steps
        lock.lock();
        continue;
      }
      const auto ready = [this] { return !queue_.empty() || stopping_; };
      if (const auto due = next_flush()) {
        wake_.wait_until(lock, *due, ready);
      } else {
        wake_.wait(lock, ready);
      }
      if (queue_.empty()) {
        lock.unlock();
        flush_due(steady_clock::now());
        lock.lock();
        continue;
      }
    }
    batch.swap(queue_);  // both keep their capacity: no allocation in steady state
    lock.unlock();
    for (auto& job : batch) execute(job);
    batch.clear();
    flush_due(steady_clock::now());
    lock.lock();
  }
}

}  // namespace callcenterd::recording::detail
