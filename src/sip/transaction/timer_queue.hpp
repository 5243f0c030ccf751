#pragma once

// Deadlines of all transactions of a layer in one binary min-heap. Cancelling a timer leaves
// its entry behind; the owner recognises stale entries by a generation number and skips them,
// so arming and cancelling cost O(log n) and nothing is allocated per timer once the heap
// vector has grown.

#include <cstdint>
#include <vector>

#include "transaction.hpp"

namespace callcenterd::sip::txn {

struct timer_entry {
  clock_time deadline;
  transaction_id id = 0;
  std::uint32_t generation = 0;
  timer_slot slot = timer_slot::retransmit;
};

class timer_queue {
 public:
  void push(const timer_entry& entry);
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  /// The earliest entry; the queue must not be empty.
  const timer_entry& top() const { return heap_.front(); }
  void pop();

  /// Keeps only entries for which `live(entry)` is true.
  template <typename Pred>
  void compact(Pred live) {
    std::erase_if(heap_, [&](const timer_entry& e) { return !live(e); });
    rebuild();
  }

 private:
  void rebuild();
  std::vector<timer_entry> heap_;
};

}  // namespace callcenterd::sip::txn
