#include "write_queue.hpp"

#include <utility>

namespace callcenterd::sip::transport_detail {

bool write_queue::push(std::string bytes, bool is_message) {
  if (bytes.size() > max_bytes_ || bytes_ > max_bytes_ - bytes.size()) return false;
  bytes_ += bytes.size();
  // deque::push_back keeps references to existing entries valid: the one being written stays.
  entries_.push_back({std::move(bytes), is_message});
  return true;
}

void write_queue::pop() {
  bytes_ -= entries_.front().bytes.size();
  entries_.pop_front();
}

std::size_t write_queue::clear() {
  std::size_t messages = 0;
  for (const auto& e : entries_) messages += e.is_message ? 1 : 0;
  entries_.clear();
  bytes_ = 0;
  return messages;
}

}  // namespace callcenterd::sip::transport_detail
