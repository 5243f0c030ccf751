#pragma once

// The UDP ports RTP may use (media.rtp_ports in config): each leg takes an even port for RTP
// and the odd one above it for RTCP (RFC 3550 §11), and gives both back at hang-up.

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace callcenterd::media {

class rtp_port_pool {
 public:
  /// The pairs (p, p + 1) with p even and first <= p, p + 1 <= last. An odd `first` starts
  /// at the next even port. Throws std::invalid_argument when no pair fits (start-up only).
  rtp_port_pool(std::uint16_t first, std::uint16_t last);

  /// An even port whose pair is free, taken; nullopt when every pair is in use. Ports are
  /// handed out round-robin, so a pair just given back is the last to be taken again and
  /// late packets of an ended call do not reach the next one. Thread-safe.
  std::optional<std::uint16_t> take();
  /// Gives back a pair from take(); anything else is ignored. Thread-safe.
  void give_back(std::uint16_t port);

  /// Pairs in the range, and pairs taken now. Thread-safe.
  [[nodiscard]] std::size_t capacity() const { return taken_.size(); }
  [[nodiscard]] std::size_t in_use() const;

 private:
  // Call set-up and hang-up only, never per packet: a mutex is cheap enough here.
  mutable std::mutex mutex_;
  std::uint16_t first_;
  std::vector<bool> taken_;
  std::size_t next_ = 0;
  std::size_t in_use_ = 0;
};

}  // namespace callcenterd::media
