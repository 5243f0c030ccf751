#include "demo_exposure.hpp"

#include <gtest/gtest.h>

namespace callcenterd::app {
namespace {

TEST(demo_exposure_test, loopback_addresses_are_private) {
  EXPECT_TRUE(is_loopback_address("127.0.0.1"));
  EXPECT_TRUE(is_loopback_address("127.8.9.10"));
  EXPECT_TRUE(is_loopback_address("::1"));
  EXPECT_TRUE(is_loopback_address("localhost"));
}

TEST(demo_exposure_test, wildcard_lan_and_names_are_exposed) {
  EXPECT_FALSE(is_loopback_address("0.0.0.0"));
  EXPECT_FALSE(is_loopback_address("::"));
  EXPECT_FALSE(is_loopback_address("192.0.2.10"));
  EXPECT_FALSE(is_loopback_address("pbx.example.com"));
  EXPECT_EQ(exposed_addresses({"127.0.0.1", "0.0.0.0", "::1"}),
            std::vector<std::string>{"0.0.0.0"});
  EXPECT_TRUE(exposed_addresses({"127.0.0.1"}).empty());
}

}  // namespace
}  // namespace callcenterd::app
