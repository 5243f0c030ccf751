#pragma once

// A fixed-resolution histogram of durations, enough for percentiles of latency and pacing
// without keeping samples: 10 µs buckets up to 100 ms, and the exact maximum.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace callcenterd::bench::rtp_load {

class duration_histogram {
 public:
  static constexpr std::int64_t bucket_ns = 10'000;
  static constexpr std::size_t bucket_count = 10'000;

  void add(std::int64_t ns) {
    ns = std::max<std::int64_t>(ns, 0);
    const auto bucket = static_cast<std::size_t>(ns / bucket_ns);
    ++counts_[std::min(bucket, bucket_count)];
    ++total_;
    max_ns_ = std::max(max_ns_, ns);
  }

  [[nodiscard]] std::uint64_t count() const { return total_; }
  [[nodiscard]] double max_ms() const { return static_cast<double>(max_ns_) / 1e6; }

  // The upper edge of the bucket holding the p-th percentile (0 < p <= 100), in ms; beyond
  // the last bucket, the maximum. 0 when empty.
  [[nodiscard]] double percentile_ms(double p) const {
    if (total_ == 0) return 0;
    const auto rank =
        static_cast<std::uint64_t>(std::ceil(static_cast<double>(total_) * p / 100.0));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < bucket_count; ++i) {
      seen += counts_[i];
      if (seen >= std::max<std::uint64_t>(rank, 1)) {
        const auto edge = static_cast<std::int64_t>(i + 1) * bucket_ns;
        return static_cast<double>(std::min(edge, max_ns_)) / 1e6;
      }
    }
    return max_ms();
  }

 private:
  std::array<std::uint64_t, bucket_count + 1> counts_{};  // the last one: beyond the range
  std::uint64_t total_ = 0;
  std::int64_t max_ns_ = 0;
};

}  // namespace callcenterd::bench::rtp_load
