#include "callcenterd/store/backoff.hpp"

#include <gtest/gtest.h>

namespace callcenterd::store {
namespace {

using std::chrono::milliseconds;

TEST(backoff, starts_at_initial_and_doubles_up_to_the_maximum) {
  backoff delay(milliseconds{100}, milliseconds{1000});
  EXPECT_EQ(delay.next(), milliseconds{100});
  EXPECT_EQ(delay.next(), milliseconds{200});
  EXPECT_EQ(delay.next(), milliseconds{400});
  EXPECT_EQ(delay.next(), milliseconds{800});
  EXPECT_EQ(delay.next(), milliseconds{1000});
  EXPECT_EQ(delay.next(), milliseconds{1000});
}

TEST(backoff, reset_returns_to_the_initial_delay) {
  backoff delay(milliseconds{100}, milliseconds{5000});
  delay.next();
  delay.next();
  EXPECT_EQ(delay.peek(), milliseconds{400});
  delay.reset();
  EXPECT_EQ(delay.next(), milliseconds{100});
}

TEST(backoff, maximum_below_initial_is_raised_to_initial) {
  backoff delay(milliseconds{300}, milliseconds{100});
  EXPECT_EQ(delay.next(), milliseconds{300});
  EXPECT_EQ(delay.next(), milliseconds{300});
}

TEST(backoff, zero_initial_never_yields_a_zero_delay) {
  backoff delay(milliseconds{0}, milliseconds{10});
  EXPECT_EQ(delay.next(), milliseconds{1});
  EXPECT_EQ(delay.next(), milliseconds{2});
}

TEST(backoff, huge_maximum_does_not_overflow) {
  backoff delay(milliseconds{1}, milliseconds::max());
  milliseconds last{0};
  for (int i = 0; i < 100; ++i) {
    const milliseconds d = delay.next();
    ASSERT_GE(d, last);
    last = d;
  }
  EXPECT_EQ(last, milliseconds::max());
}

}  // namespace
}  // namespace callcenterd::store
