#include "write_queue.hpp"

#include <gtest/gtest.h>

namespace callcenterd::sip::transport_detail {
namespace {

TEST(write_queue, keeps_order_and_counts_bytes) {
  write_queue queue(10);
  ASSERT_TRUE(queue.push("abc"));
  ASSERT_TRUE(queue.push("defg"));
  EXPECT_EQ(queue.queued_bytes(), 7u);
  EXPECT_EQ(queue.front().bytes, "abc");
  queue.pop();
  EXPECT_EQ(queue.front().bytes, "defg");
  EXPECT_EQ(queue.queued_bytes(), 4u);
}

TEST(write_queue, refuses_what_would_pass_the_bound) {
  write_queue queue(10);
  ASSERT_TRUE(queue.push("123456"));
  EXPECT_FALSE(queue.push("12345"));
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_TRUE(queue.push("1234"));
  EXPECT_EQ(queue.queued_bytes(), 10u);
  EXPECT_FALSE(queue.push("x"));
}

TEST(write_queue, refuses_a_single_entry_over_the_bound) {
  write_queue queue(4);
  EXPECT_FALSE(queue.push("12345"));
  EXPECT_TRUE(queue.empty());
}

TEST(write_queue, popping_frees_room) {
  write_queue queue(4);
  ASSERT_TRUE(queue.push("1234"));
  ASSERT_FALSE(queue.push("5"));
  queue.pop();
  EXPECT_TRUE(queue.push("5"));
}

TEST(write_queue, clear_reports_dropped_messages_but_not_pongs) {
  write_queue queue(100);
  ASSERT_TRUE(queue.push("INVITE"));
  ASSERT_TRUE(queue.push("\r\n", false));
  ASSERT_TRUE(queue.push("BYE"));
  EXPECT_EQ(queue.clear(), 2u);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.queued_bytes(), 0u);
}

}  // namespace
}  // namespace callcenterd::sip::transport_detail
