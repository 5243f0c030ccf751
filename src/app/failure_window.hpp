#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <string>

namespace callcenterd::app {

/// Counts recent failures by key (a user name, a client address) within a sliding window,
/// for throttling logins. Memory stays bounded whatever keys an attacker makes up: each key
/// keeps at most `limit` times, and past `prune_above` keys those with nothing in the window
/// go. Not thread-safe: the owner locks.
class failure_window {
 public:
  failure_window(unsigned limit, std::chrono::seconds window) : limit_(limit), window_(window) {}

  /// Whether `key` has `limit` failures within the window at `now`.
  bool full(const std::string& key, std::chrono::steady_clock::time_point now);
  void add(const std::string& key, std::chrono::steady_clock::time_point now);
  void clear(const std::string& key) { failures_.erase(key); }
  [[nodiscard]] std::size_t keys() const { return failures_.size(); }

  static constexpr std::size_t prune_above = 10000;

 private:
  unsigned limit_;
  std::chrono::seconds window_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures_;
};

}  // namespace callcenterd::app
