// Knowledge base writes and ranked search in Chinese and English against PostgreSQL.
#include "callcenterd/crm/knowledge_base.hpp"

#include <gtest/gtest.h>

#include "crm_fixture.hpp"

namespace callcenterd::crm {
namespace {

using testing::crm_test;

class knowledge_base : public crm_test {
 protected:
  kb_article write(const std::string& title, const std::string& body,
                   const std::string& category = "", std::vector<std::string> tags = {}) {
    kb_input in;
    in.title = title;
    in.body = body;
    in.category = category;
    in.tags = std::move(tags);
    auto created = blocking_create_kb_article(connection_, in, "editor");
    if (!created) {
      ADD_FAILURE() << title << ": " << created.error().message;
      return kb_article{};
    }
    return *created;
  }

  std::vector<kb_hit> search(const std::string& q, const std::string& category = "") {
    auto hits = blocking_search_kb(connection_, {q, category, 20});
    if (!hits) {
      ADD_FAILURE() << q << ": " << hits.error().message;
      return {};
    }
    return *hits;
  }

  static std::vector<std::int64_t> ids(const std::vector<kb_hit>& hits) {
    std::vector<std::int64_t> out;
    out.reserve(hits.size());
    for (const auto& h : hits) out.push_back(h.id);
    return out;
  }
};

TEST_F(knowledge_base, create_get_update_delete) {
  const auto a = write("如何退款", "退款七天内办理。", "billing", {"退款", "refund"});
  EXPECT_GT(a.id, 0);
  EXPECT_EQ(a.created_by, "editor");
  EXPECT_EQ(a.tags, (std::vector<std::string>{"退款", "refund"}));
  const auto got = blocking_get_kb_article(connection_, a.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->title, "如何退款");
  EXPECT_EQ(got->body, "退款七天内办理。");
  EXPECT_EQ(got->category, "billing");

  kb_input change;
  change.title = "退货与退款";
  const auto updated = blocking_update_kb_article(connection_, a.id, change);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->title, "退货与退款");
  EXPECT_EQ(updated->body, a.body);
  EXPECT_EQ(ids(search("退货")), std::vector<std::int64_t>{a.id});

  ASSERT_TRUE(blocking_delete_kb_article(connection_, a.id));
  EXPECT_EQ(blocking_get_kb_article(connection_, a.id).error().code, crm_errc::not_found);
  EXPECT_EQ(blocking_delete_kb_article(connection_, a.id).error().code, crm_errc::not_found);
  EXPECT_EQ(blocking_update_kb_article(connection_, a.id, change).error().code,
            crm_errc::not_found);
  EXPECT_TRUE(search("退货").empty());
}

TEST_F(knowledge_base, chinese_search_ranks_title_hits_first_and_shows_the_hit) {
  std::string long_body;
  for (int i = 0; i < 30; ++i) long_body += "这是关于账户安全的一般说明。";
  long_body += "如果客户要求退款，请先核实订单号。";
  const auto body_hit = write("账户安全须知", long_body, "security");
  const auto title_hit = write("退款政策", "七天无理由，原路返回。", "billing");
  write("发票开具", "电子发票在订单完成后发送。", "billing");

  const auto hits = search("退款");
  ASSERT_EQ(ids(hits), (std::vector<std::int64_t>{title_hit.id, body_hit.id}));
  EXPECT_GT(hits[0].rank, hits[1].rank);
  EXPECT_NE(hits[1].snippet.find("如果客户要求退款"), std::string::npos) << hits[1].snippet;
  EXPECT_TRUE(hits[1].snippet.starts_with("…"));
  EXPECT_EQ(hits[0].snippet, "七天无理由，原路返回。");
  EXPECT_EQ(hits[0].category, "billing");

  EXPECT_EQ(ids(search("订单号")), std::vector<std::int64_t>{body_hit.id});
  EXPECT_EQ(ids(search("退款", "security")), std::vector<std::int64_t>{body_hit.id});
  EXPECT_TRUE(search("退款 发票").empty()) << "every word must occur";
}

TEST_F(knowledge_base, english_search_is_case_insensitive_ranked_and_prefix_friendly) {
  const auto in_body =
      write("Account basics", "To get a REFUND, open a ticket. Refunds take a week.", "billing");
  const auto in_title = write("Refund policy", "Money back within seven days.", "billing");
  const auto tagged = write("Returns", "Ship it back.", "billing", {"refund"});
  const auto hits = search("Refund");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits.back().id, in_body.id) << "a body hit ranks below title and tag hits";
  EXPECT_NE(ids(hits), (std::vector<std::int64_t>{}));
  EXPECT_TRUE((hits[0].id == in_title.id && hits[1].id == tagged.id) ||
              (hits[0].id == tagged.id && hits[1].id == in_title.id));
  EXPECT_EQ(ids(search("polic")), std::vector<std::int64_t>{in_title.id});
  EXPECT_EQ(ids(search("ticket week")), std::vector<std::int64_t>{in_body.id});
  const auto mixed = write("VIP客户退款", "VIP customers get refunds first.");
  EXPECT_EQ(ids(search("vip 退款")), std::vector<std::int64_t>{mixed.id});
}

TEST_F(knowledge_base, without_words_the_newest_come_first_and_categories_are_counted) {
  const auto first = write("one", "", "billing");
  const auto second = write("two", "", "it");
  const auto third = write("three", "", "billing");
  write("four", "");
  const auto all = search("");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1].id, third.id);
  EXPECT_EQ(all[3].id, first.id);
  EXPECT_EQ(all[0].rank, 0.0);
  EXPECT_EQ(ids(search("", "it")), std::vector<std::int64_t>{second.id});
  EXPECT_EQ(blocking_kb_categories(connection_),
            (std::vector<kb_category>{{"billing", 2}, {"it", 1}}));
  EXPECT_EQ(blocking_search_kb(connection_, {"", "", 0}).error().code, crm_errc::invalid_input);
  EXPECT_EQ(blocking_search_kb(connection_, {"", "", 101}).error().code, crm_errc::invalid_input);
}

}  // namespace
}  // namespace callcenterd::crm
