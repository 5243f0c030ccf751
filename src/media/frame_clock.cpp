#include "callcenterd/media/frame_clock.hpp"

#include <algorithm>
#include <cassert>

namespace callcenterd::media {

frame_clock::frame_clock(clock::time_point start, clock::duration period, std::uint32_t max_burst)
    : start_(start), period_(period), max_burst_(std::max<std::uint32_t>(max_burst, 1)) {
  assert(period.count() > 0);
}

std::uint32_t frame_clock::due(clock::time_point now) {
  if (now < next_deadline()) return 0;
  // Frames whose deadline has passed, the one due exactly now included.
  const auto behind = static_cast<std::uint64_t>((now - start_) / period_) + 1 - sent_;
  const auto send = static_cast<std::uint32_t>(std::min<std::uint64_t>(behind, max_burst_));
  skipped_ += behind - send;
  sent_ += behind;
  return send;
}

}  // namespace callcenterd::media
