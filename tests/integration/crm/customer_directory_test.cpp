// Loading the caller lookup from PostgreSQL.
#include "callcenterd/crm/customer_directory.hpp"

#include <gtest/gtest.h>

#include "crm_fixture.hpp"

namespace callcenterd::crm {
namespace {

using testing::crm_test;

class customer_directory_load : public crm_test {};

TEST_F(customer_directory_load, fills_the_lookup_from_the_tables) {
  const auto zhang =
      create("张伟", {{"13800138000", "mobile"}, {"(010) 8888 6666", "office"}}, {"vip", "投诉"});
  customer_input in;
  in.name = "李娜";
  in.phones = std::vector<customer_phone>{{"+44 20 7946 0000", ""}};
  in.vip_level = 4;
  const auto li = blocking_create_customer(connection_, in, "86");
  ASSERT_TRUE(li);
  create("no numbers");

  customer_directory directory;
  directory.put(customer{"stale", "gone", {{"+8613999999999", ""}}, {}, 0, {}, {}, {}, {}});
  directory.blocking_load(connection_);
  EXPECT_EQ(directory.size(), 3u);
  EXPECT_FALSE(directory.lookup("+8613999999999")) << "a load replaces everything";
  const auto by_mobile = directory.lookup_caller("13800138000", "86");
  ASSERT_TRUE(by_mobile);
  EXPECT_EQ(*by_mobile, (customer_summary{zhang.id, "张伟", 0, {"vip", "投诉"}}));
  EXPECT_EQ(directory.lookup("+861088886666"), by_mobile);
  const auto abroad = directory.lookup_caller("00442079460000", "86");
  ASSERT_TRUE(abroad);
  EXPECT_EQ(abroad->id, li->id);
  EXPECT_EQ(abroad->vip_level, 4);

  // Kept current after writes, and a later load agrees.
  ASSERT_TRUE(blocking_delete_customer(connection_, zhang.id));
  directory.erase(zhang.id);
  EXPECT_FALSE(directory.lookup("+8613800138000"));
  directory.blocking_load(connection_);
  EXPECT_EQ(directory.size(), 1u);
  EXPECT_FALSE(directory.lookup("+8613800138000"));
}

}  // namespace
}  // namespace callcenterd::crm
