#pragma once

#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "callcenterd/media/wav.hpp"
#include "callcenterd/recording/recording_writer.hpp"

namespace callcenterd::recording::detail {

using done_handler = std::function<void(const recording_result&)>;

struct evp_md_ctx_deleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

// One recording. The first three members are fixed before the state is shared; the atomics
// are shared with producers; the rest belongs to the writer thread, and once that thread has
// ended, to whoever holds writer_core's mutex.
struct recording_state {
  recording_state(std::string uuid, std::filesystem::path file,
                  std::chrono::system_clock::time_point started)
      : call_uuid(std::move(uuid)), path(std::move(file)), start(started) {}

  const std::string call_uuid;
  const std::filesystem::path path;
  const std::chrono::system_clock::time_point start;

  std::atomic<bool> failed{false};
  std::atomic<bool> refusing{false};  // producers: discard blocks (failed, overflowed, closing)
  std::atomic<bool> close_requested{false};

  std::string failure;  // the first one; set by the producer only before the open job
  std::optional<media::blocking_wav_writer> wav;
  bool created = false;  // the file at `path` is ours (so it may be hashed and reported)
  bool dirty = false;    // samples taken since the last flush
  std::chrono::steady_clock::time_point flush_due;
  bool closed = false;  // the file is released; hashing or finished
  bool finished = false;
  int hash_fd = -1;
  std::unique_ptr<EVP_MD_CTX, evp_md_ctx_deleter> hash;
  std::uint64_t hashed_bytes = 0;
  recording_result result;
  std::vector<done_handler> done;
};

// A unit of work for the writer thread, queued in producer order.
struct writer_job {
  enum class kind : std::uint8_t { open, write, fail, close, hash };
  kind what = kind::write;
  std::shared_ptr<recording_state> state;
  std::vector<std::int16_t> samples{};  // write
  std::string reason{};                 // fail
  done_handler done{};                  // close
};

// The queue, the writer thread and everything it does. Producers call open(), write() and
// close() from any thread; they only touch the queue (under mutex_) and the states' atomics.
class writer_core {
 public:
  explicit writer_core(recording_writer_settings settings);
  writer_core(const writer_core&) = delete;
  writer_core& operator=(const writer_core&) = delete;
  ~writer_core();

  void open(const std::shared_ptr<recording_state>& state);
  void write(const std::shared_ptr<recording_state>& state, std::vector<std::int16_t> samples);
  void close(const std::shared_ptr<recording_state>& state, done_handler done);
  void stop();

  const recording_writer_settings settings;
  recording_writer_stats stats;

 private:
  // Queues `job` (moving from it) unless the writer thread is gone.
  bool submit(writer_job& job);
  void finish_without_thread(recording_state& state, const done_handler& done);
  void run();
  std::optional<std::chrono::steady_clock::time_point> next_flush() const;

  // Writer thread (recording_files.cpp).
  void execute(writer_job& job);
  void open_file(const std::shared_ptr<recording_state>& state);
  void write_file(recording_state& state, const std::vector<std::int16_t>& samples);
  void close_file(const std::shared_ptr<recording_state>& state, done_handler done);
  void hash_step(const std::shared_ptr<recording_state>& state);
  void flush_due(std::chrono::steady_clock::time_point now);
  void abandon_live();
  void fail(recording_state& state, std::string reason);
  void finish(recording_state& state);
  void forget(const recording_state& state);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<writer_job> queue_;
  bool stopping_ = false;
  bool accepting_ = true;  // false once the writer thread has finished every recording

  // Writer thread.
  std::vector<std::shared_ptr<recording_state>> live_;  // opened, not yet finished
  std::vector<std::uint8_t> read_buffer_;

  std::mutex join_mutex_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace callcenterd::recording::detail
