#include "timer_queue.hpp"

#include <algorithm>
#include <tuple>

namespace callcenterd::sip::txn {
namespace {

// std heap algorithms keep the largest in front; "later" as the order puts the earliest
// there. Ties go by id and slot so runs are reproducible.
bool later(const timer_entry& a, const timer_entry& b) {
  return std::tie(a.deadline, a.id, a.slot) > std::tie(b.deadline, b.id, b.slot);
}

}  // namespace

void timer_queue::push(const timer_entry& entry) {
  heap_.push_back(entry);
  std::push_heap(heap_.begin(), heap_.end(), later);
}

void timer_queue::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), later);
  heap_.pop_back();
}

void timer_queue::rebuild() { std::make_heap(heap_.begin(), heap_.end(), later); }

}  // namespace callcenterd::sip::txn
