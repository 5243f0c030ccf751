#include "callcenterd/core/wording.hpp"

#include <gtest/gtest.h>

namespace callcenterd::core {
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

TEST(in_quotes, long_text_is_cut_in_messages) {
  const std::string long_text(100, 'x');
  EXPECT_EQ(in_quotes(long_text), "'" + std::string(60, 'x') + "...'");
  EXPECT_EQ(in_quotes("short"), "'short'");
  EXPECT_EQ(in_quotes(std::string(60, 'x')), "'" + std::string(60, 'x') + "'");
  EXPECT_EQ(in_quotes("abcdef", 3), "'abc...'");
}

TEST(in_quotes, counts_characters_and_never_cuts_one) {
  // Each of these is three bytes in UTF-8: the cut falls after whole characters.
  const std::string chinese = "您前面还有三位客户";
  EXPECT_EQ(in_quotes(chinese, 2), "'您前...'");
  EXPECT_EQ(in_quotes(chinese, 9), "'" + chinese + "'");
}

}  // namespace
}  // namespace callcenterd::core
