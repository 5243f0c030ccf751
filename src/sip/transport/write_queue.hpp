#pragma once

#include <cstddef>
#include <deque>
#include <string>

namespace callcenterd::sip::transport_detail {

// What a connection or UDP socket still has to write, oldest first. The entry at the front
// stays queued while its write is in flight, so its bytes stay put and count against the
// bound until the write completes. Not thread-safe: owned by one strand.
class write_queue {
 public:
  struct entry {
    std::string bytes;
    // False for CRLF pongs, which are not messages in the counters.
    bool is_message = true;
  };

  explicit write_queue(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // Appends unless the queue would then hold more than max_bytes; false (and nothing
  // queued) when it would.
  [[nodiscard]] bool push(std::string bytes, bool is_message = true);
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] std::size_t queued_bytes() const { return bytes_; }
  [[nodiscard]] const entry& front() const { return entries_.front(); }
  void pop();
  // Drops everything; returns how many messages were dropped.
  std::size_t clear();

 private:
  std::deque<entry> entries_;
  std::size_t bytes_ = 0;
  std::size_t max_bytes_;
};

}  // namespace callcenterd::sip::transport_detail
