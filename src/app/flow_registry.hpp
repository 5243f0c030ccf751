#pragma once

#include <memory>
#include <mutex>
#include <utility>

#include "callcenterd/ivr/flow_set.hpp"

namespace callcenterd::app {

/// The flow set in force. A reload replaces it whole; a call takes the set once, when its
/// flow starts, and keeps it to the end, so calls in progress finish on the version they
/// started with while new calls take the new one. Thread-safe.
class flow_registry {
 public:
  explicit flow_registry(std::shared_ptr<const ivr::flow_set> initial)
      : current_(std::move(initial)) {}

  [[nodiscard]] std::shared_ptr<const ivr::flow_set> current() const {
    const std::lock_guard lock(mutex_);
    return current_;
  }

  void replace(std::shared_ptr<const ivr::flow_set> next) {
    {
      const std::lock_guard lock(mutex_);
      current_.swap(next);
    }
    // `next` now holds the old set: it is freed here, outside the lock, unless calls that
    // started on it still hold it.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const ivr::flow_set> current_;
};

}  // namespace callcenterd::app
