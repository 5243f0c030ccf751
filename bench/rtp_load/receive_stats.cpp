#include "receive_stats.hpp"

#include <algorithm>
#include <cmath>

namespace callcenterd::bench::rtp_load {

receive_stats::receive_stats(std::int64_t gap_threshold_ns, std::uint32_t clock_rate)
    : gap_threshold_ns_(gap_threshold_ns), clock_rate_(clock_rate) {}

void receive_stats::on_packet(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t timestamp,
                              std::int64_t arrival_ns) {
  ++received_;
  if (has_arrival_) {
    // Gaps are about the stream as the listener hears it, whoever sends: a new SSRC that
    // takes over without a pause is no gap.
    const std::int64_t interarrival = arrival_ns - last_arrival_ns_;
    max_interarrival_ns_ = std::max(max_interarrival_ns_, interarrival);
    if (interarrival > gap_threshold_ns_) ++gaps_;
  }
  has_arrival_ = true;
  last_arrival_ns_ = arrival_ns;

  if (!has_run_ || ssrc != ssrc_) {
    if (has_run_) ++ssrc_changes_;
    start_run(ssrc, sequence);
  } else if (!update_sequence(sequence)) {
    return;
  }
  update_jitter(timestamp, arrival_ns);
}

std::int64_t receive_stats::expected() const {
  return prior_expected_ + (has_run_ ? highest_ - base_ + 1 : 0);
}

double receive_stats::mean_jitter_ms() const {
  return jitter_samples_ == 0 ? 0 : to_ms(jitter_sum_ / static_cast<double>(jitter_samples_));
}

void receive_stats::start_run(std::uint32_t ssrc, std::int64_t sequence) {
  if (has_run_) {
    prior_expected_ += highest_ - base_ + 1;
    prior_unique_ += unique_;
  }
  has_run_ = true;
  ssrc_ = ssrc;
  base_ = sequence;
  highest_ = sequence;
  seen_.reset();
  seen_.set(0);
  unique_ = 1;
  has_previous_ = false;
}

bool receive_stats::update_sequence(std::uint16_t sequence) {
  // The signed 16-bit distance from the highest so far places the packet on the extended
  // sequence whichever way the counter wrapped.
  const auto delta = static_cast<std::int16_t>(
      static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(highest_)));
  if (delta > 0) {
    if (delta > max_dropout) {
      ++sequence_jumps_;
      start_run(ssrc_, sequence);
      return true;
    }
    highest_ += delta;
    seen_ <<= static_cast<std::size_t>(delta);
    seen_.set(0);
    ++unique_;
    return true;
  }
  const std::int64_t behind = -static_cast<std::int64_t>(delta);
  if (behind > max_dropout) {
    ++sequence_jumps_;
    start_run(ssrc_, sequence);
    return true;
  }
  if (behind >= window) {
    // Either a very late packet or a sender that restarted a little lower down. One lone
    // late packet is likelier, and restarting on it would throw the run's count away.
    ++too_late_;
    return false;
  }
  if (seen_.test(static_cast<std::size_t>(behind))) {
    ++duplicates_;
    return false;
  }
  seen_.set(static_cast<std::size_t>(behind));
  ++unique_;
  ++out_of_order_;
  base_ = std::min(base_, highest_ - behind);
  return true;
}

void receive_stats::update_jitter(std::uint32_t timestamp, std::int64_t arrival_ns) {
  if (has_previous_) {
    const double arrival_units =
        static_cast<double>(arrival_ns - previous_arrival_ns_) * clock_rate_ / 1e9;
    const auto timestamp_units = static_cast<std::int32_t>(timestamp - previous_timestamp_);
    const double d = arrival_units - timestamp_units;
    jitter_ += (std::fabs(d) - jitter_) / 16;
    max_jitter_ = std::max(max_jitter_, jitter_);
    jitter_sum_ += jitter_;
    ++jitter_samples_;
  }
  has_previous_ = true;
  previous_arrival_ns_ = arrival_ns;
  previous_timestamp_ = timestamp;
}

}  // namespace callcenterd::bench::rtp_load
