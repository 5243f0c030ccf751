// Customer search (Chinese, Latin, numbers), paging, visibility and contact history.
#include <gtest/gtest.h>

#include <set>

#include "callcenterd/crm/customers.hpp"
#include "crm_fixture.hpp"

namespace callcenterd::crm {
namespace {

using testing::crm_test;
using testing::ids_of;

class customer_search : public crm_test {
 protected:
  std::vector<std::string> find(const std::string& q,
                                const customer_visibility& v = customer_visibility::all()) {
    const auto page = blocking_search_customers(connection_, {q, 100, 0}, v, "86");
    if (!page) {
      ADD_FAILURE() << q << ": " << page.error().message;
      return {};
    }
    EXPECT_EQ(page->total, page->items.size()) << q;
    return ids_of(page->items);
  }

  std::set<std::string> found_set(const std::string& q,
                                  const customer_visibility& v = customer_visibility::all()) {
    const auto ids = find(q, v);
    return {ids.begin(), ids.end()};
  }
};

TEST_F(customer_search, chinese_names_are_found_by_any_part_of_two_or_more_characters) {
  const auto zhang_weiming = create("张伟明");
  const auto zhang_wei = create("张伟");
  const auto li_wei = create("李伟");
  const auto wang_fang = create("王芳");

  EXPECT_EQ(found_set("张伟"), (std::set<std::string>{zhang_weiming.id, zhang_wei.id}));
  EXPECT_EQ(find("伟明"), std::vector<std::string>{zhang_weiming.id});
  EXPECT_EQ(find("张伟明"), std::vector<std::string>{zhang_weiming.id});
  // A single character finds every name holding it.
  EXPECT_EQ(found_set("伟"), (std::set<std::string>{zhang_weiming.id, zhang_wei.id, li_wei.id}));
  EXPECT_EQ(find("王"), std::vector<std::string>{wang_fang.id});
  // Characters that are not next to each other in the name do not match as a bigram.
  EXPECT_TRUE(find("张明").empty());
  EXPECT_TRUE(find("赵六").empty());
  // Equal ranks go by name.
  EXPECT_EQ(find("张伟"), (std::vector<std::string>{zhang_wei.id, zhang_weiming.id}));
}

TEST_F(customer_search, latin_words_match_without_case_and_the_last_one_as_a_prefix) {
  const auto zhang = create("Zhang Wei", {}, {"Gold"}, "Called about the invoice");
  const auto other = create("Wei Zhangsan");
  EXPECT_EQ(found_set("zhang"), (std::set<std::string>{zhang.id, other.id}));
  EXPECT_EQ(find("ZHANG WEI INV"), std::vector<std::string>{zhang.id});
  EXPECT_EQ(find("gold"), std::vector<std::string>{zhang.id});
  EXPECT_EQ(find("invoice"), std::vector<std::string>{zhang.id});
  EXPECT_TRUE(find("invoices").empty());
  // Operators in the query are words, not syntax.
  EXPECT_TRUE(find("zhang | !wei & :*").size() <= 2u);
  EXPECT_TRUE(find("'); DROP TABLE customers; --").empty());
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customers"), 2);
}

TEST_F(customer_search, notes_and_tags_in_chinese) {
  const auto a = create("甲", {}, {"投诉客户"}, "客户要求退款，已转财务处理");
  const auto b = create("乙", {}, {}, "咨询退货流程");
  EXPECT_EQ(find("退款"), std::vector<std::string>{a.id});
  EXPECT_EQ(find("财务 退款"), std::vector<std::string>{a.id});
  EXPECT_EQ(find("投诉"), std::vector<std::string>{a.id});
  EXPECT_EQ(find("流程"), std::vector<std::string>{b.id});
  EXPECT_TRUE(find("退款 流程").empty()) << "every word must occur";
}

TEST_F(customer_search, numbers_are_found_by_their_start_or_their_last_digits) {
  const auto mobile = create("手机", {{"13800138000", ""}});
  const auto landline = create("座机", {{"(010) 8888 6666", ""}});
  const auto abroad = create("abroad", {{"+44 20 7946 0000", ""}});
  EXPECT_EQ(find("138"), std::vector<std::string>{mobile.id});
  EXPECT_EQ(find("138-0013"), std::vector<std::string>{mobile.id});
  EXPECT_EQ(find("+86 138"), std::vector<std::string>{mobile.id});
  EXPECT_EQ(find("0086138"), std::vector<std::string>{mobile.id});
  EXPECT_EQ(find("13800138000"), std::vector<std::string>{mobile.id});
  EXPECT_EQ(find("010 8888"), std::vector<std::string>{landline.id});
  EXPECT_EQ(find("6666"), std::vector<std::string>{landline.id});
  EXPECT_EQ(find("+4420"), std::vector<std::string>{abroad.id});
  EXPECT_EQ(find("7946 0000"), std::vector<std::string>{abroad.id});
  EXPECT_TRUE(find("139").empty());
}

TEST_F(customer_search, pages_count_every_match) {
  for (const char* name : {"客户 e", "客户 a", "客户 d", "客户 b", "客户 c", "other"}) create(name);
  const auto page =
      blocking_search_customers(connection_, {"客户", 2, 2}, customer_visibility::all(), "86");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 5u);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].name, "客户 c");
  EXPECT_EQ(page->items[1].name, "客户 d");
  const auto everyone =
      blocking_search_customers(connection_, {"", 500, 0}, customer_visibility::all(), "86");
  ASSERT_TRUE(everyone);
  EXPECT_EQ(everyone->total, 6u);
  EXPECT_EQ(everyone->items.front().name, "other");
  const auto past_the_end =
      blocking_search_customers(connection_, {"客户", 2, 10}, customer_visibility::all(), "86");
  ASSERT_TRUE(past_the_end);
  EXPECT_TRUE(past_the_end->items.empty());
  EXPECT_EQ(past_the_end->total, 5u);
}

TEST_F(customer_search, bad_limits_are_refused) {
  for (const std::size_t limit : {std::size_t{0}, std::size_t{501}}) {
    const auto page =
        blocking_search_customers(connection_, {"", limit, 0}, customer_visibility::all(), "86");
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, crm_errc::invalid_input);
  }
  EXPECT_FALSE(blocking_search_customers(connection_, {"", 10, 2'000'000},
                                         customer_visibility::all(), "86"));
}

TEST_F(customer_search, agents_see_the_customers_of_their_calls_and_of_their_current_calls) {
  const auto ann_customer = create("安客户");
  const auto bob_customer = create("鲍客户");
  const auto current = create("当前客户");
  const auto nobody = create("无人客户");
  add_call(ann_customer.id, "ann", 60);
  add_call(bob_customer.id, "bob", 30);
  add_call(nobody.id, "carl", 10);

  const auto ann = customer_visibility::of_agents({"ann"}, {current.id, "not-a-uuid"});
  EXPECT_EQ(found_set("客户", ann), (std::set<std::string>{ann_customer.id, current.id}));
  EXPECT_EQ(found_set("", ann), (std::set<std::string>{ann_customer.id, current.id}));
  const auto team = customer_visibility::of_agents({"ann", "bob"});
  EXPECT_EQ(found_set("客户", team), (std::set<std::string>{ann_customer.id, bob_customer.id}));
  EXPECT_TRUE(find("客户", customer_visibility{}).empty()) << "default: nobody";
  EXPECT_EQ(found_set("客户").size(), 4u);

  EXPECT_TRUE(blocking_get_customer(connection_, ann_customer.id, ann));
  EXPECT_TRUE(blocking_get_customer(connection_, current.id, ann));
  const auto hidden = blocking_get_customer(connection_, bob_customer.id, ann);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, crm_errc::not_found);
}

TEST_F(customer_search, contact_history_lists_calls_newest_first_with_recordings) {
  const auto c = create("历史客户");
  const auto old_call = add_call(c.id, "ann", 120);
  const auto middle_call = add_call(c.id, "bob", 60, true);
  const auto new_call = add_call(c.id, "ann", 5);
  add_call(create("别人").id, "ann", 1);
  add_recording(new_call, "completed");
  add_recording(middle_call, "failed");

  const auto history = blocking_contact_history(connection_, c.id, 10);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].call_id, new_call);
  EXPECT_EQ((*history)[1].call_id, middle_call);
  EXPECT_EQ((*history)[2].call_id, old_call);
  const auto& newest = (*history)[0];
  EXPECT_EQ(newest.direction, "inbound");
  EXPECT_EQ(newest.agent, "ann");
  EXPECT_EQ(newest.queue, "support");
  EXPECT_EQ(newest.caller, "13800138000");
  EXPECT_EQ(newest.dialed, "4008001234");
  EXPECT_EQ(newest.disposition, "connected");
  EXPECT_EQ(newest.talk_ms, 60000);
  EXPECT_EQ(newest.wait_ms, 5000);
  EXPECT_EQ(newest.recording_id, new_call);
  EXPECT_TRUE(newest.recording_completed);
  EXPECT_EQ((*history)[1].direction, "outbound");
  EXPECT_EQ((*history)[1].recording_id, middle_call);
  EXPECT_FALSE((*history)[1].recording_completed);
  EXPECT_EQ((*history)[2].recording_id, std::nullopt);
  EXPECT_GT(newest.started_at, (*history)[1].started_at);

  const auto limited = blocking_contact_history(connection_, c.id, 2);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 2u);
  EXPECT_TRUE(blocking_contact_history(connection_, "nope", 10)->empty());
  EXPECT_FALSE(blocking_contact_history(connection_, c.id, 0));
}

}  // namespace
}  // namespace callcenterd::crm
