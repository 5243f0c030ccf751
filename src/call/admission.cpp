#include "admission.hpp"

#include <algorithm>

namespace callcenterd::call::detail {

namespace asio = boost::asio;

address_set::address_set(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    boost::system::error_code ec;
    if (entry.find('/') == std::string::npos) {
      const auto address = asio::ip::make_address(entry, ec);
      if (ec) continue;
      if (address.is_v4()) {
        networks_.emplace_back(asio::ip::network_v4(address.to_v4(), 32));
      } else {
        networks_.emplace_back(asio::ip::network_v6(address.to_v6(), 128));
      }
    } else if (entry.find(':') == std::string::npos) {
      const auto network = asio::ip::make_network_v4(entry, ec);
      if (!ec) networks_.emplace_back(network.canonical());
    } else {
      const auto network = asio::ip::make_network_v6(entry, ec);
      if (!ec) networks_.emplace_back(network.canonical());
    }
  }
}

bool address_set::contains(const asio::ip::address& address) const {
  for (const auto& network : networks_) {
    if (const auto* v4 = std::get_if<asio::ip::network_v4>(&network)) {
      if (address.is_v4() &&
          asio::ip::network_v4(address.to_v4(), v4->prefix_length()).canonical() == *v4) {
        return true;
      }
    } else {
      const auto& v6 = std::get<asio::ip::network_v6>(network);
      if (address.is_v6() &&
          asio::ip::network_v6(address.to_v6(), v6.prefix_length()).canonical() == v6) {
        return true;
      }
    }
  }
  return false;
}

admission::admission(unsigned max_calls, unsigned max_rate_per_source)
    : max_calls_(max_calls), rate_(static_cast<double>(max_rate_per_source)) {}

admission_refusal admission::admit(const asio::ip::address& source, clock::time_point now) {
  const std::lock_guard lock(mutex_);
  if (active_ >= max_calls_) return admission_refusal::too_many_calls;
  // Buckets that have been full for a while carry no information: forget them, so a flood
  // from many addresses cannot grow the table without bound.
  if (now - last_sweep_ > std::chrono::seconds(10)) {
    std::erase_if(buckets_, [now](const auto& entry) {
      return now - entry.second.refilled > std::chrono::seconds(10);
    });
    last_sweep_ = now;
  }
  auto [it, fresh] = buckets_.try_emplace(source, bucket{rate_, now});
  auto& b = it->second;
  if (!fresh) {
    const std::chrono::duration<double> elapsed = now - b.refilled;
    b.tokens = std::min(rate_, b.tokens + elapsed.count() * rate_);
    b.refilled = now;
  }
  if (b.tokens < 1.0) return admission_refusal::source_rate;
  b.tokens -= 1.0;
  ++active_;
  return admission_refusal::none;
}

bool admission::admit_outbound() {
  const std::lock_guard lock(mutex_);
  if (active_ >= max_calls_) return false;
  ++active_;
  return true;
}

void admission::release() {
  const std::lock_guard lock(mutex_);
  if (active_ > 0) --active_;
}

std::size_t admission::active() const {
  const std::lock_guard lock(mutex_);
  return active_;
}

}  // namespace callcenterd::call::detail
