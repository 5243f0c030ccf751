// The board of calls in progress: a locked map of small views, copied out to readers.
#include "callcenterd/call/live_calls.hpp"

#include <algorithm>

namespace callcenterd::call {

void live_call_board::put(live_call call) {
  std::optional<live_call> told;
  if (listener_) told = call;
  {
    const std::lock_guard lock(mutex_);
    auto id = call.id;
    calls_.insert_or_assign(std::move(id), std::move(call));
  }
  if (told) listener_(*told, false);
}

void live_call_board::erase(const std::string& id) {
  std::optional<live_call> last;
  {
    const std::lock_guard lock(mutex_);
    const auto found = calls_.find(id);
    if (found == calls_.end()) return;
    last = std::move(found->second);
    calls_.erase(found);
  }
  if (listener_) listener_(*last, true);
}

std::vector<live_call> live_call_board::all() const {
  std::vector<live_call> out;
  {
    const std::lock_guard lock(mutex_);
    out.reserve(calls_.size());
    for (const auto& [id, call] : calls_) out.push_back(call);
  }
  std::sort(out.begin(), out.end(), [](const live_call& a, const live_call& b) {
    return a.started != b.started ? a.started < b.started : a.id < b.id;
  });
  return out;
}

std::optional<live_call> live_call_board::find(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  const auto found = calls_.find(id);
  if (found == calls_.end()) return std::nullopt;
  return found->second;
}

std::size_t live_call_board::size() const {
  const std::lock_guard lock(mutex_);
  return calls_.size();
}

}  // namespace callcenterd::call
