// The writer thread's side of writer_core: every file operation of every recording.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "callcenterd/core/encoding.hpp"
#include "callcenterd/core/logging.hpp"
#include "writer_core.hpp"

namespace callcenterd::recording::detail {
namespace {

using std::chrono::steady_clock;

constexpr std::size_t frame_bytes = media::blocking_wav_writer::frame_bytes;
constexpr std::uint64_t frames_per_ms = media::wav_sample_rate / 1000;

// Reading a long recording back for its checksum is split into steps of this size, queued
// behind the other recordings' blocks, so that it never holds them up for long.
constexpr std::size_t hash_step_bytes = std::size_t{1024} * 1024;

bool is_errno(const boost::system::error_code& ec) {
  return ec.category() == boost::system::system_category() ||
         ec.category() == boost::system::generic_category();
}

// "disk full: writing /r/2024/05/01/x.wav: No space left on device (ENOSPC)"
std::string describe(std::string_view action, const std::filesystem::path& path,
                     const boost::system::error_code& ec) {
  std::string text;
  if (is_errno(ec) && (ec.value() == ENOSPC || ec.value() == EDQUOT)) text = "disk full: ";
  text.append(action).append(" ").append(path.string()).append(": ").append(ec.message());
  const char* name = is_errno(ec) ? ::strerrorname_np(ec.value()) : nullptr;
  if (name != nullptr) text.append(" (").append(name).append(")");
  return text;
}

boost::system::error_code errno_code(int value) {
  return {value, boost::system::system_category()};
}

}  // namespace

void writer_core::execute(writer_job& job) {
  switch (job.what) {
    case writer_job::kind::open:
      open_file(job.state);
      break;
    case writer_job::kind::write:
      stats.queued_bytes.fetch_sub(job.samples.size() * sizeof(std::int16_t));
      write_file(*job.state, job.samples);
      break;
    case writer_job::kind::fail:
      if (!job.state->closed) fail(*job.state, std::move(job.reason));
      break;
    case writer_job::kind::close:
      close_file(job.state, std::move(job.done));
      break;
    case writer_job::kind::hash:
      hash_step(job.state);
      break;
  }
}

void writer_core::open_file(const std::shared_ptr<recording_state>& state) {
  live_.push_back(state);
  if (!state->failure.empty()) return;  // refused by open(): no file to make
  state->wav.emplace(media::wav_writer_settings{.buffer_bytes = settings.buffer_bytes,
                                                .sync_to_disk = settings.sync_to_disk});
  const auto ec = state->wav->open(state->path);
  // The writer keeps a file it created open even when writing its header failed.
  state->created = state->wav->is_open();
  if (ec) fail(*state, describe("creating", state->path, ec));
}

void writer_core::write_file(recording_state& state, const std::vector<std::int16_t>& samples) {
  if (state.closed || !state.failure.empty() || !state.wav) return;
  if (samples.size() % media::blocking_wav_writer::channels != 0) {
    fail(state, "a block of " + std::to_string(samples.size()) +
                    " samples is not whole stereo frames (a bug in the caller)");
    return;
  }
  if (const auto ec = state.wav->append(samples)) {
    fail(state, describe("writing", state.path, ec));
    return;
  }
  stats.bytes_written_total.fetch_add(samples.size() * sizeof(std::int16_t),
                                      std::memory_order_relaxed);
  if (!state.dirty) {
    state.dirty = true;
    state.flush_due = steady_clock::now() + settings.flush_interval;
  }
}

void writer_core::flush_due(steady_clock::time_point now) {
  for (const auto& state : live_) {
    if (!state->dirty || state->flush_due > now) continue;
    state->dirty = false;
    if (!state->failure.empty()) continue;
    if (const auto ec = state->wav->flush()) fail(*state, describe("flushing", state->path, ec));
  }
}

void writer_core::close_file(const std::shared_ptr<recording_state>& state, done_handler done) {
  if (done) {
    if (state->finished) {
      done(state->result);
      return;
    }
    state->done.push_back(std::move(done));
  }
  if (state->closed) return;  // a second close while the first is being hashed
  state->closed = true;
  state->dirty = false;
  auto& result = state->result;
  result.call_uuid = state->call_uuid;
  result.path = state->path;
  result.start = state->start;
  if (state->wav) {
    if (const auto ec = state->wav->close()) fail(*state, describe("closing", state->path, ec));
    const auto frames = state->wav->flushed_data_bytes() / frame_bytes;
    result.duration = std::chrono::milliseconds(frames / frames_per_ms);
  }
  // Only a file this recording created is read back: a failed open may have met a file of
  // the same name that belongs to someone else.
  if (state->created) {
    state->hash_fd = ::open(state->path.c_str(), O_RDONLY | O_CLOEXEC);
    if (state->hash_fd < 0) {
      fail(*state, describe("reading back", state->path, errno_code(errno)));
    } else {
      state->hash.reset(EVP_MD_CTX_new());
      if (!state->hash || EVP_DigestInit_ex(state->hash.get(), EVP_sha256(), nullptr) != 1) {
        fail(*state, "cannot start a SHA-256 digest for " + state->path.string());
      } else {
        hash_step(state);
        return;
      }
    }
  }
  finish(*state);
}

void writer_core::hash_step(const std::shared_ptr<recording_state>& state) {
  std::size_t done = 0;
  bool ok = true;
  bool at_end = false;
  while (done < hash_step_bytes) {
    const ssize_t n = ::read(state->hash_fd, read_buffer_.data(), read_buffer_.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(*state, describe("reading back", state->path, errno_code(errno)));
      ok = false;
      break;
    }
    if (n == 0) {
      at_end = true;
      break;
    }
    if (EVP_DigestUpdate(state->hash.get(), read_buffer_.data(), static_cast<std::size_t>(n)) !=
        1) {
      fail(*state, "SHA-256 digest of " + state->path.string() + " failed");
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
    state->hashed_bytes += static_cast<std::uint64_t>(n);
  }
  if (ok && !at_end) {
    writer_job next{.what = writer_job::kind::hash, .state = state};
    submit(next);  // accepted: this thread is the one that stops accepting
    return;
  }
  if (ok) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(state->hash.get(), digest.data(), &size) == 1) {
      state->result.size_bytes = state->hashed_bytes;
      state->result.sha256 = core::to_hex({digest.data(), size});
    } else {
      fail(*state, "SHA-256 digest of " + state->path.string() + " failed");
    }
  }
  ::close(state->hash_fd);
  state->hash_fd = -1;
  state->hash.reset();
  finish(*state);
}

void writer_core::abandon_live() {
  // Copies: closing may finish a recording and take it out of live_.
  const auto live = live_;
  for (const auto& state : live) {
    if (state->closed) continue;
    fail(*state, "the recording writer stopped before the recording was closed");
    close_file(state, nullptr);
  }
}

void writer_core::fail(recording_state& state, std::string reason) {
  state.failed = true;
  state.refusing = true;
  if (!state.failure.empty()) return;  // the first failure is the one that explains the rest
  core::log_for(state.call_uuid, spdlog::level::warn, "recording: failed: {}", reason);
  state.failure = std::move(reason);
}

void writer_core::finish(recording_state& state) {
  state.finished = true;
  state.result.failed = !state.failure.empty();
  state.result.failure = state.failure;
  state.wav.reset();  // its buffer is the largest thing a recording holds
  stats.active_recordings.fetch_sub(1, std::memory_order_relaxed);
  auto& total =
      state.result.failed ? stats.recordings_failed_total : stats.recordings_completed_total;
  total.fetch_add(1, std::memory_order_relaxed);
  auto done = std::move(state.done);
  state.done.clear();
  for (const auto& callback : done) callback(state.result);
  forget(state);  // last: from here only the caller's reference keeps `state` alive
}

void writer_core::forget(const recording_state& state) {
  const auto it = std::find_if(live_.begin(), live_.end(),
                               [&](const auto& live) { return live.get() == &state; });
  if (it == live_.end()) return;
  std::swap(*it, live_.back());
  live_.pop_back();
}

}  // namespace callcenterd::recording::detail
