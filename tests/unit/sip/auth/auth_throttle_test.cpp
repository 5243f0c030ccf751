#include "callcenterd/sip/auth_throttle.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace callcenterd::sip {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::address;
using boost::asio::ip::make_address;
using clock = auth_throttle::clock;

const clock::time_point t0 = clock::time_point{} + 1000h;
const address alice = make_address("192.0.2.10");
const address bob = make_address("198.51.100.7");

throttle_settings small(std::uint32_t failures = 3) {
  throttle_settings s;
  s.max_failures = failures;
  s.window = 60s;
  s.block_for = 300s;
  return s;
}

void fail(auth_throttle& t, const address& source, int times, clock::time_point now) {
  for (int i = 0; i < times; ++i) t.record_failure(source, now);
}

TEST(auth_throttle, blocks_after_max_failures_for_block_time) {
  auth_throttle t(small());
  EXPECT_FALSE(t.record_failure(alice, t0));
  EXPECT_FALSE(t.record_failure(alice, t0 + 10s));
  EXPECT_FALSE(t.is_blocked(alice, t0 + 10s));
  EXPECT_TRUE(t.record_failure(alice, t0 + 20s));
  EXPECT_TRUE(t.is_blocked(alice, t0 + 20s));
  EXPECT_TRUE(t.is_blocked(alice, t0 + 319s));
  EXPECT_FALSE(t.is_blocked(alice, t0 + 320s));
  auto s = t.stats(t0 + 320s);
  EXPECT_EQ(s.blocked_drops, 2U);
  EXPECT_EQ(s.blocks_imposed, 1U);
  EXPECT_EQ(s.blocked_sources, 0U);
  // After the block the count starts from zero.
  EXPECT_FALSE(t.record_failure(alice, t0 + 330s));
  EXPECT_FALSE(t.is_blocked(alice, t0 + 330s));
}

TEST(auth_throttle, failures_outside_the_window_do_not_add_up) {
  auth_throttle t(small());
  fail(t, alice, 2, t0);
  EXPECT_FALSE(t.record_failure(alice, t0 + 60s));  // a new window opens
  EXPECT_FALSE(t.record_failure(alice, t0 + 100s));
  EXPECT_TRUE(t.record_failure(alice, t0 + 110s));
}

TEST(auth_throttle, sources_are_isolated) {
  auth_throttle t(small());
  fail(t, alice, 3, t0);
  EXPECT_TRUE(t.is_blocked(alice, t0));
  EXPECT_FALSE(t.is_blocked(bob, t0));
  EXPECT_FALSE(t.record_failure(bob, t0));
  EXPECT_FALSE(t.record_failure(bob, t0));
  EXPECT_FALSE(t.is_blocked(bob, t0));
  t.record_success(bob, t0);
  EXPECT_TRUE(t.is_blocked(alice, t0 + 1s));
  EXPECT_EQ(t.stats(t0 + 1s).blocked_sources, 1U);
}

TEST(auth_throttle, success_clears_failures_but_not_a_block) {
  auth_throttle t(small());
  fail(t, alice, 2, t0);
  t.record_success(alice, t0 + 1s);
  fail(t, alice, 2, t0 + 2s);
  EXPECT_FALSE(t.is_blocked(alice, t0 + 2s));
  EXPECT_TRUE(t.record_failure(alice, t0 + 3s));
  t.record_success(alice, t0 + 4s);
  EXPECT_TRUE(t.is_blocked(alice, t0 + 5s));
}

TEST(auth_throttle, ipv4_mapped_is_the_same_source_and_ipv6_works) {
  auth_throttle t(small());
  fail(t, make_address("::ffff:192.0.2.10"), 3, t0);
  EXPECT_TRUE(t.is_blocked(alice, t0));
  const auto v6 = make_address("2001:db8::1");
  fail(t, v6, 3, t0);
  EXPECT_TRUE(t.is_blocked(v6, t0));
  EXPECT_FALSE(t.is_blocked(make_address("2001:db8::2"), t0));
}

address numbered(std::uint32_t n) { return boost::asio::ip::address_v4(0x0a000000U + n); }

TEST(auth_throttle, memory_is_bounded_and_least_recent_forgotten) {
  throttle_settings s = small(2);
  s.max_tracked_sources = 100;
  auth_throttle t(s);
  EXPECT_FALSE(t.record_failure(alice, t0));
  for (std::uint32_t n = 0; n < 1000; ++n) {
    t.record_failure(numbered(n), t0 + 1s);
    ASSERT_LE(t.stats(t0 + 1s).tracked_sources, 100U);
  }
  EXPECT_EQ(t.stats(t0 + 1s).tracked_sources, 100U);
  // alice's first failure was forgotten; the most recent sources were kept.
  EXPECT_FALSE(t.record_failure(alice, t0 + 2s));
  EXPECT_TRUE(t.record_failure(numbered(999), t0 + 2s));
}

TEST(auth_throttle, idle_entries_expire) {
  auth_throttle t(small());
  fail(t, alice, 1, t0);
  fail(t, bob, 3, t0);
  EXPECT_EQ(t.stats(t0 + 30s).tracked_sources, 2U);
  EXPECT_EQ(t.stats(t0 + 61s).tracked_sources, 1U);  // alice's window is over
  auto later = t.stats(t0 + 301s);
  EXPECT_EQ(later.tracked_sources, 0U);  // bob's block is over
  EXPECT_EQ(later.blocked_sources, 0U);
}

TEST(auth_throttle, zero_max_failures_switches_it_off) {
  auth_throttle t(small(0));
  fail(t, alice, 100, t0);
  EXPECT_FALSE(t.is_blocked(alice, t0));
  EXPECT_EQ(t.stats(t0).tracked_sources, 0U);
}

TEST(auth_throttle, refuses_bad_settings) {
  throttle_settings s;
  s.window = 0s;
  EXPECT_THROW(auth_throttle{s}, std::invalid_argument);
  s = {};
  s.block_for = 0s;
  EXPECT_THROW(auth_throttle{s}, std::invalid_argument);
  s = {};
  s.max_tracked_sources = 0;
  EXPECT_THROW(auth_throttle{s}, std::invalid_argument);
  EXPECT_NO_THROW(auth_throttle{throttle_settings{}});
}

TEST(auth_throttle, concurrent_sources) {
  auth_throttle t(small(5));
  std::vector<std::thread> threads;
  for (std::uint32_t k = 0; k < 4; ++k) {
    threads.emplace_back([&t, k] {
      for (std::uint32_t n = 0; n < 200; ++n) {
        // Thread k blocks its even sources and leaves its odd ones one short.
        auto source = numbered(k * 1000 + n);
        fail(t, source, n % 2 == 0 ? 5 : 4, t0);
      }
    });
  }
  for (auto& th : threads) th.join();
  auto s = t.stats(t0);
  EXPECT_EQ(s.blocked_sources, 400U);
  EXPECT_EQ(s.blocks_imposed, 400U);
  EXPECT_EQ(s.tracked_sources, 800U);
  EXPECT_TRUE(t.is_blocked(numbered(2000), t0));
  EXPECT_FALSE(t.is_blocked(numbered(2001), t0));
}

}  // namespace
}  // namespace callcenterd::sip
