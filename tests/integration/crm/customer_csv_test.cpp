// Customer CSV import and export against PostgreSQL: all or nothing, lines, round trip.
#include "callcenterd/crm/customer_csv.hpp"

#include <gtest/gtest.h>

#include "callcenterd/crm/csv.hpp"
#include "crm_fixture.hpp"

namespace callcenterd::crm {
namespace {

using testing::crm_test;

class customer_csv : public crm_test {
 protected:
  std::string export_all(std::string_view q = "") {
    auto text = blocking_export_customers_csv(connection_, q, customer_visibility::all(), "86");
    if (!text) {
      ADD_FAILURE() << text.error().message;
      return {};
    }
    return *text;
  }
};

TEST_F(customer_csv, imports_new_customers_in_one_go) {
  const auto counts = blocking_import_customers_csv(
      connection_,
      "\xEF\xBB\xBFname,phones,vip_level,tags,notes,account\r\n"
      "张伟明,mobile:138 0013 8000;010 8888 "
      "6666,3,vip;投诉,\"多行\n备注\",\"{\"\"plan\"\":\"\"gold\"\"}\"\r\n"
      "Li Na,+44 20 7946 0000,,,,\r\n",
      "86");
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(*counts, (customer_import_counts{2, 0}));
  const auto found =
      blocking_search_customers(connection_, {"张伟", 10, 0}, customer_visibility::all(), "86");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->items.size(), 1u);
  const auto& c = found->items[0];
  EXPECT_EQ(c.phones,
            (std::vector<customer_phone>{{"+8613800138000", "mobile"}, {"+861088886666", ""}}));
  EXPECT_EQ(c.vip_level, 3);
  EXPECT_EQ(c.tags, (std::vector<std::string>{"vip", "投诉"}));
  EXPECT_EQ(c.notes, "多行\n备注");
  EXPECT_EQ(c.account, (nlohmann::json{{"plan", "gold"}}));
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customer_phones"), 3);
}

TEST_F(customer_csv, export_then_import_changes_nothing_and_edits_apply) {
  create("=Wang, \"Fang\"", {{"13800138000", "mobile"}}, {"vip"}, "line one\r\n-line two");
  customer_input in;
  in.name = "张伟";
  in.account = nlohmann::json{{"contract", "C-1"}, {"balance", 3}};
  in.vip_level = 4;
  ASSERT_TRUE(blocking_create_customer(connection_, in, "86"));

  const std::string exported = export_all();
  EXPECT_TRUE(exported.starts_with("id,name,phones,vip_level,tags,notes,account\r\n"));
  // The formula is neutralised for spreadsheets.
  EXPECT_NE(exported.find("\"'=Wang, \"\"Fang\"\"\""), std::string::npos) << exported;

  const auto again = blocking_import_customers_csv(connection_, exported, "86");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, (customer_import_counts{0, 2}));
  EXPECT_EQ(export_all(), exported);

  // An edited cell and a new row: one update, one insert.
  std::string edited = exported;
  const auto at = edited.find(",4,");
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, 3, ",1,");
  edited += ",新客户,13900139000,0,,,\r\n";
  const auto counts = blocking_import_customers_csv(connection_, edited, "86");
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(*counts, (customer_import_counts{1, 2}));
  EXPECT_EQ(query_value<int>("SELECT vip_level FROM customers WHERE name = '张伟'"), 1);
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customers"), 3);
}

TEST_F(customer_csv, any_problem_refuses_the_whole_file_with_every_line) {
  const auto owner = create("王芳", {{"13800138000", ""}});
  const std::string missing = core::make_uuid();
  const std::string text =
      "id,name,phones,vip_level\n"
      ",good row,13700137000,1\n" +            // 2: fine
      std::string(",bad phone,call me,1\n") +  // 3
      ",taken,+8613800138000,1\n" +            // 4: 王芳's number
      missing +
      ",ghost,,1\n" +  // 5: unknown id
      ",vip,,7\n";     // 6
  const auto refused = blocking_import_customers_csv(connection_, text, "86");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, crm_errc::invalid_input);
  std::vector<std::size_t> lines;
  for (const auto& p : refused.error().problems) lines.push_back(p.line);
  EXPECT_EQ(lines, (std::vector<std::size_t>{3, 4, 5, 6}));
  EXPECT_NE(refused.error().problems[1].message.find(owner.id), std::string::npos);
  EXPECT_NE(refused.error().message.find("nothing imported: 4 problems"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customers"), 1) << "all or nothing";
}

TEST_F(customer_csv, a_number_may_move_between_customers_of_the_file) {
  const auto a = create("甲", {{"13800138000", ""}});
  const auto b = create("乙", {{"13900139000", ""}});
  const std::string swap = "id,phones\n" + a.id + ",13900139000\n" + b.id + ",13800138000\n";
  const auto counts = blocking_import_customers_csv(connection_, swap, "86");
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(*counts, (customer_import_counts{0, 2}));
  EXPECT_EQ(query_value<std::string>("SELECT customer_id::text FROM customer_phones WHERE number"
                                     " = '+8613800138000'"),
            b.id);
  // Names were not in the file, so they stay.
  EXPECT_EQ(query_value<std::string>("SELECT name FROM customers WHERE id = '" + a.id + "'"), "甲");
}

TEST_F(customer_csv, unknown_columns_and_too_many_rows_are_refused) {
  const auto unknown = blocking_import_customers_csv(connection_, "name,email\nx,y\n", "86");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, crm_errc::invalid_input);
  EXPECT_EQ(unknown.error().problems.at(0).line, 1u);

  std::string many = "name\n";
  many.reserve(max_customer_csv_rows * 8);
  for (std::size_t i = 0; i <= max_customer_csv_rows; ++i) many += "n" + std::to_string(i) + "\n";
  const auto too_many = blocking_import_customers_csv(connection_, many, "86");
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, crm_errc::too_large);
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customers"), 0);
}

TEST_F(customer_csv, a_large_import_commits) {
  std::string text = "name,phones\n";
  for (int i = 0; i < 12'000; ++i) {
    text += "客户" + std::to_string(i) + ",1380000" + std::to_string(10'000 + i) + "\n";
  }
  const auto counts = blocking_import_customers_csv(connection_, text, "86");
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->inserted, 12'000u);
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM customer_phones"), 12'000);
  const auto found = blocking_search_customers(connection_, {"客户11999", 10, 0},
                                               customer_visibility::all(), "86");
  ASSERT_TRUE(found);
  EXPECT_GE(found->total, 1u);
}

TEST_F(customer_csv, export_follows_the_search_and_the_visibility) {
  const auto a = create("导出甲");
  create("导出乙");
  create("other");
  add_call(a.id, "ann", 5);
  const auto searched = export_all("导出");
  EXPECT_NE(searched.find("导出甲"), std::string::npos);
  EXPECT_NE(searched.find("导出乙"), std::string::npos);
  EXPECT_EQ(searched.find("other"), std::string::npos);
  const auto ann =
      blocking_export_customers_csv(connection_, "", customer_visibility::of_agents({"ann"}), "86");
  ASSERT_TRUE(ann);
  const auto records = read_csv(*ann, 10);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].fields[0], a.id);
}

}  // namespace
}  // namespace callcenterd::crm
