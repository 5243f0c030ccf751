// RFC 4180 reading with line numbers, formula neutralising, and the write/read round trip.
#include "callcenterd/crm/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace callcenterd::crm {
namespace {

using fields = std::vector<std::string>;

std::vector<csv_record> read_ok(std::string_view text, std::size_t max_records = 1000) {
  auto records = read_csv(text, max_records);
  EXPECT_TRUE(records.has_value()) << (records ? "" : records.error().message);
  return records ? *records : std::vector<csv_record>{};
}

crm_error read_error(std::string_view text, std::size_t max_records = 1000) {
  auto records = read_csv(text, max_records);
  EXPECT_FALSE(records.has_value());
  return records ? crm_error{} : records.error();
}

TEST(read_csv, plain_records_with_lf_or_crlf) {
  const auto lf = read_ok("a,b,c\n1,2,3\n");
  ASSERT_EQ(lf.size(), 2u);
  EXPECT_EQ(lf[0], (csv_record{1, fields{"a", "b", "c"}}));
  EXPECT_EQ(lf[1], (csv_record{2, fields{"1", "2", "3"}}));
  EXPECT_EQ(read_ok("a,b\r\n1,2\r\n"), read_ok("a,b\n1,2"));
}

TEST(read_csv, quoted_fields_hold_commas_quotes_and_line_breaks) {
  const auto records =
      read_ok("name,notes\n\"Wang, Fang\",\"said \"\"hi\"\"\nand left\"\nx,\"\"\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (fields{"Wang, Fang", "said \"hi\"\nand left"}));
  EXPECT_EQ(records[1].line, 2u);
  // The record after a two-line field starts on line 4.
  EXPECT_EQ(records[2], (csv_record{4, fields{"x", ""}}));
}

TEST(read_csv, crlf_inside_quotes_is_kept) {
  const auto records = read_ok("\"a\r\nb\",c\r\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (fields{"a\r\nb", "c"}));
}

TEST(read_csv, empty_fields_and_lines) {
  const auto records = read_ok("a,,c\n\n,\n\r\n\"\"\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0], (csv_record{1, fields{"a", "", "c"}}));
  EXPECT_EQ(records[1], (csv_record{3, fields{"", ""}}));
  EXPECT_EQ(records[2], (csv_record{5, fields{""}}));
  EXPECT_TRUE(read_ok("").empty());
}

TEST(read_csv, a_byte_order_mark_is_skipped) {
  const auto records = read_ok("\xEF\xBB\xBFid,name\n1,张伟\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (fields{"id", "name"}));
  EXPECT_EQ(records[1].fields, (fields{"1", "张伟"}));
}

TEST(read_csv, an_unterminated_quote_names_the_line_it_opened_on) {
  const auto error = read_error("a,b\n1,\"open\nstill open\nand more");
  EXPECT_EQ(error.code, crm_errc::invalid_input);
  ASSERT_EQ(error.problems.size(), 1u);
  EXPECT_EQ(error.problems[0].line, 2u);
  EXPECT_NE(error.message.find("line 2"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("not closed"), std::string::npos) << error.message;
}

TEST(read_csv, text_after_a_closing_quote_is_refused_with_its_line) {
  const auto error = read_error("a\n\"x\ny\"z,1\n");
  ASSERT_EQ(error.problems.size(), 1u);
  EXPECT_EQ(error.problems[0].line, 3u);
  EXPECT_NE(error.message.find("after a closing quote"), std::string::npos);
}

TEST(read_csv, a_quote_inside_an_unquoted_field_is_refused) {
  const auto error = read_error("a,b\nab\"c,d\n");
  ASSERT_EQ(error.problems.size(), 1u);
  EXPECT_EQ(error.problems[0].line, 2u);
}

TEST(read_csv, stops_at_the_record_limit) {
  EXPECT_EQ(read_ok("1\n2\n3\n", 3).size(), 3u);
  const auto error = read_error("1\n2\n3\n4\n", 3);
  EXPECT_EQ(error.code, crm_errc::too_large);
}

TEST(neutralise_formula, formula_starts_get_an_apostrophe_phone_numbers_do_not) {
  EXPECT_EQ(neutralise_formula("=SUM(A1:A9)"), "'=SUM(A1:A9)");
  EXPECT_EQ(neutralise_formula("+1+2"), "'+1+2");
  EXPECT_EQ(neutralise_formula("-2+3"), "'-2+3");
  EXPECT_EQ(neutralise_formula("@cmd"), "'@cmd");
  EXPECT_EQ(neutralise_formula("\tx"), "'\tx");
  EXPECT_EQ(neutralise_formula("+8613800138000"), "+8613800138000");
  EXPECT_EQ(neutralise_formula("+86 138"), "'+86 138");
  EXPECT_EQ(neutralise_formula("+"), "'+");
  EXPECT_EQ(neutralise_formula("plain"), "plain");
  EXPECT_EQ(neutralise_formula("'quoted"), "'quoted");
  EXPECT_EQ(neutralise_formula("'=x"), "''=x");
  EXPECT_EQ(neutralise_formula(""), "");
}

TEST(neutralise_formula, restore_is_its_exact_inverse) {
  for (const std::string value : {"=1+1", "'=1+1", "''=1", "+8613800138000", "'+8613800138000", "'",
                                  "''", "'x", "x", "", "-", "@", "a=b", "张伟"}) {
    EXPECT_EQ(restore_formula(neutralise_formula(value)), value) << value;
  }
}

TEST(csv_field, quotes_only_when_needed) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("张伟"), "张伟");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field(" padded "), "\" padded \"");
  EXPECT_EQ(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
}

TEST(csv, what_the_writer_writes_the_reader_reads_back) {
  const std::vector<fields> rows = {
      {"id", "name", "notes"},  {"1", "Wang, Fang", "said \"hi\"\r\nthen left"},
      {"2", "张伟", ""},        {"3", "=cmd|' /C calc'!A0", "+8613800138000"},
      {"4", " lead", "trail "},
  };
  std::string text;
  for (const auto& row : rows) append_csv_record(text, row);
  EXPECT_TRUE(text.ends_with("\r\n"));
  const auto records = read_ok(text);
  ASSERT_EQ(records.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    fields restored;
    for (const auto& field : records[i].fields) restored.push_back(restore_formula(field));
    EXPECT_EQ(restored, rows[i]) << "row " << i;
  }
  // The spreadsheet sees the dangerous cell as text.
  EXPECT_EQ(records[3].fields[1], "'=cmd|' /C calc'!A0");
}

}  // namespace
}  // namespace callcenterd::crm
