#include "timer_queue.hpp"

#include <gtest/gtest.h>

#include <random>

namespace callcenterd::sip::txn {
namespace {

TEST(timer_queue, pops_in_deadline_order) {
  timer_queue q;
  const clock_time base{};
  std::mt19937 random(7);
  for (transaction_id id = 1; id <= 500; ++id) {
    q.push({base + milliseconds(random() % 1000), id, 0, timer_slot::retransmit});
  }
  clock_time last = base;
  std::size_t popped = 0;
  while (!q.empty()) {
    EXPECT_GE(q.top().deadline, last);
    last = q.top().deadline;
    q.pop();
    ++popped;
  }
  EXPECT_EQ(popped, 500U);
}

TEST(timer_queue, compact_keeps_only_live_entries_in_order) {
  timer_queue q;
  const clock_time base{};
  for (transaction_id id = 1; id <= 100; ++id) {
    q.push({base + milliseconds(1000 - id), id, 0, timer_slot::lifetime});
  }
  q.compact([](const timer_entry& e) { return e.id % 10 == 0; });
  ASSERT_EQ(q.size(), 10U);
  EXPECT_EQ(q.top().id, 100U);
  q.pop();
  EXPECT_EQ(q.top().id, 90U);
}

}  // namespace
}  // namespace callcenterd::sip::txn
