#include "callcenterd/media/rtp_port_pool.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace callcenterd::media {
namespace {

TEST(rtp_port_pool, hands_out_even_ports_whose_pair_fits_the_range) {
  rtp_port_pool pool(20001, 20008);  // pairs 20002/3, 20004/5, 20006/7; 20008 has no pair
  EXPECT_EQ(pool.capacity(), 3U);
  EXPECT_EQ(pool.take(), 20002);
  EXPECT_EQ(pool.take(), 20004);
  EXPECT_EQ(pool.take(), 20006);
  EXPECT_EQ(pool.take(), std::nullopt);
  EXPECT_EQ(pool.in_use(), 3U);
}

TEST(rtp_port_pool, a_pair_given_back_is_taken_last) {
  rtp_port_pool pool(30000, 30005);  // 30000, 30002, 30004
  EXPECT_EQ(pool.take(), 30000);
  pool.give_back(30000);
  EXPECT_EQ(pool.take(), 30002);
  EXPECT_EQ(pool.take(), 30004);
  EXPECT_EQ(pool.take(), 30000);  // only now, once the others are taken
  pool.give_back(30002);
  pool.give_back(30002);  // twice: ignored
  pool.give_back(30003);  // odd: not ours
  pool.give_back(40000);  // outside: not ours
  EXPECT_EQ(pool.in_use(), 2U);
  EXPECT_EQ(pool.take(), 30002);
}

TEST(rtp_port_pool, a_range_without_a_pair_is_refused) {
  EXPECT_THROW(rtp_port_pool(20001, 20002), std::invalid_argument);
  EXPECT_THROW(rtp_port_pool(65535, 65535), std::invalid_argument);
  EXPECT_NO_THROW(rtp_port_pool(65534, 65535));
}

TEST(rtp_port_pool, threads_never_get_the_same_port) {
  rtp_port_pool pool(10000, 10000 + 2 * 4000 - 1);
  std::vector<std::vector<std::uint16_t>> got(4);
  std::vector<std::thread> threads;
  for (auto& mine : got) {
    threads.emplace_back([&pool, &mine] {
      for (int i = 0; i < 1000; ++i) mine.push_back(*pool.take());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::uint16_t> all;
  for (const auto& mine : got) all.insert(mine.begin(), mine.end());
  EXPECT_EQ(all.size(), 4000U);
  EXPECT_EQ(pool.take(), std::nullopt);
}

}  // namespace
}  // namespace callcenterd::media
