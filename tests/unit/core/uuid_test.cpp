#include "callcenterd/core/uuid.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace callcenterd::core {
namespace {

TEST(uuid, make_uuid_is_canonical_version_4) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = make_uuid();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_EQ(id.find_first_of("ABCDEF"), std::string::npos) << id;
  }
}

TEST(uuid, make_uuid_does_not_repeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(make_uuid());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(uuid, is_uuid_rejects_other_shapes) {
  EXPECT_TRUE(is_uuid("3f2b8c1e-6d4a-4f0e-9b7a-1c2d3e4f5a6b"));
  EXPECT_TRUE(is_uuid("3F2B8C1E-6D4A-4F0E-9B7A-1C2D3E4F5A6B"));
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("3f2b8c1e6d4a4f0e9b7a1c2d3e4f5a6b"));
  EXPECT_FALSE(is_uuid("3f2b8c1e-6d4a-4f0e-9b7a-1c2d3e4f5a6"));
  EXPECT_FALSE(is_uuid("3f2b8c1e-6d4a-4f0e-9b7a-1c2d3e4f5a6bb"));
  EXPECT_FALSE(is_uuid("3f2b8c1e-6d4a-4f0e-9b7a_1c2d3e4f5a6b"));
  EXPECT_FALSE(is_uuid("3f2b8c1e-6d4a-4f0e-9b7a-1c2d3e4f5a6g"));
  EXPECT_FALSE(is_uuid("3f2b8c1e-6d4a4-f0e-9b7a-1c2d3e4f5a6b"));
}

}  // namespace
}  // namespace callcenterd::core
