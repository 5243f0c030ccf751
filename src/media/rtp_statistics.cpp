#include "callcenterd/media/rtp_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace callcenterd::media {
namespace {

constexpr std::uint32_t sequence_modulus = 1U << 16;
constexpr std::uint32_t no_bad_sequence = sequence_modulus + 1;

// Cumulative loss travels as a 24-bit signed number.
constexpr std::int64_t max_cumulative_lost = 0x7fffff;
constexpr std::int64_t min_cumulative_lost = -0x800000;

// E-model figures (ITU-T G.107) for G.711 with every other parameter at its default.
constexpr double default_r = 93.2;
constexpr double g711_ie = 0;
constexpr double bpl_without_concealment = 4.3;
constexpr double bpl_with_concealment = 25.1;
constexpr double random_loss_burst_ratio = 1;
constexpr double delay_threshold_ms = 100;  // G.107 mT: Idd is zero up to this one-way delay
constexpr double packetisation_ms = 20;
// Delays beyond this are no worse for the estimate (Idd levels off) and keep it finite.
constexpr double max_delay_ms = 1e6;

// A value in [low, high]; NaN becomes `low` so that garbage in cannot poison the estimate.
double bounded(double value, double low, double high) {
  if (!(value > low)) return low;
  return std::min(value, high);
}

// G.107's impairment from absolute one-way delay `ta_ms`.
double delay_impairment(double ta_ms) {
  if (ta_ms <= delay_threshold_ms) return 0;
  const double x = std::log2(ta_ms / delay_threshold_ms);
  const double sixth = 1.0 / 6;
  return 25 *
         (std::pow(1 + std::pow(x, 6), sixth) - 3 * std::pow(1 + std::pow(x / 3, 6), sixth) + 2);
}

}  // namespace

bool rtp_receive_statistics::on_packet(std::uint32_t ssrc, std::uint16_t sequence,
                                       std::uint32_t rtp_timestamp,
                                       std::chrono::steady_clock::time_point arrival,
                                       std::uint32_t clock_rate) {
  if (!has_source_ || ssrc != ssrc_) start_source(ssrc, sequence);
  if (!update_sequence(sequence)) return false;
  update_jitter(rtp_timestamp, arrival, clock_rate);
  return true;
}

void rtp_receive_statistics::on_sender_report(ntp_timestamp sent,
                                              std::chrono::steady_clock::time_point arrival) {
  has_sender_report_ = true;
  last_sr_ = ntp_middle_32(sent);
  last_sr_arrival_ = arrival;
}

std::optional<report_block> rtp_receive_statistics::take_report_block(
    std::chrono::steady_clock::time_point now) {
  if (!valid()) return std::nullopt;
  report_block block;
  block.ssrc = ssrc_;
  block.extended_highest_sequence = extended_highest_sequence();
  block.cumulative_lost = static_cast<std::int32_t>(
      std::clamp(cumulative_lost(), min_cumulative_lost, max_cumulative_lost));

  const std::int64_t expected_now = expected();
  const std::int64_t expected_interval = expected_now - expected_prior_;
  const std::int64_t lost_interval = expected_interval - (received_ - received_prior_);
  expected_prior_ = expected_now;
  received_prior_ = received_;
  if (expected_interval > 0 && lost_interval > 0) {
    // All lost would be 256/256, which the octet cannot hold; it cannot happen (the highest
    // sequence only moves when a packet counts) but costs nothing to guard.
    block.fraction_lost = static_cast<std::uint8_t>(
        std::min<std::int64_t>((lost_interval << 8) / expected_interval, 255));
  }

  block.jitter = static_cast<std::uint32_t>(
      std::llround(std::min(jitter_, double{std::numeric_limits<std::uint32_t>::max()})));
  if (has_sender_report_) {
    block.last_sr = last_sr_;
    const auto held = std::chrono::duration_cast<std::chrono::microseconds>(now - last_sr_arrival_);
    const std::int64_t units = std::max<std::int64_t>(held.count(), 0) * 65536 / 1'000'000;
    block.delay_since_last_sr = static_cast<std::uint32_t>(
        std::min<std::int64_t>(units, std::numeric_limits<std::uint32_t>::max()));
  }
  return block;
}

std::uint32_t rtp_receive_statistics::extended_highest_sequence() const {
  return (cycles_ << 16) | max_seq_;
}

std::int64_t rtp_receive_statistics::expected() const {
  if (!valid()) return 0;
  return (std::int64_t{cycles_} << 16) + max_seq_ - base_seq_ + 1;
}

double rtp_receive_statistics::jitter_ms() const {
  return clock_rate_ == 0 ? 0 : jitter_ * 1000 / clock_rate_;
}

void rtp_receive_statistics::start_source(std::uint32_t ssrc, std::uint16_t sequence) {
  *this = rtp_receive_statistics{};
  has_source_ = true;
  ssrc_ = ssrc;
  restart_sequence(sequence);
  // Pretend the previous packet came just before, so that probation expects `sequence` + 1.
  max_seq_ = static_cast<std::uint16_t>(sequence - 1);
  probation_ = min_sequential;
}

void rtp_receive_statistics::restart_sequence(std::uint16_t sequence) {
  base_seq_ = sequence;
  max_seq_ = sequence;
  bad_seq_ = no_bad_sequence;
  cycles_ = 0;
  received_ = 0;
  received_prior_ = 0;
  expected_prior_ = 0;
  // A restarted source usually restarts its timestamps too; measuring jitter across the
  // restart would charge the jump to the network.
  has_previous_ = false;
}

bool rtp_receive_statistics::update_sequence(std::uint16_t sequence) {
  // Distance ahead of the highest sequence seen, modulo 2^16.
  const auto ahead = static_cast<std::uint16_t>(sequence - max_seq_);
  if (probation_ > 0) {
    if (ahead == 1) {
      max_seq_ = sequence;
      if (--probation_ == 0) {
        restart_sequence(sequence);
        ++received_;
        return true;
      }
    } else {
      // Out of order while on probation: start counting again from this packet.
      probation_ = min_sequential - 1;
      max_seq_ = sequence;
    }
    return false;
  }

  if (ahead < max_dropout) {
    if (sequence < max_seq_) ++cycles_;  // moved forward past 65535
    max_seq_ = sequence;
  } else if (ahead <= sequence_modulus - max_misorder) {
    // Too far from the stream to be loss or reordering. A second packet right after this one
    // means the source restarted; anything else, and this was a stray.
    if (sequence != bad_seq_) {
      bad_seq_ = (sequence + 1U) % sequence_modulus;
      return false;
    }
    restart_sequence(sequence);
  }
  // Otherwise a duplicate or a packet at most max_misorder late: counted, highest unchanged.
  ++received_;
  return true;
}

void rtp_receive_statistics::update_jitter(std::uint32_t rtp_timestamp,
                                           std::chrono::steady_clock::time_point arrival,
                                           std::uint32_t clock_rate) {
  if (clock_rate == 0) return;
  if (has_previous_ && clock_rate == clock_rate_) {
    // The difference of the two packets' transit times, in timestamp units: how much longer
    // the gap between arrivals was than the gap between their sampling instants.
    const double arrival_gap =
        std::chrono::duration<double>(arrival - previous_arrival_).count() * clock_rate;
    const auto timestamp_gap = static_cast<std::int32_t>(rtp_timestamp - previous_timestamp_);
    const double d = std::abs(arrival_gap - timestamp_gap);
    jitter_ += (d - jitter_) / 16;
  }
  has_previous_ = true;
  previous_arrival_ = arrival;
  previous_timestamp_ = rtp_timestamp;
  clock_rate_ = clock_rate;
}

double estimate_mos(double loss_fraction, double jitter_ms, double round_trip_ms,
                    bool concealment) {
  const double ppl = 100 * bounded(loss_fraction, 0, 1);
  const double one_way_ms = bounded(round_trip_ms, 0, max_delay_ms) / 2 +
                            2 * bounded(jitter_ms, 0, max_delay_ms) + packetisation_ms;
  const double bpl = concealment ? bpl_with_concealment : bpl_without_concealment;
  const double ie_eff = g711_ie + (95 - g711_ie) * ppl / (ppl / random_loss_burst_ratio + bpl);
  const double r = std::clamp(default_r - delay_impairment(one_way_ms) - ie_eff, 0.0, 100.0);
  const double mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  // The cubic dips just under 1 for R below about 6.5; G.107 means 1 there.
  return std::max(mos, 1.0);
}

}  // namespace callcenterd::media
