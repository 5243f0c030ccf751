// The customer CSV layout and the import planner, without a database.
#include "customer_csv_rows.hpp"

#include <gtest/gtest.h>

#include <string>

#include "callcenterd/crm/csv.hpp"

namespace callcenterd::crm {
namespace {

constexpr const char* uuid_a = "00000000-0000-4000-8000-00000000000a";
constexpr const char* uuid_b = "00000000-0000-4000-8000-00000000000b";

customer_csv_plan plan_ok(const std::string& text) {
  auto plan = plan_customer_csv(text, "86", 100);
  EXPECT_TRUE(plan) << (plan ? "" : plan.error().message);
  return plan ? *plan : customer_csv_plan{};
}

// "line:field" of each problem, for compact expectations.
std::vector<std::string> where(const std::vector<crm_problem>& problems) {
  std::vector<std::string> out;
  out.reserve(problems.size());
  for (const auto& p : problems) out.push_back(std::to_string(p.line) + ":" + p.field);
  return out;
}

TEST(plan_customer_csv, reads_rows_into_checked_inputs) {
  const auto plan = plan_ok(
      "name,phones,vip_level,tags,notes,account\r\n"
      "张伟明,mobile:138 0013 8000;(010) 8888 6666,3,vip;投诉,\"'=not a "
      "formula\",\"{\"\"k\"\":1}\"\r\n"
      "Li Na,,,,,\r\n");
  ASSERT_TRUE(plan.problems.empty()) << plan.problems.front().message;
  EXPECT_TRUE(plan.has_phones);
  ASSERT_EQ(plan.rows.size(), 2u);
  const auto& first = plan.rows[0];
  EXPECT_EQ(first.line, 2u);
  EXPECT_FALSE(first.id);
  EXPECT_EQ(first.input.name, "张伟明");
  EXPECT_EQ(*first.input.phones,
            (std::vector<customer_phone>{{"+8613800138000", "mobile"}, {"+861088886666", ""}}));
  EXPECT_EQ(first.input.vip_level, 3);
  EXPECT_EQ(*first.input.tags, (std::vector<std::string>{"vip", "投诉"}));
  EXPECT_EQ(first.input.notes, "=not a formula");
  EXPECT_EQ(*first.input.account, (nlohmann::json{{"k", 1}}));
  // Empty cells are empty values.
  const auto& second = plan.rows[1];
  EXPECT_TRUE(second.input.phones->empty());
  EXPECT_EQ(second.input.vip_level, 0);
  EXPECT_EQ(*second.input.account, nlohmann::json::object());
}

TEST(plan_customer_csv, columns_may_come_in_any_order_and_some_may_be_missing) {
  const auto plan = plan_ok(std::string("Notes, ID ,vip_level\n") + "hello," + uuid_a + ",1\n");
  ASSERT_TRUE(plan.problems.empty());
  ASSERT_EQ(plan.rows.size(), 1u);
  EXPECT_EQ(plan.rows[0].id, uuid_a);
  EXPECT_FALSE(plan.rows[0].input.name);
  EXPECT_FALSE(plan.rows[0].input.phones);
  EXPECT_FALSE(plan.has_phones);
}

TEST(plan_customer_csv, unknown_and_repeated_columns_refuse_the_file) {
  const auto unknown = plan_customer_csv("name,email,nmae\nx,y,z\n", "86", 100);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, crm_errc::invalid_input);
  EXPECT_EQ(where(unknown.error().problems), (std::vector<std::string>{"1:email", "1:nmae"}));
  EXPECT_NE(unknown.error().message.find("'email'"), std::string::npos);
  const auto twice = plan_customer_csv("name,Name\nx,y\n", "86", 100);
  ASSERT_FALSE(twice);
  EXPECT_EQ(where(twice.error().problems), (std::vector<std::string>{"1:name"}));
}

TEST(plan_customer_csv, row_problems_carry_their_lines) {
  const std::string text = std::string("id,name,phones,vip_level,account\n") +
                           ",ok,13800138000,1,\n" +       // line 2: fine
                           ",\"two\nlines\",,1,\n" +      // lines 3-4: control char
                           ",x,,9,\n" +                   // line 5: vip
                           ",x,,1,{nope\n" +              // line 6: JSON
                           "not-a-uuid,x,,1,\n" +         // line 7: id
                           uuid_a + ",x,,1,\n" +          // line 8: fine
                           uuid_a + ",x,,1,\n" +          // line 9: repeated id
                           ",y,+86 138 0013 8000,1,\n" +  // line 10: repeated number
                           ",short\n" +                   // line 11: field count
                           ",,,1,\n";                     // line 12: no name
  const auto plan = plan_ok(text);
  EXPECT_EQ(where(plan.problems),
            (std::vector<std::string>{"3:name", "5:vip_level", "6:account", "7:id", "9:id",
                                      "10:phones", "11:", "12:name"}));
  ASSERT_EQ(plan.rows.size(), 2u);
  EXPECT_EQ(plan.rows[0].line, 2u);
  EXPECT_EQ(plan.rows[1].line, 8u);
  EXPECT_NE(plan.problems[5].message.find("also on line 2"), std::string::npos)
      << plan.problems[5].message;
}

TEST(plan_customer_csv, whole_file_refusals) {
  const auto empty = plan_customer_csv("\xEF\xBB\xBF\r\n", "86", 100);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, crm_errc::invalid_input);
  std::string many = "name\n";
  for (int i = 0; i <= 100; ++i) many += "n" + std::to_string(i) + "\n";
  const auto too_many = plan_customer_csv(many, "86", 100);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, crm_errc::too_large);
  EXPECT_NE(too_many.error().message.find("more than 100 rows"), std::string::npos);
  const auto broken = plan_customer_csv("name\n\"open\n", "86", 100);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().problems.at(0).line, 2u);
}

TEST(customer_csv_fields, what_the_export_writes_the_import_reads) {
  customer c;
  c.id = uuid_b;
  c.name = "=Wang, \"Fang\"";
  c.phones = {{"+8613800138000", ""}, {"+861088886666", "office"}};
  c.account = nlohmann::json{{"plan", "gold"}, {"n", 3}};
  c.vip_level = 4;
  c.tags = {"vip", "投诉"};
  c.notes = "line one\r\n-line two";
  std::string text;
  append_csv_record(text, customer_csv_columns());
  append_csv_record(text, customer_csv_fields(c));
  EXPECT_NE(text.find("office:+861088886666"), std::string::npos) << text;

  const auto plan = plan_ok(text);
  ASSERT_TRUE(plan.problems.empty()) << plan.problems.front().message;
  ASSERT_EQ(plan.rows.size(), 1u);
  const auto& in = plan.rows[0].input;
  EXPECT_EQ(plan.rows[0].id, uuid_b);
  EXPECT_EQ(in.name, c.name);
  EXPECT_EQ(*in.phones, c.phones);
  EXPECT_EQ(*in.account, c.account);
  EXPECT_EQ(in.vip_level, c.vip_level);
  EXPECT_EQ(*in.tags, c.tags);
  EXPECT_EQ(in.notes, c.notes);
}

}  // namespace
}  // namespace callcenterd::crm
