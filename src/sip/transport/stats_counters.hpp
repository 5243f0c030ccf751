#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "callcenterd/sip/transport_manager.hpp"

namespace callcenterd::sip::transport_detail {

// The live counters behind transport_stats: relaxed atomics, bumped from any thread. Only
// snapshots are read, and a snapshot need not be consistent across counters.
struct live_counters {
  std::atomic<std::uint64_t> messages_in{0};
  std::atomic<std::uint64_t> messages_out{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> error_replies{0};
  std::atomic<std::uint64_t> keep_alives_in{0};
  std::atomic<std::uint64_t> pongs_sent{0};
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_opened{0};
  std::atomic<std::uint64_t> connections_closed{0};
  std::atomic<std::uint64_t> connections_rejected{0};
  std::atomic<std::uint64_t> send_failures{0};
  std::atomic<std::uint64_t> queue_overflows{0};
};

inline void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) {
  counter.fetch_add(by, std::memory_order_relaxed);
}

inline void drop(std::atomic<std::uint64_t>& counter) {
  counter.fetch_sub(1, std::memory_order_relaxed);
}

class stats_counters {
 public:
  live_counters& at(transport_kind kind) { return counters_[static_cast<std::size_t>(kind)]; }
  [[nodiscard]] transport_stats snapshot() const;

 private:
  std::array<live_counters, 5> counters_;
};

}  // namespace callcenterd::sip::transport_detail
