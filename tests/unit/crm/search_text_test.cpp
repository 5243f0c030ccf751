// The tokeniser (Latin words, CJK bigrams, bad UTF-8), tsquery building and snippets.
#include "callcenterd/crm/search_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "utf8.hpp"

namespace callcenterd::crm {
namespace {

TEST(search_terms, latin_words_are_lower_cased_and_punctuation_separates) {
  EXPECT_EQ(search_terms("Hello, World! It's  A-OK."), "hello world it s a ok");
  EXPECT_EQ(search_terms("Order #A1234 / 2024-05-01"), "order a1234 2024 05 01");
  EXPECT_EQ(search_terms(""), "");
  EXPECT_EQ(search_terms("  ,;!  "), "");
}

TEST(search_terms, cjk_runs_become_overlapping_bigrams) {
  EXPECT_EQ(search_terms("张伟明"), "张伟 伟明");
  EXPECT_EQ(search_terms("退款流程"), "退款 款流 流程");
  EXPECT_EQ(search_terms("张"), "张");
  EXPECT_EQ(search_terms("张伟"), "张伟");
}

TEST(search_terms, mixed_text_splits_at_script_changes_and_cjk_punctuation) {
  EXPECT_EQ(search_terms("VIP客户张伟，电话13800138000。"), "vip 客户 户张 张伟 电话 13800138000");
  EXPECT_EQ(search_terms("你好world"), "你好 world");
  // An ideographic comma and full stop separate runs: no bigram spans them.
  EXPECT_EQ(search_terms("退款、发票。"), "退款 发票");
  // Japanese kana and Korean Hangul are handled like Han.
  EXPECT_EQ(search_terms("カタカナ"), "カタ タカ カナ");
  EXPECT_EQ(search_terms("한국어"), "한국 국어");
}

TEST(search_terms, full_width_letters_and_digits_fold_to_ascii) {
  EXPECT_EQ(search_terms("ＶＩＰ１２３"), "vip123");
  EXPECT_EQ(search_terms("（ＶＩＰ）"), "vip");
}

TEST(search_terms, other_letters_stay_in_words) {
  EXPECT_EQ(search_terms("José Müller"), "josé müller");
  EXPECT_EQ(search_terms("Привет мир"), "Привет мир");
}

TEST(search_terms, emoji_and_symbols_separate) {
  EXPECT_EQ(search_terms("good😀service"), "good service");
  EXPECT_EQ(search_terms("a→b"), "a b");
}

TEST(search_terms, invalid_utf8_separates_and_the_output_is_valid) {
  const std::string bad = std::string("ab\xff") + "cd" + "\xe5\xbc" + "张伟" + "\xc0\xaf" + "x";
  const std::string terms = search_terms(bad);
  EXPECT_EQ(terms, "ab cd 张伟 x");
  EXPECT_TRUE(utf8::valid(terms));
  // Truncated at the very end, alone, a lone continuation byte.
  EXPECT_EQ(search_terms("\xe5"), "");
  EXPECT_EQ(search_terms("\x80\x80"), "");
  EXPECT_EQ(search_terms(std::string("a\0b", 3)), "a b");
}

TEST(search_terms, every_byte_sequence_of_a_mixed_text_tokenises_to_valid_utf8) {
  const std::string text = "客户 VIP：张伟明, tel +86 138-0013-8000 ＡＢＣ 😀";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    for (std::size_t start = 0; start < cut; start += 3) {
      EXPECT_TRUE(utf8::valid(search_terms(text.substr(start, cut - start))))
          << start << ".." << cut;
    }
  }
}

TEST(search_terms, a_word_over_100_bytes_is_dropped) {
  EXPECT_EQ(search_terms(std::string(101, 'a') + " ok"), "ok");
  EXPECT_EQ(search_terms(std::string(100, 'a')), std::string(100, 'a'));
}

TEST(index_terms, adds_single_characters_of_longer_cjk_runs) {
  EXPECT_EQ(index_terms("王芳"), "王芳 王 芳");
  EXPECT_EQ(index_terms("张伟明 VIP"), "张伟 伟明 张 伟 明 vip");
  EXPECT_EQ(index_terms("张"), "张");
  EXPECT_EQ(index_terms("abc"), "abc");
}

TEST(tsquery_text, quotes_every_distinct_token_and_ands_them) {
  EXPECT_EQ(tsquery_text("张伟"), "'张伟'");
  EXPECT_EQ(tsquery_text("张伟明"), "'张伟' & '伟明'");
  EXPECT_EQ(tsquery_text("refund Refund policy"), "'refund' & 'policy':*");
  EXPECT_EQ(tsquery_text("退款 policy 退款"), "'退款' & 'policy':*");
  // The last token is a prefix only when it is a Latin word.
  EXPECT_EQ(tsquery_text("zha"), "'zha':*");
  EXPECT_EQ(tsquery_text("zhang 伟"), "'zhang' & '伟'");
}

TEST(tsquery_text, tsquery_syntax_in_user_text_is_not_syntax) {
  EXPECT_EQ(tsquery_text("a & !b | c:* ') -- "), "'a' & 'b' & 'c':*");
  EXPECT_EQ(tsquery_text("'; DROP TABLE customers; --"), "'drop' & 'table' & 'customers':*");
  EXPECT_EQ(tsquery_text("!!!"), "");
  EXPECT_EQ(tsquery_text(""), "");
}

TEST(make_snippet, cuts_around_the_first_hit_on_character_boundaries) {
  std::string body;
  for (int i = 0; i < 40; ++i) body += "无关内容";
  body += "退款需要在七天内申请";
  for (int i = 0; i < 40; ++i) body += "其他说明";
  const std::string snippet = make_snippet(body, "退款", 40);
  EXPECT_TRUE(utf8::valid(snippet));
  EXPECT_NE(snippet.find("退款需要在七天内申请"), std::string::npos) << snippet;
  EXPECT_TRUE(snippet.starts_with("…"));
  EXPECT_TRUE(snippet.ends_with("…"));
  // 40 characters plus the two ellipses.
  EXPECT_EQ(utf8::length(snippet), 42u);
}

TEST(make_snippet, matches_latin_words_without_regard_to_case_and_collapses_space) {
  const std::string snippet =
      make_snippet("Intro.\n\n  To REQUEST a refund,\tcall us.", "refund", 200);
  EXPECT_EQ(snippet, "Intro. To REQUEST a refund, call us.");
  EXPECT_EQ(make_snippet("Line one\nline two", "nothing", 8), "Line one…");
  EXPECT_EQ(make_snippet("short", "", 160), "short");
  EXPECT_EQ(make_snippet("", "x", 160), "");
}

TEST(make_snippet, shows_invalid_bytes_as_replacement_characters) {
  const std::string snippet = make_snippet("ab\xff退款", "退款", 160);
  EXPECT_TRUE(utf8::valid(snippet));
  EXPECT_EQ(snippet, "ab\xEF\xBF\xBD退款");
}

TEST(utf8, text_rules_name_the_problem) {
  EXPECT_FALSE(utf8::text_problem("张伟", 2, false));
  EXPECT_EQ(utf8::text_problem("张伟明", 2, false), "is longer than 2 characters");
  EXPECT_EQ(utf8::text_problem("a\nb", 10, false), "contains a control character or line break");
  EXPECT_FALSE(utf8::text_problem("a\r\nb\tc", 10, true));
  EXPECT_EQ(utf8::text_problem(std::string("a\0b", 3), 10, true), "contains a control character");
  EXPECT_EQ(utf8::text_problem("\xed\xa0\x80", 10, true), "is not valid UTF-8");  // a surrogate
  EXPECT_EQ(utf8::text_problem("\xc0\xaf", 10, true), "is not valid UTF-8");      // overlong '/'
}

}  // namespace
}  // namespace callcenterd::crm
