#pragma once

// Call recordings on disk: one stereo WAV per bridged call (8000 Hz 16-bit PCM, caller left,
// agent right) at <root>/YYYY/MM/DD/<call-uuid>.wav. Producers hand over blocks of frames and
// never wait for the disk; one writer thread owned by the recording_writer does every file
// operation, in large blocks, flushing each file often enough that a crash loses little.
// A recording that cannot be written fails on its own: the call goes on, the other recordings
// go on, and the result says why.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::recording {

struct recording_writer_settings {
  std::filesystem::path root;  ///< recordings go to <root>/YYYY/MM/DD/<call-uuid>.wav
  /// Write buffer of each open recording (so memory is this times the recordings open):
  /// samples reach the file when it fills or at a flush.
  std::size_t buffer_bytes = std::size_t{256} * 1024;
  /// Longest time audio handed to a recording waits before its file is flushed (written and
  /// its header updated): what a crash may lose.
  std::chrono::milliseconds flush_interval{1000};
  /// Sync data and header to disk at every flush, so a power cut loses no more than a crash.
  bool sync_to_disk = true;
  /// Blocks waiting for the writer thread, across all recordings. A recording whose block
  /// would pass it fails instead of letting a slow disk grow memory without bound.
  std::size_t max_queued_bytes = std::size_t{64} * 1024 * 1024;
};

/// How a recording ended, handed to the close() callback.
struct recording_result {
  std::string call_uuid;
  std::filesystem::path path;
  std::chrono::system_clock::time_point start;
  /// Audio the file's header declares: what a player will play.
  std::chrono::milliseconds duration{0};
  std::uint64_t size_bytes = 0;  ///< the whole file as left on disk; 0 when there is none
  std::string sha256;            ///< lower-case hex of the whole file; empty when there is none
  bool failed = false;
  /// Why the recording failed, for an operator, e.g. "disk full: writing /var/rec/2024/05/01/
  /// 1b4e....wav: No space left on device (ENOSPC)". Empty when it did not.
  std::string failure;
};

/// Counters for /metrics. Written by producers and the writer thread; read from any thread.
struct recording_writer_stats {
  std::atomic<std::int64_t> active_recordings{0};            ///< opened, result not yet known
  std::atomic<std::uint64_t> bytes_written_total{0};         ///< sample bytes taken by the files
  std::atomic<std::uint64_t> recordings_completed_total{0};  ///< closed without failure
  std::atomic<std::uint64_t> recordings_failed_total{0};
  std::atomic<std::uint64_t> queued_bytes{0};  ///< handed over, not yet written or discarded
};

/// Where the recording of `call_uuid` started at `start` goes: <root>/YYYY/MM/DD/<uuid>.wav
/// with the UTC date of `start`. Pure; any thread.
std::filesystem::path recording_path(const std::filesystem::path& root, std::string_view call_uuid,
                                     std::chrono::system_clock::time_point start);

namespace detail {
class writer_core;
struct recording_state;
}  // namespace detail

/// One call's recording, made by recording_writer::open(). Thread-safe: every member may be
/// called from any thread or strand, and none waits for the disk.
class recording_file {
 public:
  /// Used by recording_writer::open(); not meant to be called elsewhere.
  recording_file(std::shared_ptr<detail::writer_core> core,
                 std::shared_ptr<detail::recording_state> state);
  recording_file(const recording_file&) = delete;
  recording_file& operator=(const recording_file&) = delete;
  /// Closes the recording as close() does, without a callback, if close() was not called.
  ~recording_file();

  /// Queues interleaved stereo frames (caller, agent, ...) for the writer thread. Does not
  /// block. Discarded once the recording failed or close() was called. A block that would
  /// take the writer's queue past max_queued_bytes fails the recording instead, and so does
  /// a block that is not whole frames. Any thread.
  void write(std::vector<std::int16_t> interleaved);

  /// Flushes and closes the file after every block queued before, hashes it, and calls
  /// `done` with the result on the writer thread (or at once on the calling thread when the
  /// writer has stopped). `done` must not block for long nor throw, nor call
  /// recording_writer::stop(). Only the first call closes; a later one gets the same result.
  /// Any thread.
  void close(std::function<void(const recording_result&)> done);

  [[nodiscard]] const std::string& call_uuid() const noexcept;
  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  /// True once the recording is known to have failed (it may have failed on the writer thread
  /// a moment earlier). Any thread.
  [[nodiscard]] bool failed() const noexcept;

 private:
  std::shared_ptr<detail::writer_core> core_;
  std::shared_ptr<detail::recording_state> state_;
};

/// Owns the writer thread and the queue that feeds it. Built by the composition root.
class recording_writer {
 public:
  /// Starts the writer thread; touches no file yet. Any thread.
  explicit recording_writer(recording_writer_settings settings);
  recording_writer(const recording_writer&) = delete;
  recording_writer& operator=(const recording_writer&) = delete;
  /// Calls stop().
  ~recording_writer();

  /// Starts the recording of `call_uuid` (letters, digits, '-', '_' and '.', not starting
  /// with '.', since it names the file). The file is created on the writer thread; a failure
  /// there shows in failed() and in the result. Never null: after stop(), or for an unusable
  /// id, the recording is failed from the start. Any thread.
  std::shared_ptr<recording_file> open(std::string call_uuid,
                                       std::chrono::system_clock::time_point start);

  /// Writes out everything queued, closes the recordings still open (as failed: the call had
  /// not ended) and joins the writer thread. Idempotent. Any thread except the writer thread
  /// (so not from a close() callback).
  void stop();

  [[nodiscard]] const recording_writer_stats& stats() const noexcept;
  [[nodiscard]] const recording_writer_settings& settings() const noexcept;

 private:
  std::shared_ptr<detail::writer_core> core_;
};

}  // namespace callcenterd::recording
