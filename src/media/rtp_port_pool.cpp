#include "callcenterd/media/rtp_port_pool.hpp"

#include <stdexcept>
#include <string>

namespace callcenterd::media {

rtp_port_pool::rtp_port_pool(std::uint16_t first, std::uint16_t last)
    : first_(static_cast<std::uint16_t>(first + (first % 2))) {
  if (first_ < first || first_ >= last) {  // first_ < first: 65535 rounded up and wrapped
    throw std::invalid_argument("RTP port range " + std::to_string(first) + "-" +
                                std::to_string(last) + " holds no even/odd port pair");
  }
  taken_.assign((static_cast<std::size_t>(last) - first_ + 1) / 2, false);
}

std::optional<std::uint16_t> rtp_port_pool::take() {
  const std::scoped_lock lock(mutex_);
  for (std::size_t tried = 0; tried < taken_.size(); ++tried) {
    const auto index = next_;
    next_ = (next_ + 1) % taken_.size();
    if (!taken_[index]) {
      taken_[index] = true;
      ++in_use_;
      return static_cast<std::uint16_t>(first_ + 2 * index);
    }
  }
  return std::nullopt;
}

void rtp_port_pool::give_back(std::uint16_t port) {
  const std::scoped_lock lock(mutex_);
  if (port < first_ || (port - first_) % 2 != 0) return;
  const auto index = static_cast<std::size_t>(port - first_) / 2;
  if (index >= taken_.size() || !taken_[index]) return;
  taken_[index] = false;
  --in_use_;
}

std::size_t rtp_port_pool::in_use() const {
  const std::scoped_lock lock(mutex_);
  return in_use_;
}

}  // namespace callcenterd::media
