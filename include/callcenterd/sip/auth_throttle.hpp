#pragma once

// Per-source throttling of failed authentications: a source that fails too often in a window
// gets no answers for a while, so password guessing costs hours instead of seconds. No I/O and
// no clock reads; the caller passes the time.

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>

namespace callcenterd::sip {

/// Built by the app from configuration.
struct throttle_settings {
  /// Failures within `window` that block a source; 0 switches throttling off.
  std::uint32_t max_failures = 10;
  /// The window opens at a source's first failure and lasts this long (a fixed window).
  std::chrono::seconds window{60};
  /// How long a blocked source gets no answers.
  std::chrono::seconds block_for{300};
  /// Most sources remembered (about 150 bytes each); when full, the least recently failing
  /// source is forgotten, even if blocked.
  std::size_t max_tracked_sources = 100000;
};

/// A snapshot of the throttle for metrics.
struct throttle_stats {
  std::uint64_t blocked_drops = 0;   ///< requests dropped because their source was blocked
  std::uint64_t blocks_imposed = 0;  ///< times a source became blocked
  std::size_t blocked_sources = 0;   ///< sources blocked right now
  std::size_t tracked_sources = 0;   ///< sources in the table
};

/// Counts failed authentications per source address (IPv4-mapped IPv6 counts as IPv4) and
/// blocks a source after too many. One source's failures never affect another. Thread-safe:
/// one mutex; every member may be called from any strand.
class auth_throttle {
 public:
  using clock = std::chrono::steady_clock;

  /// Throws std::invalid_argument for a zero window, block time or table size. Start-up only.
  explicit auth_throttle(throttle_settings settings);

  /// Counts a failed authentication from `source`; true when the source is (now) blocked.
  bool record_failure(const boost::asio::ip::address& source, clock::time_point now);

  /// Forgets the failures of `source` after a successful authentication. An active block
  /// stays: a success must not let a guesser with one valid account wipe its record.
  void record_success(const boost::asio::ip::address& source, clock::time_point now);

  /// True when requests from `source` must go unanswered; counts a drop when true, so call
  /// it once per request.
  bool is_blocked(const boost::asio::ip::address& source, clock::time_point now);

  throttle_stats stats(clock::time_point now);

 private:
  struct entry {
    clock::time_point window_start;
    std::uint32_t failures = 0;
    clock::time_point blocked_until;
    std::list<boost::asio::ip::address>::iterator recency;
  };
  using entry_map = std::unordered_map<boost::asio::ip::address, entry>;

  entry& touch(const boost::asio::ip::address& source, clock::time_point now);
  void erase(entry_map::iterator it);
  void prune(clock::time_point now);

  const throttle_settings settings_;
  std::mutex mutex_;
  entry_map entries_;
  /// Least recently failing source first.
  std::list<boost::asio::ip::address> recency_;
  /// (blocked_until, source) of every block still in entries_, to count active blocks.
  std::set<std::pair<clock::time_point, boost::asio::ip::address>> blocks_;
  std::uint64_t blocked_drops_ = 0;
  std::uint64_t blocks_imposed_ = 0;
};

}  // namespace callcenterd::sip
