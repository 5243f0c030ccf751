#pragma once

// What one stream's socket received, after RFC 3550: loss from the extended sequence number
// (A.1, A.3), interarrival jitter (A.8), plus what a benchmark wants on top: duplicates and
// late packets told apart exactly within a 128-packet window, and arrival gaps. No I/O:
// packets and arrival times in (nanoseconds on any clock that does not jump), figures out.
//
// A new SSRC (the daemon relayed another source, or restarted the leg's stream) or a jump of
// the sequence number beyond max_dropout starts a new run; the figures of earlier runs are
// kept, so loss is the sum over runs, each counted from its own first packet to its highest.

#include <bitset>
#include <cstdint>

namespace callcenterd::bench::rtp_load {

class receive_stats {
 public:
  static constexpr std::int64_t max_dropout = 3000;
  static constexpr std::int64_t window = 128;

  // `gap_threshold_ns`: arrival gaps longer than this count as gaps (3 x ptime).
  receive_stats(std::int64_t gap_threshold_ns, std::uint32_t clock_rate);

  void on_packet(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t timestamp,
                 std::int64_t arrival_ns);

  // Every packet, duplicates included.
  [[nodiscard]] std::uint64_t received() const { return received_; }
  [[nodiscard]] std::uint64_t duplicates() const { return duplicates_; }
  // Arrived after a higher sequence number, not as a duplicate.
  [[nodiscard]] std::uint64_t out_of_order() const { return out_of_order_; }
  // Too far behind the highest to tell a duplicate from a late packet; not counted as
  // received for loss, so a flood of them shows as loss rather than hiding it.
  [[nodiscard]] std::uint64_t too_late() const { return too_late_; }
  [[nodiscard]] std::int64_t expected() const;
  [[nodiscard]] std::int64_t lost() const { return expected() - unique_ - prior_unique_; }
  [[nodiscard]] std::uint32_t ssrc_changes() const { return ssrc_changes_; }
  [[nodiscard]] std::uint32_t sequence_jumps() const { return sequence_jumps_; }
  [[nodiscard]] std::uint64_t gaps() const { return gaps_; }
  [[nodiscard]] std::int64_t max_interarrival_ns() const { return max_interarrival_ns_; }
  // The RFC 3550 estimate now, its highest value, and its mean over all packets.
  [[nodiscard]] double jitter_ms() const { return to_ms(jitter_); }
  [[nodiscard]] double max_jitter_ms() const { return to_ms(max_jitter_); }
  [[nodiscard]] double mean_jitter_ms() const;
  [[nodiscard]] std::uint64_t jitter_samples() const { return jitter_samples_; }

 private:
  void start_run(std::uint32_t ssrc, std::int64_t sequence);
  // False for a duplicate or a packet too late to judge.
  bool update_sequence(std::uint16_t sequence);
  void update_jitter(std::uint32_t timestamp, std::int64_t arrival_ns);
  [[nodiscard]] double to_ms(double units) const { return units * 1000.0 / clock_rate_; }

  std::int64_t gap_threshold_ns_;
  std::uint32_t clock_rate_;

  bool has_run_ = false;
  std::uint32_t ssrc_ = 0;
  std::int64_t base_ = 0;     // extended sequence number of the run's lowest packet
  std::int64_t highest_ = 0;  // extended highest sequence number of the run
  std::bitset<window> seen_;  // bit k: highest_ - k arrived
  std::int64_t unique_ = 0;   // packets of this run counted once each
  std::int64_t prior_expected_ = 0;
  std::int64_t prior_unique_ = 0;

  std::uint64_t received_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t out_of_order_ = 0;
  std::uint64_t too_late_ = 0;
  std::uint32_t ssrc_changes_ = 0;
  std::uint32_t sequence_jumps_ = 0;

  // Jitter as A.8, from the previous packet's arrival and timestamp rather than a transit
  // time, so the two clocks need no common origin.
  bool has_previous_ = false;
  std::int64_t previous_arrival_ns_ = 0;
  std::uint32_t previous_timestamp_ = 0;
  double jitter_ = 0;
  double max_jitter_ = 0;
  double jitter_sum_ = 0;
  std::uint64_t jitter_samples_ = 0;

  bool has_arrival_ = false;
  std::int64_t last_arrival_ns_ = 0;
  std::uint64_t gaps_ = 0;
  std::int64_t max_interarrival_ns_ = 0;
};

}  // namespace callcenterd::bench::rtp_load
