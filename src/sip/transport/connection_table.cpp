#include "connection_table.hpp"

#include <tuple>

#include "connection.hpp"

namespace callcenterd::sip::transport_detail {

bool operator<(const remote_key& a, const remote_key& b) {
  return std::tie(a.transport, a.address, a.port) < std::tie(b.transport, b.address, b.port);
}

bool connection_table::add(const std::shared_ptr<connection>& c) {
  std::lock_guard lock(mutex_);
  if (by_id_.size() >= max_) return false;
  insert_locked(c);
  return true;
}

std::shared_ptr<connection> connection_table::find_or_add(
    const remote_key& key, const std::function<std::shared_ptr<connection>()>& make,
    bool& created) {
  created = false;
  std::lock_guard lock(mutex_);
  if (auto found = find_locked(key)) return found;
  if (by_id_.size() >= max_) return nullptr;
  auto made = make();
  insert_locked(made);
  created = true;
  return made;
}

void connection_table::insert_locked(const std::shared_ptr<connection>& c) {
  by_id_.emplace(c->id(), c);
  by_remote_.emplace(c->key(), c->id());
}

bool connection_table::remove(std::uint64_t id, const remote_key& key) {
  std::lock_guard lock(mutex_);
  if (by_id_.erase(id) == 0) return false;
  auto [first, last] = by_remote_.equal_range(key);
  for (auto it = first; it != last; ++it) {
    if (it->second == id) {
      by_remote_.erase(it);
      break;
    }
  }
  return true;
}

std::shared_ptr<connection> connection_table::find(std::uint64_t id) const {
  std::lock_guard lock(mutex_);
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.lock();
}

std::shared_ptr<connection> connection_table::find(const remote_key& key) const {
  std::lock_guard lock(mutex_);
  return find_locked(key);
}

std::shared_ptr<connection> connection_table::find_locked(const remote_key& key) const {
  auto [first, last] = by_remote_.equal_range(key);
  while (last != first) {
    --last;
    const auto it = by_id_.find(last->second);
    if (it == by_id_.end()) continue;
    if (auto live = it->second.lock()) return live;
  }
  return nullptr;
}

std::vector<std::shared_ptr<connection>> connection_table::all() const {
  std::vector<std::shared_ptr<connection>> out;
  std::lock_guard lock(mutex_);
  out.reserve(by_id_.size());
  for (const auto& [id, weak] : by_id_) {
    if (auto live = weak.lock()) out.push_back(std::move(live));
  }
  return out;
}

std::size_t connection_table::size() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

}  // namespace callcenterd::sip::transport_detail
