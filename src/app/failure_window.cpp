// Sliding-window failure counts for login throttling.
#include "failure_window.hpp"

#include <algorithm>

namespace callcenterd::app {

bool failure_window::full(const std::string& key, std::chrono::steady_clock::time_point now) {
  auto found = failures_.find(key);
  if (found == failures_.end()) return false;
  auto& times = found->second;
  while (!times.empty() && now - times.front() > window_) times.pop_front();
  if (times.empty()) {
    failures_.erase(found);
    return false;
  }
  return times.size() >= limit_;
}

void failure_window::add(const std::string& key, std::chrono::steady_clock::time_point now) {
  if (failures_.size() > prune_above) {
    std::erase_if(failures_, [&](const auto& entry) {
      return entry.second.empty() || now - entry.second.back() > window_;
    });
  }
  auto& times = failures_[key];
  times.push_back(now);
  while (times.size() > limit_) times.pop_front();
}

}  // namespace callcenterd::app
