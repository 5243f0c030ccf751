#pragma once

// Replay protection for nonce-counts (RFC 7616 §3.4: "if the same nc-value is seen twice,
// then the request is a replay"): the highest accepted nc per nonce, in bounded memory.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace callcenterd::sip::auth_detail {

/// Thread-safe: one mutex around the table.
class nonce_counts {
 public:
  using clock = std::chrono::steady_clock;

  /// Remembers at most `capacity` nonces (> 0). Nonces older than `lifetime` are dropped
  /// first: they fail the freshness check before their count matters.
  nonce_counts(std::size_t capacity, clock::duration lifetime);

  /// Records `nc` for `nonce` (issued at `issued_at`) and returns true when it is above every
  /// count accepted for that nonce. False for a replay, and for a nonce not in the table that
  /// is no newer than one the table had to forget: its history is lost, so it cannot be
  /// trusted. Call only after the response was verified, so that strangers cannot use up a
  /// client's counts.
  bool accept(std::string_view nonce, clock::time_point issued_at, std::uint32_t nc,
              clock::time_point now);

  std::size_t size() const;

 private:
  using age_index = std::multimap<clock::time_point, const std::string*>;
  struct entry {
    std::uint32_t last_nc = 0;
    age_index::iterator by_age;
  };

  void forget_oldest();

  const std::size_t capacity_;
  const clock::duration lifetime_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
  // Oldest issue time first; points at the keys of entries_, which do not move.
  age_index by_age_;
  clock::time_point forgotten_up_to_ = clock::time_point::min();
};

}  // namespace callcenterd::sip::auth_detail
