#pragma once

#include <chrono>

namespace callcenterd::store {

/// Exponential backoff for reconnect and retry timers: the first delay is `initial`, each
/// further failure doubles it, and it never exceeds `maximum`. A success calls reset().
/// Plain value type with no clock and no locking: the owner's strand or thread drives it.
class backoff {
 public:
  using duration = std::chrono::milliseconds;

  /// `maximum` below `initial` is raised to `initial`; a non-positive `initial` becomes 1 ms
  /// so that a retry loop can never spin.
  backoff(duration initial, duration maximum) noexcept;

  /// The delay to wait before the next attempt; doubles the delay after it (up to maximum).
  duration next() noexcept;

  /// The delay next() would return, without advancing.
  duration peek() const noexcept { return current_; }

  /// Back to the initial delay after a success.
  void reset() noexcept { current_ = initial_; }

 private:
  duration initial_;
  duration maximum_;
  duration current_;
};

}  // namespace callcenterd::store
