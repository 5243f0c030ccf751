// Customer and knowledge base input rules, and the CRM error values.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/system/system_error.hpp>
#include <string>

#include "callcenterd/crm/customers.hpp"
#include "callcenterd/crm/knowledge_base.hpp"

namespace callcenterd::crm {
namespace {

bool has_problem(const crm_error& error, const std::string& field) {
  return std::any_of(error.problems.begin(), error.problems.end(),
                     [&](const crm_problem& p) { return p.field == field; });
}

customer_input named(std::string name) {
  customer_input in;
  in.name = std::move(name);
  return in;
}

TEST(validate_customer_input, cleans_a_good_input) {
  customer_input in = named("  张伟明  ");
  in.phones = std::vector<customer_phone>{{"138-0013-8000", " mobile "}, {"(010) 8888 6666", ""}};
  in.tags = std::vector<std::string>{" vip ", "投诉", "vip"};
  in.account = nlohmann::json{
      {"contract", "C-1"}, {"balance", 12.5}, {"active", true}, {"closed_on", nullptr}};
  in.vip_level = 5;
  const auto valid = validate_customer_input(in, "86", true);
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_EQ(valid->name, "张伟明");
  ASSERT_EQ(valid->phones->size(), 2u);
  EXPECT_EQ((*valid->phones)[0], (customer_phone{"+8613800138000", "mobile"}));
  EXPECT_EQ((*valid->phones)[1], (customer_phone{"+861088886666", ""}));
  EXPECT_EQ(*valid->tags, (std::vector<std::string>{"vip", "投诉"}));
}

TEST(validate_customer_input, creating_needs_a_name_updating_does_not) {
  const auto created = validate_customer_input(customer_input{}, "86", true);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, crm_errc::invalid_input);
  EXPECT_TRUE(has_problem(created.error(), "name"));
  EXPECT_TRUE(validate_customer_input(customer_input{}, "86", false));
  EXPECT_FALSE(validate_customer_input(named("   "), "86", false));
}

TEST(validate_customer_input, reports_every_broken_rule_by_field) {
  customer_input in = named(std::string(201, 'x'));
  in.phones = std::vector<customer_phone>{
      {"not a number", ""}, {"13800138000", "a;b"}, {"+86 138 0013 8000", ""}};
  in.vip_level = 6;
  in.tags = std::vector<std::string>{"", std::string(41, 't')};
  in.notes = std::string(10'001, 'n');
  in.account = nlohmann::json{{"nested", {{"a", 1}}}};
  const auto result = validate_customer_input(in, "86", true);
  ASSERT_FALSE(result);
  const auto& error = result.error();
  for (const char* field : {"name", "phones[0].number", "phones[1].label", "phones[2].number",
                            "vip_level", "tags[0]", "tags[1]", "notes", "account.nested"}) {
    EXPECT_TRUE(has_problem(error, field)) << field;
  }
  EXPECT_EQ(error.problems.size(), 9u);
  EXPECT_NE(error.message.find("(and 8 more)"), std::string::npos) << error.message;
  // The repeated number is named in E.164.
  const auto repeated = std::find_if(error.problems.begin(), error.problems.end(),
                                     [](const auto& p) { return p.field == "phones[2].number"; });
  EXPECT_EQ(repeated->message, "+8613800138000 is given twice");
}

TEST(validate_customer_input, limits_are_inclusive) {
  customer_input in = named(std::string(200, 'x'));
  in.notes = std::string(10'000, 'n');
  in.tags = std::vector<std::string>();
  for (int i = 0; i < 20; ++i) in.tags->push_back("t" + std::to_string(i));
  in.phones = std::vector<customer_phone>();
  for (int i = 0; i < 10; ++i) in.phones->push_back({"1380013800" + std::to_string(i), ""});
  in.account = nlohmann::json::object();
  for (int i = 0; i < 50; ++i) (*in.account)["k" + std::to_string(i)] = i;
  EXPECT_TRUE(validate_customer_input(in, "86", true));

  in.tags->push_back("t20");
  in.phones->push_back({"13900139000", ""});
  (*in.account)["k50"] = 50;
  const auto over = validate_customer_input(in, "86", true);
  ASSERT_FALSE(over);
  EXPECT_TRUE(has_problem(over.error(), "tags"));
  EXPECT_TRUE(has_problem(over.error(), "phones"));
  EXPECT_TRUE(has_problem(over.error(), "account"));
}

TEST(validate_customer_input, text_must_be_utf8_without_control_characters) {
  customer_input in = named("bad\xff");
  in.notes = std::string("line\nbreaks\tare fine");
  in.account = nlohmann::json{{"k", "v\x01"}};
  const auto result = validate_customer_input(in, "86", true);
  ASSERT_FALSE(result);
  EXPECT_TRUE(has_problem(result.error(), "name"));
  EXPECT_TRUE(has_problem(result.error(), "account.k"));
  EXPECT_FALSE(has_problem(result.error(), "notes"));
  EXPECT_FALSE(validate_customer_input(named("two\nlines"), "86", true));
}

TEST(validate_customer_input, account_must_be_an_object_of_scalars) {
  customer_input in = named("x");
  in.account = nlohmann::json::array({1, 2});
  EXPECT_TRUE(has_problem(validate_customer_input(in, "86", true).error(), "account"));
  in.account = nlohmann::json{{"list", {1, 2}}};
  EXPECT_TRUE(has_problem(validate_customer_input(in, "86", true).error(), "account.list"));
  in.account = nlohmann::json{{"", 1}};
  EXPECT_TRUE(has_problem(validate_customer_input(in, "86", true).error(), "account"));
}

TEST(crm_error, result_value_throws_with_the_message) {
  crm_result<int> failed = make_crm_error(crm_errc::conflict, "+86138 belongs to someone");
  EXPECT_EQ(failed.error().code.category().name(), std::string("callcenterd.crm"));
  try {
    (void)failed.value();
    FAIL() << "value() of an error result must throw";
  } catch (const boost::system::system_error& e) {
    EXPECT_EQ(e.code(), crm_errc::conflict);
    EXPECT_NE(std::string(e.what()).find("belongs to someone"), std::string::npos);
  }
}

TEST(validate_kb_input, title_required_on_create_and_tags_cleaned) {
  EXPECT_FALSE(validate_kb_input(kb_input{}, true));
  EXPECT_TRUE(validate_kb_input(kb_input{}, false));
  kb_input in;
  in.title = "  如何退款  ";
  in.tags = std::vector<std::string>{"退款", " 退款 ", "refund"};
  in.category = " billing ";
  const auto valid = validate_kb_input(in, true);
  ASSERT_TRUE(valid);
  EXPECT_EQ(valid->title, "如何退款");
  EXPECT_EQ(valid->category, "billing");
  EXPECT_EQ(*valid->tags, (std::vector<std::string>{"退款", "refund"}));
  in.title = std::string(201, 'x');
  in.body = std::string(100'001, 'b');
  const auto invalid = validate_kb_input(in, true);
  ASSERT_FALSE(invalid);
  EXPECT_TRUE(has_problem(invalid.error(), "title"));
  EXPECT_TRUE(has_problem(invalid.error(), "body"));
}

}  // namespace
}  // namespace callcenterd::crm
