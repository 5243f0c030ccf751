#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "callcenterd/call/call_detail_record.hpp"

namespace callcenterd::call {

/// What a call in progress is doing now, for the API's live views: its parties, where it is
/// and since when. Built from the call's timeline on the call's strand.
struct live_call {
  std::string id{};  ///< the call's UUID
  std::string caller{};
  std::string caller_name{};
  std::string dialed{};
  /// "setup" (nothing begun yet), "ivr", "queued", "ringing", "talking", "held",
  /// "transferring": the most telling of its open segments.
  std::string state{};
  std::string queue{};  ///< the last queue it waited in
  std::string agent{};  ///< the agent or extension ringing or talking, if any
  wall_clock::time_point started{};
  wall_clock::time_point state_since{};
  std::optional<wall_clock::time_point> connected{};
  std::string callback_of{};
  /// What the flow knew when it handed the call to a queue (name, value as text).
  std::vector<std::pair<std::string, std::string>> variables{};
};

/// The calls in progress as the API sees them. Each call puts its view here when it changes
/// and erases it when it ends; readers copy under a lock, so reading never waits for a call's
/// strand. Thread-safe: any thread.
class live_call_board {
 public:
  /// Told of every change after it is made: the call as it is now, or (ended) as it was last.
  /// Runs on the changing call's strand, outside the board's lock; it must not block. Set
  /// before calls start.
  using listener = std::function<void(const live_call& call, bool ended)>;
  void set_listener(listener tell) { listener_ = std::move(tell); }

  void put(live_call call);
  void erase(const std::string& id);
  /// Every call in progress, oldest first.
  [[nodiscard]] std::vector<live_call> all() const;
  [[nodiscard]] std::optional<live_call> find(const std::string& id) const;
  [[nodiscard]] std::size_t size() const;

 private:
  listener listener_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, live_call> calls_;
};

}  // namespace callcenterd::call
