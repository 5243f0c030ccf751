#include "admission.hpp"

#include <gtest/gtest.h>

namespace callcenterd::call::detail {
namespace {

using namespace std::chrono_literals;
const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
const auto a = boost::asio::ip::make_address("192.0.2.1");
const auto b = boost::asio::ip::make_address("192.0.2.2");

TEST(admission, concurrent_calls_are_capped_and_slots_come_back) {
  admission limits(2, 100);
  EXPECT_EQ(limits.admit(a, t0), admission_refusal::none);
  EXPECT_EQ(limits.admit(b, t0), admission_refusal::none);
  EXPECT_EQ(limits.admit(b, t0), admission_refusal::too_many_calls);
  EXPECT_EQ(limits.active(), 2U);
  limits.release();
  EXPECT_EQ(limits.admit(b, t0), admission_refusal::none);
}

TEST(admission, one_source_over_its_rate_is_refused_and_others_are_not) {
  admission limits(1000, 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limits.admit(a, t0), admission_refusal::none);
  EXPECT_EQ(limits.admit(a, t0), admission_refusal::source_rate);
  EXPECT_EQ(limits.admit(b, t0), admission_refusal::none);
  // A third of a second refills one token at 3 calls/s.
  EXPECT_EQ(limits.admit(a, t0 + 340ms), admission_refusal::none);
  EXPECT_EQ(limits.admit(a, t0 + 340ms), admission_refusal::source_rate);
  // The bucket never holds more than one second's worth.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limits.admit(a, t0 + 60s), admission_refusal::none);
  EXPECT_EQ(limits.admit(a, t0 + 60s), admission_refusal::source_rate);
}

TEST(address_set, matches_single_addresses_and_blocks_of_both_families) {
  const address_set trusted({"192.0.2.10", "198.51.100.0/24", "2001:db8::/32", "not an ip"});
  EXPECT_TRUE(trusted.contains(boost::asio::ip::make_address("192.0.2.10")));
  EXPECT_FALSE(trusted.contains(boost::asio::ip::make_address("192.0.2.11")));
  EXPECT_TRUE(trusted.contains(boost::asio::ip::make_address("198.51.100.200")));
  EXPECT_FALSE(trusted.contains(boost::asio::ip::make_address("198.51.101.1")));
  EXPECT_TRUE(trusted.contains(boost::asio::ip::make_address("2001:db8:1::5")));
  EXPECT_FALSE(trusted.contains(boost::asio::ip::make_address("2001:db9::5")));
  EXPECT_FALSE(address_set({}).contains(boost::asio::ip::make_address("127.0.0.1")));
}

}  // namespace
}  // namespace callcenterd::call::detail
