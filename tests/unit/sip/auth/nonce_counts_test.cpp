#include "nonce_counts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace callcenterd::sip::auth_detail {
namespace {

using namespace std::chrono_literals;
using clock = nonce_counts::clock;

const clock::time_point t0 = clock::time_point{} + 1000h;

TEST(nonce_counts, counts_must_rise_per_nonce) {
  nonce_counts counts(16, 300s);
  EXPECT_TRUE(counts.accept("a", t0, 1, t0));
  EXPECT_FALSE(counts.accept("a", t0, 1, t0));
  EXPECT_TRUE(counts.accept("a", t0, 3, t0));
  EXPECT_FALSE(counts.accept("a", t0, 2, t0));
  EXPECT_FALSE(counts.accept("a", t0, 3, t0));
  EXPECT_TRUE(counts.accept("a", t0, 4, t0));
  // Another nonce keeps its own count.
  EXPECT_TRUE(counts.accept("b", t0, 1, t0));
  EXPECT_EQ(counts.size(), 2U);
}

TEST(nonce_counts, full_table_forgets_oldest_and_distrusts_its_era) {
  nonce_counts counts(3, 300s);
  EXPECT_TRUE(counts.accept("n1", t0 + 1s, 1, t0 + 10s));
  EXPECT_TRUE(counts.accept("n2", t0 + 2s, 1, t0 + 10s));
  EXPECT_TRUE(counts.accept("n3", t0 + 3s, 1, t0 + 10s));
  EXPECT_TRUE(counts.accept("n4", t0 + 4s, 1, t0 + 10s));
  EXPECT_EQ(counts.size(), 3U);
  // n1's history is gone, so even a higher count is refused rather than trusted.
  EXPECT_FALSE(counts.accept("n1", t0 + 1s, 5, t0 + 10s));
  // So is a never-seen nonce from before the forgotten one.
  EXPECT_FALSE(counts.accept("n0", t0, 1, t0 + 10s));
  // Newer nonces are unaffected.
  EXPECT_TRUE(counts.accept("n5", t0 + 5s, 1, t0 + 10s));
  EXPECT_TRUE(counts.accept("n4", t0 + 4s, 2, t0 + 10s));
  EXPECT_EQ(counts.size(), 3U);
}

TEST(nonce_counts, expired_nonces_leave) {
  nonce_counts counts(100, 300s);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(counts.accept("old" + std::to_string(i), t0, 1, t0));
  }
  EXPECT_EQ(counts.size(), 10U);
  EXPECT_TRUE(counts.accept("new", t0 + 400s, 1, t0 + 400s));
  EXPECT_EQ(counts.size(), 1U);
  // A late caller presenting an expired nonce is refused, not taken for a first use.
  EXPECT_FALSE(counts.accept("old3", t0, 2, t0 + 200s));
}

TEST(nonce_counts, concurrent_callers_never_share_a_count) {
  nonce_counts counts(16, 300s);
  constexpr std::uint32_t top = 2000;
  std::vector<std::vector<std::uint32_t>> accepted(4);
  std::vector<std::thread> threads;
  threads.reserve(accepted.size());
  for (auto& out : accepted) {
    threads.emplace_back([&counts, &out] {
      for (std::uint32_t nc = 1; nc <= top; ++nc) {
        if (counts.accept("shared", t0, nc, t0)) out.push_back(nc);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<std::uint32_t> all;
  for (const auto& out : accepted) all.insert(all.end(), out.begin(), out.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  EXPECT_FALSE(all.empty());
  EXPECT_FALSE(counts.accept("shared", t0, top, t0));
}

}  // namespace
}  // namespace callcenterd::sip::auth_detail
