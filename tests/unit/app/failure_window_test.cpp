#include "failure_window.hpp"

#include <gtest/gtest.h>

namespace callcenterd::app {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

TEST(failure_window, is_full_at_the_limit_within_the_window_only) {
  failure_window failures(3, std::chrono::seconds(60));
  const auto t0 = clock_type::time_point{} + 1h;
  for (int i = 0; i < 2; ++i) failures.add("alice", t0 + std::chrono::seconds(i));
  EXPECT_FALSE(failures.full("alice", t0 + 5s));
  failures.add("alice", t0 + 10s);
  EXPECT_TRUE(failures.full("alice", t0 + 11s));
  EXPECT_FALSE(failures.full("bob", t0 + 11s));
  // The first failure leaves the window 60 s after it happened.
  EXPECT_FALSE(failures.full("alice", t0 + 61s));
}

TEST(failure_window, clear_forgets_a_key) {
  failure_window failures(1, std::chrono::seconds(60));
  const auto t0 = clock_type::time_point{} + 1h;
  failures.add("alice", t0);
  EXPECT_TRUE(failures.full("alice", t0));
  failures.clear("alice");
  EXPECT_FALSE(failures.full("alice", t0));
}

TEST(failure_window, made_up_keys_do_not_grow_it_without_bound) {
  failure_window failures(5, std::chrono::seconds(60));
  const auto t0 = clock_type::time_point{} + 1h;
  for (std::size_t i = 0; i <= failure_window::prune_above; ++i) {
    failures.add("name" + std::to_string(i), t0);
  }
  // Later, out of the window of all of those: the next failure prunes them.
  failures.add("late", t0 + 2min);
  EXPECT_EQ(failures.keys(), 1u);
}

}  // namespace
}  // namespace callcenterd::app
