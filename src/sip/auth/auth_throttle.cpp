#include "callcenterd/sip/auth_throttle.hpp"

#include <spdlog/spdlog.h>

#include <iterator>
#include <stdexcept>

namespace callcenterd::sip {
namespace {

using boost::asio::ip::address;

// A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; one peer must be one key.
address normalise(const address& source) {
  if (source.is_v6() && source.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, source.to_v6());
  }
  return source;
}

}  // namespace

auth_throttle::auth_throttle(throttle_settings settings) : settings_(settings) {
  if (settings_.window <= std::chrono::seconds::zero() ||
      settings_.block_for <= std::chrono::seconds::zero()) {
    throw std::invalid_argument("sip auth throttle: window and block time must be positive");
  }
  if (settings_.max_tracked_sources == 0) {
    throw std::invalid_argument("sip auth throttle: max_tracked_sources must be positive");
  }
}

bool auth_throttle::record_failure(const address& source, clock::time_point now) {
  if (settings_.max_failures == 0) return false;
  auto key = normalise(source);
  std::lock_guard lock(mutex_);
  prune(now);
  auto& e = touch(key, now);
  if (e.blocked_until > now) return true;
  if (e.failures == 0 || now - e.window_start >= settings_.window) {
    e.window_start = now;
    e.failures = 0;
  }
  if (++e.failures < settings_.max_failures) return false;

  blocks_.erase({e.blocked_until, key});
  e.blocked_until = now + settings_.block_for;
  e.failures = 0;
  blocks_.emplace(e.blocked_until, key);
  ++blocks_imposed_;
  spdlog::warn("sip auth: no answers to {} for {} s after {} failed authentications",
               key.to_string(), settings_.block_for.count(), settings_.max_failures);
  return true;
}

void auth_throttle::record_success(const address& source, clock::time_point now) {
  auto key = normalise(source);
  std::lock_guard lock(mutex_);
  prune(now);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  if (it->second.blocked_until > now) {
    it->second.failures = 0;
  } else {
    erase(it);
  }
}

bool auth_throttle::is_blocked(const address& source, clock::time_point now) {
  if (settings_.max_failures == 0) return false;
  auto key = normalise(source);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.blocked_until <= now) return false;
  ++blocked_drops_;
  return true;
}

throttle_stats auth_throttle::stats(clock::time_point now) {
  std::lock_guard lock(mutex_);
  prune(now);
  while (!blocks_.empty() && blocks_.begin()->first <= now) blocks_.erase(blocks_.begin());
  return {blocked_drops_, blocks_imposed_, blocks_.size(), entries_.size()};
}

auth_throttle::entry& auth_throttle::touch(const address& source, clock::time_point now) {
  if (auto it = entries_.find(source); it != entries_.end()) {
    recency_.splice(recency_.end(), recency_, it->second.recency);
    return it->second;
  }
  if (entries_.size() >= settings_.max_tracked_sources) erase(entries_.find(recency_.front()));
  recency_.push_back(source);
  auto it =
      entries_.emplace(source, entry{now, 0, clock::time_point::min(), std::prev(recency_.end())})
          .first;
  return it->second;
}

void auth_throttle::erase(entry_map::iterator it) {
  blocks_.erase({it->second.blocked_until, it->first});
  recency_.erase(it->second.recency);
  entries_.erase(it);
}

// Sources fail in roughly the order they were touched, so expired entries gather at the
// front; stopping at the first live one keeps this cheap, and the size cap covers the rest.
void auth_throttle::prune(clock::time_point now) {
  while (!recency_.empty()) {
    auto it = entries_.find(recency_.front());
    const auto& e = it->second;
    if (e.blocked_until > now || now - e.window_start < settings_.window) break;
    erase(it);
  }
}

}  // namespace callcenterd::sip
