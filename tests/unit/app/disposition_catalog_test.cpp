#include "disposition_catalog.hpp"

#include <gtest/gtest.h>

namespace callcenterd::app {
namespace {

TEST(disposition_catalog, is_empty_and_not_loaded_until_replaced) {
  disposition_catalog codes;
  EXPECT_FALSE(codes.loaded());
  EXPECT_TRUE(codes.all().empty());
  codes.replace({{"sale", "Sale", true}, {"callback", "Call back", false}});
  EXPECT_TRUE(codes.loaded());
  const auto all = codes.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].code, "callback");  // by code
  EXPECT_FALSE(all[0].active);
  EXPECT_EQ(codes.find("sale")->label, "Sale");
  EXPECT_FALSE(codes.find("nope"));
}

TEST(disposition_catalog, put_adds_or_replaces_one_code) {
  disposition_catalog codes;
  codes.replace({{"sale", "Sale", true}});
  codes.put({"sale", "Sold", false});
  codes.put({"resolved", "Resolved", true});
  EXPECT_EQ(codes.find("sale"), (disposition_code{"sale", "Sold", false}));
  EXPECT_EQ(codes.all().size(), 2u);
  // A later load replaces everything, retired codes included.
  codes.replace({{"resolved", "Resolved", true}});
  EXPECT_FALSE(codes.find("sale"));
}

TEST(disposition_catalog, codes_are_short_lower_case_words) {
  for (const char* good : {"a", "follow_up", "sale2", "abcdefghijklmnopqrstuvwxyz012345"}) {
    EXPECT_TRUE(is_disposition_code(good)) << good;
  }
  for (const char* bad :
       {"", "Sale", "follow-up", "a b", "é", "abcdefghijklmnopqrstuvwxyz0123456"}) {
    EXPECT_FALSE(is_disposition_code(bad)) << bad;
  }
}

}  // namespace
}  // namespace callcenterd::app
