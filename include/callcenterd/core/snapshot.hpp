#pragma once

#include <memory>
#include <mutex>
#include <utility>

namespace callcenterd::core {

/// A value that many threads read and that is replaced whole now and then (the flow set in
/// force, the caller blocklist): a reader takes the version in force and keeps it as long as
/// it needs it; a replacement never waits for readers, and frees the old version (outside the
/// lock) once the last of them lets go. Thread-safe.
template <class T>
class snapshot {
 public:
  explicit snapshot(std::shared_ptr<const T> initial) : current_(std::move(initial)) {}

  [[nodiscard]] std::shared_ptr<const T> current() const {
    const std::lock_guard lock(mutex_);
    return current_;
  }

  void replace(std::shared_ptr<const T> next) {
    {
      const std::lock_guard lock(mutex_);
      current_.swap(next);
    }
    // `next` now holds the old version: freed here, outside the lock, unless readers still
    // hold it.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const T> current_;
};

}  // namespace callcenterd::core
