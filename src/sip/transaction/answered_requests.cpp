#include "answered_requests.hpp"

#include <functional>

namespace callcenterd::sip::txn {

std::uint64_t answered_requests::hash_of(std::string_view text) {
  const auto value = static_cast<std::uint64_t>(std::hash<std::string_view>{}(text));
  return value == 0 ? 1 : value;  // 0 means "no dialog"
}

void answered_requests::add(const std::string& key, std::string_view dialog, answer value,
                            clock_time expires) {
  while (answers_.size() >= capacity_ && !order_.empty() && !answers_.contains(key)) {
    ++evicted_;
    drop_front();
  }
  const auto sequence = next_sequence_++;
  const auto dialog_hash = dialog.empty() ? 0 : hash_of(dialog);
  auto [it, inserted] = answers_.try_emplace(key);
  it->second = entry{std::move(value), dialog_hash, sequence};
  if (dialog_hash != 0) dialogs_[dialog_hash] = hash_of(key);
  order_.push_back({expires, &it->first, sequence});
}

const answered_requests::answer* answered_requests::find(const std::string& key) const {
  auto it = answers_.find(key);
  return it == answers_.end() ? nullptr : &it->second.value;
}

bool answered_requests::merged(std::string_view dialog, const std::string& key) const {
  if (dialogs_.empty()) return false;
  auto it = dialogs_.find(hash_of(dialog));
  return it != dialogs_.end() && it->second != hash_of(key);
}

void answered_requests::expire(clock_time now) {
  while (!order_.empty() && order_.front().at <= now) drop_front();
}

std::optional<clock_time> answered_requests::next_deadline() const {
  if (order_.empty()) return std::nullopt;
  return order_.front().at;
}

void answered_requests::drop_front() {
  const auto front = order_.front();
  order_.pop_front();
  auto it = answers_.find(*front.key);
  // An older FIFO item of a key filed again: the newer item owns the node.
  if (it == answers_.end() || it->second.sequence != front.sequence) return;
  if (it->second.dialog_hash != 0) {
    auto d = dialogs_.find(it->second.dialog_hash);
    if (d != dialogs_.end() && d->second == hash_of(it->first)) dialogs_.erase(d);
  }
  answers_.erase(it);
}

}  // namespace callcenterd::sip::txn
