#include "callcenterd/store/backoff.hpp"

#include <algorithm>

namespace callcenterd::store {

backoff::backoff(duration initial, duration maximum) noexcept
    : initial_(std::max(initial, duration{1})),
      maximum_(std::max(maximum, initial_)),
      current_(initial_) {}

backoff::duration backoff::next() noexcept {
  const duration delay = current_;
  // Compare before doubling so a large maximum cannot overflow the representation.
  current_ = current_ > maximum_ / 2 ? maximum_ : current_ * 2;
  return delay;
}

}  // namespace callcenterd::store
