// Customer create, read, update and delete against PostgreSQL, with phone conflicts.
#include "callcenterd/crm/customers.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "crm_fixture.hpp"

namespace callcenterd::crm {
namespace {

using namespace std::chrono_literals;
using testing::crm_test;

class customers : public crm_test {};

TEST_F(customers, create_get_update_delete) {
  const auto before = std::chrono::system_clock::now() - 5s;
  customer_input in;
  in.name = " 张伟明 ";
  in.phones = std::vector<customer_phone>{{"138 0013 8000", "mobile"}, {"(010) 8888 6666", ""}};
  in.account = nlohmann::json{{"contract", "C-77"}, {"balance", 12.5}};
  in.vip_level = 2;
  in.tags = std::vector<std::string>{"vip", "投诉"};
  in.notes = "prefers evenings\n晚上联系";
  const auto created = blocking_create_customer(connection_, in, "86");
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(core::is_uuid(created->id));
  EXPECT_EQ(created->name, "张伟明");
  EXPECT_EQ(created->phones,
            (std::vector<customer_phone>{{"+8613800138000", "mobile"}, {"+861088886666", ""}}));
  EXPECT_EQ(created->account, (nlohmann::json{{"contract", "C-77"}, {"balance", 12.5}}));
  EXPECT_EQ(created->vip_level, 2);
  EXPECT_EQ(created->tags, (std::vector<std::string>{"vip", "投诉"}));
  EXPECT_EQ(created->notes, "prefers evenings\n晚上联系");
  EXPECT_GT(created->created_at, before);
  EXPECT_EQ(created->created_at, created->updated_at);

  const auto got = blocking_get_customer(connection_, created->id, customer_visibility::all());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->phones, created->phones);
  EXPECT_EQ(got->account, created->account);
  EXPECT_EQ(got->created_at, created->created_at);

  // Only the given fields change; a phones list replaces the old one.
  customer_input change;
  change.vip_level = 5;
  change.phones = std::vector<customer_phone>{{"+86 139 0013 9000", "new mobile"}};
  const auto updated = blocking_update_customer(connection_, created->id, change, "86");
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->vip_level, 5);
  EXPECT_EQ(updated->name, "张伟明");
  EXPECT_EQ(updated->tags, created->tags);
  EXPECT_EQ(updated->notes, created->notes);
  EXPECT_EQ(updated->phones, (std::vector<customer_phone>{{"+8613900139000", "new mobile"}}));
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customer_phones"), 1);

  ASSERT_TRUE(blocking_delete_customer(connection_, created->id));
  const auto gone = blocking_get_customer(connection_, created->id, customer_visibility::all());
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, crm_errc::not_found);
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customer_phones"), 0);
  const auto again = blocking_delete_customer(connection_, created->id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, crm_errc::not_found);
}

TEST_F(customers, a_number_of_another_customer_is_a_conflict_naming_the_owner) {
  const auto owner = create("王芳", {{"13800138000", ""}});
  customer_input in;
  in.name = "李娜";
  in.phones = std::vector<customer_phone>{{"13900139000", ""}, {"+86 138-0013-8000", ""}};
  const auto refused = blocking_create_customer(connection_, in, "86");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, crm_errc::conflict);
  ASSERT_EQ(refused.error().problems.size(), 1u);
  EXPECT_EQ(refused.error().problems[0].field, "phones[1].number");
  EXPECT_NE(refused.error().message.find("王芳"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find(owner.id), std::string::npos);
  // Nothing of the refused customer was written.
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customers"), 1);
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customer_phones"), 1);

  // The same on update; once the owner lets the number go, it can be taken.
  const auto other = create("李娜", {{"13900139000", ""}});
  customer_input take;
  take.phones = std::vector<customer_phone>{{"13800138000", ""}};
  const auto conflict = blocking_update_customer(connection_, other.id, take, "86");
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, crm_errc::conflict);
  EXPECT_EQ(query_value<std::string>("SELECT number FROM customer_phones WHERE customer_id = '" +
                                     other.id + "'"),
            "+8613900139000");
  customer_input release;
  release.phones = std::vector<customer_phone>{};
  ASSERT_TRUE(blocking_update_customer(connection_, owner.id, release, "86"));
  const auto taken = blocking_update_customer(connection_, other.id, take, "86");
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->phones, (std::vector<customer_phone>{{"+8613800138000", ""}}));
}

TEST_F(customers, a_number_taken_by_a_concurrent_writer_is_a_conflict_too) {
  const auto first = create("先到");
  // Another transaction holds the number, uncommitted: the check before writing cannot see it,
  // the insert waits for it, and its commit makes the insert find the number taken.
  pqxx::connection racer(db_.conninfo());
  pqxx::work race(racer);
  race.exec("INSERT INTO customer_phones (number, customer_id) VALUES ('+8613800138000', '" +
            first.id + "')");
  std::thread committer([&race] {
    std::this_thread::sleep_for(300ms);
    race.commit();
  });
  customer_input in;
  in.name = "后到";
  in.phones = std::vector<customer_phone>{{"13800138000", ""}};
  const auto result = blocking_create_customer(connection_, in, "86");
  committer.join();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, crm_errc::conflict);
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customers"), 1);
  EXPECT_EQ(query_value<std::string>("SELECT customer_id::text FROM customer_phones"), first.id);
}

TEST_F(customers, a_customer_keeps_its_own_numbers_on_update) {
  const auto c = create("赵敏", {{"13800138000", "a"}, {"13800138001", "b"}});
  customer_input reorder;
  reorder.phones = std::vector<customer_phone>{{"13800138001", "b"}, {"13800138000", "a2"}};
  const auto updated = blocking_update_customer(connection_, c.id, reorder, "86");
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->phones,
            (std::vector<customer_phone>{{"+8613800138001", "b"}, {"+8613800138000", "a2"}}));
}

TEST_F(customers, invalid_input_writes_nothing_and_names_the_fields) {
  customer_input in;
  in.name = "";
  in.vip_level = 9;
  in.phones = std::vector<customer_phone>{{"call me", ""}};
  const auto refused = blocking_create_customer(connection_, in, "86");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, crm_errc::invalid_input);
  EXPECT_EQ(refused.error().problems.size(), 3u);
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customers"), 0);

  const auto c = create("ok");
  customer_input bad;
  bad.notes = std::string(10'001, 'x');
  const auto not_updated = blocking_update_customer(connection_, c.id, bad, "86");
  ASSERT_FALSE(not_updated);
  EXPECT_EQ(not_updated.error().code, crm_errc::invalid_input);
}

TEST_F(customers, ids_that_are_not_uuids_are_simply_not_found) {
  for (const char* id : {"", "42", "'; DROP TABLE customers; --"}) {
    const auto got = blocking_get_customer(connection_, id, customer_visibility::all());
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, crm_errc::not_found);
    customer_input in;
    in.vip_level = 1;
    EXPECT_EQ(blocking_update_customer(connection_, id, in, "86").error().code,
              crm_errc::not_found);
    EXPECT_EQ(blocking_delete_customer(connection_, id).error().code, crm_errc::not_found);
  }
  EXPECT_EQ(blocking_get_customer(connection_, core::make_uuid(), customer_visibility::all())
                .error()
                .code,
            crm_errc::not_found);
}

TEST_F(customers, the_search_vector_follows_updates) {
  const auto c = create("张伟明", {}, {"欠费"});
  customer_input rename;
  rename.name = "李小龙";
  ASSERT_TRUE(blocking_update_customer(connection_, c.id, rename, "86"));
  const auto old_name =
      blocking_search_customers(connection_, {"张伟", 10, 0}, customer_visibility::all(), "86");
  ASSERT_TRUE(old_name);
  EXPECT_EQ(old_name->total, 0u);
  const auto new_name =
      blocking_search_customers(connection_, {"小龙", 10, 0}, customer_visibility::all(), "86");
  ASSERT_TRUE(new_name);
  EXPECT_EQ(testing::ids_of(new_name->items), std::vector<std::string>{c.id});
  // The tags were not given, so they are still found.
  const auto tag =
      blocking_search_customers(connection_, {"欠费", 10, 0}, customer_visibility::all(), "86");
  EXPECT_EQ(tag->total, 1u);
}

}  // namespace
}  // namespace callcenterd::crm
