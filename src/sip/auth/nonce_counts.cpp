#include "nonce_counts.hpp"

#include <algorithm>

namespace callcenterd::sip::auth_detail {

nonce_counts::nonce_counts(std::size_t capacity, clock::duration lifetime)
    : capacity_(capacity), lifetime_(lifetime) {}

bool nonce_counts::accept(std::string_view nonce, clock::time_point issued_at, std::uint32_t nc,
                          clock::time_point now) {
  std::lock_guard lock(mutex_);
  // Expired nonces are answered as stale before they get here, so dropping them loses
  // nothing; the watermark still covers a caller whose `now` lags behind ours.
  while (!by_age_.empty() && now - by_age_.begin()->first > lifetime_) forget_oldest();

  std::string key(nonce);
  if (auto it = entries_.find(key); it != entries_.end()) {
    if (nc <= it->second.last_nc) return false;
    it->second.last_nc = nc;
    return true;
  }
  if (issued_at <= forgotten_up_to_) return false;
  if (entries_.size() >= capacity_) forget_oldest();
  auto [it, inserted] = entries_.emplace(std::move(key), entry{nc, {}});
  it->second.by_age = by_age_.emplace(issued_at, &it->first);
  return inserted;
}

std::size_t nonce_counts::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void nonce_counts::forget_oldest() {
  auto oldest = by_age_.begin();
  forgotten_up_to_ = std::max(forgotten_up_to_, oldest->first);
  // Find before erasing: the key the index points at dies with the entry.
  auto entry_it = entries_.find(*oldest->second);
  by_age_.erase(oldest);
  entries_.erase(entry_it);
}

}  // namespace callcenterd::sip::auth_detail
