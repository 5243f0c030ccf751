#include "suggest.hpp"

#include <gtest/gtest.h>

namespace callcenterd::config::detail {
namespace {

TEST(edit_distance, counts_edits_and_neighbour_swaps) {
  EXPECT_EQ(edit_distance("port", "port"), 0u);
  EXPECT_EQ(edit_distance("prot", "port"), 1u);
  EXPECT_EQ(edit_distance("por", "port"), 1u);
  EXPECT_EQ(edit_distance("ports", "port"), 1u);
  EXPECT_EQ(edit_distance("Port", "port"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(closest_match, suggests_only_likely_typos) {
  const std::vector<std::string> keys{"address", "port", "max_header_bytes", "max_body_bytes"};
  EXPECT_EQ(closest_match("prot", keys), "port");
  EXPECT_EQ(closest_match("adress", keys), "address");
  EXPECT_EQ(closest_match("max_body_byte", keys), "max_body_bytes");
  EXPECT_EQ(closest_match("colour", keys), std::nullopt);
  EXPECT_EQ(closest_match("pt", keys), std::nullopt);  // two edits are too many for short words
  EXPECT_EQ(closest_match("x", {}), std::nullopt);
}

}  // namespace
}  // namespace callcenterd::config::detail
