// Tickets against PostgreSQL: workflow, history, comments, filters and visibility.
#include "callcenterd/crm/tickets.hpp"

#include <gtest/gtest.h>

#include "crm_fixture.hpp"

namespace callcenterd::crm {
namespace {

using namespace std::chrono_literals;
using testing::crm_test;
using status = ticket_status;

class tickets : public crm_test {
 protected:
  ticket open_ticket(const std::string& subject, const std::string& actor = "ann",
                     ticket_input in = {}) {
    in.subject = subject;
    auto created = blocking_create_ticket(connection_, in, actor);
    if (!created) {
      ADD_FAILURE() << subject << ": " << created.error().message;
      return ticket{};
    }
    return *created;
  }

  crm_result<ticket> move(std::int64_t id, status to) {
    ticket_input change;
    change.status = to;
    return blocking_update_ticket(connection_, id, change, "ann", ticket_visibility::admin());
  }
  crm_result<ticket> move(const ticket& t, status to) { return move(t.id, to); }

  std::vector<std::int64_t> search(const ticket_filter& filter,
                                   const ticket_visibility& v = ticket_visibility::admin()) {
    const auto page = blocking_search_tickets(connection_, filter, v);
    if (!page) {
      ADD_FAILURE() << page.error().message;
      return {};
    }
    std::vector<std::int64_t> ids;
    for (const auto& t : page->items) ids.push_back(t.id);
    return ids;
  }

  static ticket_filter words(std::string q) {
    ticket_filter f;
    f.q = std::move(q);
    return f;
  }
};

TEST_F(tickets, a_new_ticket_starts_as_new_with_a_created_row) {
  const auto customer = create("张伟");
  ticket_input in;
  in.description = "客户无法登录网银";
  in.priority = ticket_priority::high;
  in.customer_id = std::optional<std::string>(customer.id);
  in.assignee = std::optional<std::string>("bob");
  in.team = std::optional<std::string>("billing");
  const auto t = open_ticket("无法登录", "ann", in);
  EXPECT_GT(t.id, 0);
  EXPECT_EQ(t.status, status::new_);
  EXPECT_EQ(t.priority, ticket_priority::high);
  EXPECT_EQ(t.customer_id, customer.id);
  EXPECT_EQ(t.assignee, "bob");
  EXPECT_EQ(t.created_by, "ann");
  ASSERT_EQ(t.history.size(), 1u);
  EXPECT_EQ(t.history[0].field, "created");
  EXPECT_EQ(t.history[0].actor, "ann");
  EXPECT_EQ(t.history[0].new_value, "无法登录");
  // Ticket numbers are what people say: consecutive.
  EXPECT_EQ(open_ticket("second").id, t.id + 1);
}

TEST_F(tickets, the_workflow_is_enforced_and_every_change_is_history) {
  const auto t = open_ticket("退款申请");
  ASSERT_TRUE(move(t, status::open));
  ASSERT_TRUE(move(t, status::pending));
  ASSERT_TRUE(move(t, status::resolved));
  const auto pending_again = move(t, status::pending);
  ASSERT_FALSE(pending_again);
  EXPECT_EQ(pending_again.error().code, crm_errc::refused_transition);
  EXPECT_EQ(pending_again.error().message,
            "a resolved ticket cannot become pending; it can become open, closed");
  ASSERT_TRUE(move(t, status::open)) << "reopen";
  ASSERT_TRUE(move(t, status::closed));
  for (const auto to : {status::new_, status::open, status::pending, status::resolved}) {
    const auto refused = move(t, to);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, crm_errc::refused_transition);
    EXPECT_NE(refused.error().message.find("closed is final"), std::string::npos);
  }

  const auto got = blocking_get_ticket(connection_, t.id, ticket_visibility::admin());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, status::closed);
  std::vector<std::string> moves;
  for (const auto& h : got->history) {
    if (h.field == "status") moves.push_back(*h.old_value + ">" + *h.new_value);
  }
  EXPECT_EQ(moves, (std::vector<std::string>{"new>open", "open>pending", "pending>resolved",
                                             "resolved>open", "open>closed"}));
  EXPECT_EQ(got->history.size(), 6u) << "refused moves leave no trace";
}

TEST_F(tickets, one_history_row_per_changed_field) {
  const auto t = open_ticket("Printer broken");
  const auto due = std::chrono::sys_days{std::chrono::year{2030} / 1 / 2} + 3h + 4min;
  ticket_input change;
  change.priority = ticket_priority::urgent;
  change.assignee = std::optional<std::string>("bob");
  change.team = std::optional<std::string>("it");
  change.due_at = std::optional<std::chrono::system_clock::time_point>(due);
  change.subject = "Printer on fire";
  change.description = "";  // unchanged: it was empty
  const auto updated =
      blocking_update_ticket(connection_, t.id, change, "sue", ticket_visibility::admin());
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->due_at, std::optional<std::chrono::system_clock::time_point>(due));
  ASSERT_EQ(updated->history.size(), 6u);
  const auto& h = updated->history;
  EXPECT_EQ(h[1].field, "priority");
  EXPECT_EQ(h[1].old_value, "normal");
  EXPECT_EQ(h[1].new_value, "urgent");
  EXPECT_EQ(h[1].actor, "sue");
  EXPECT_EQ(h[2].field, "assignee");
  EXPECT_EQ(h[2].old_value, std::nullopt);
  EXPECT_EQ(h[2].new_value, "bob");
  EXPECT_EQ(h[3].field, "team");
  EXPECT_EQ(h[4].field, "due_at");
  EXPECT_EQ(h[4].new_value, "2030-01-02T03:04:00Z");
  EXPECT_EQ(h[5].field, "subject");
  EXPECT_EQ(h[5].old_value, "Printer broken");

  // Unassigning is a change; repeating the same values is none.
  ticket_input unassign;
  unassign.assignee = std::optional<std::string>();
  unassign.priority = ticket_priority::urgent;
  const auto after =
      blocking_update_ticket(connection_, t.id, unassign, "sue", ticket_visibility::admin());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->assignee, std::nullopt);
  ASSERT_EQ(after->history.size(), 7u);
  EXPECT_EQ(after->history[6].field, "assignee");
  EXPECT_EQ(after->history[6].old_value, "bob");
  EXPECT_EQ(after->history[6].new_value, std::nullopt);
}

TEST_F(tickets, comments_are_kept_in_order_and_searchable) {
  const auto t = open_ticket("Login problem");
  const auto first = blocking_add_ticket_comment(connection_, t.id, "客户说密码已经重置", "bob",
                                                 ticket_visibility::admin());
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(blocking_add_ticket_comment(connection_, t.id, "Escalated to tier two", "ann",
                                          ticket_visibility::admin()));
  const auto got = blocking_get_ticket(connection_, t.id, ticket_visibility::admin());
  ASSERT_TRUE(got);
  ASSERT_EQ(got->comments.size(), 2u);
  EXPECT_EQ(got->comments[0].author, "bob");
  EXPECT_EQ(got->comments[0].body, "客户说密码已经重置");
  EXPECT_EQ(got->comments[0].id, first->id);
  EXPECT_EQ(got->comments[1].body, "Escalated to tier two");

  EXPECT_EQ(search(words("密码 重置")), std::vector<std::int64_t>{t.id});
  EXPECT_EQ(search(words("tier")), std::vector<std::int64_t>{t.id});
  // A new subject keeps the comments' words findable and drops the old subject's.
  ticket_input rename;
  rename.subject = "账户被锁";
  ASSERT_TRUE(blocking_update_ticket(connection_, t.id, rename, "ann", ticket_visibility::admin()));
  EXPECT_EQ(search(words("密码")), std::vector<std::int64_t>{t.id});
  EXPECT_EQ(search(words("被锁")), std::vector<std::int64_t>{t.id});
  EXPECT_TRUE(search(words("login")).empty());

  const auto empty =
      blocking_add_ticket_comment(connection_, t.id, "  \n ", "ann", ticket_visibility::admin());
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, crm_errc::invalid_input);
  EXPECT_EQ(
      blocking_add_ticket_comment(connection_, t.id + 100, "x", "ann", ticket_visibility::admin())
          .error()
          .code,
      crm_errc::not_found);
}

TEST_F(tickets, lists_filter_and_order_by_priority_then_due_time_then_number) {
  const auto now = std::chrono::system_clock::now();
  const auto customer = create("客户");
  const auto make = [&](const std::string& subject, ticket_priority p,
                        std::optional<std::chrono::system_clock::time_point> due,
                        const std::optional<std::string>& assignee,
                        const std::optional<std::string>& team) {
    ticket_input in;
    in.priority = p;
    in.due_at = due;
    in.assignee = assignee;
    in.team = team;
    if (subject.starts_with("c")) in.customer_id = std::optional<std::string>(customer.id);
    return open_ticket(subject, "creator", in).id;
  };
  const auto low = make("low", ticket_priority::low, std::nullopt, "ann", "billing");
  const auto urgent_late = make("urgent late", ticket_priority::urgent, now + 48h, "bob", "it");
  const auto urgent_soon = make("c urgent soon", ticket_priority::urgent, now + 1h, "ann", "it");
  const auto normal = make("normal", ticket_priority::normal, now + 2h, std::nullopt, "billing");
  const auto urgent_undated =
      make("urgent undated", ticket_priority::urgent, std::nullopt, "ann", std::nullopt);
  ASSERT_TRUE(move(normal, status::open));

  EXPECT_EQ(search({}),
            (std::vector<std::int64_t>{urgent_soon, urgent_late, urgent_undated, normal, low}));
  ticket_filter by_assignee;
  by_assignee.assignee = "ann";
  EXPECT_EQ(search(by_assignee), (std::vector<std::int64_t>{urgent_soon, urgent_undated, low}));
  ticket_filter by_team;
  by_team.team = "billing";
  EXPECT_EQ(search(by_team), (std::vector<std::int64_t>{normal, low}));
  ticket_filter by_status;
  by_status.statuses = {status::open, status::pending};
  EXPECT_EQ(search(by_status), std::vector<std::int64_t>{normal});
  ticket_filter by_customer;
  by_customer.customer_id = customer.id;
  EXPECT_EQ(search(by_customer), std::vector<std::int64_t>{urgent_soon});
  ticket_filter due_soon;
  due_soon.due_before = now + 3h;
  EXPECT_EQ(search(due_soon), (std::vector<std::int64_t>{urgent_soon, normal}));
  ticket_filter combined = words("urgent");
  combined.assignee = "ann";
  EXPECT_EQ(search(combined), (std::vector<std::int64_t>{urgent_soon, urgent_undated}));

  ticket_filter paged;
  paged.limit = 2;
  paged.offset = 1;
  const auto page = blocking_search_tickets(connection_, paged, ticket_visibility::admin());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 5u);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, urgent_late);
  EXPECT_TRUE(page->items[0].history.empty()) << "lists leave history out";

  ticket_filter bad;
  bad.customer_id = "42";
  bad.limit = 0;
  const auto refused = blocking_search_tickets(connection_, bad, ticket_visibility::admin());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().problems.size(), 2u);
}

TEST_F(tickets, agents_supervisors_and_admins_see_different_tickets) {
  ticket_input for_bob;
  for_bob.assignee = std::optional<std::string>("bob");
  for_bob.team = std::optional<std::string>("billing");
  const auto created_by_ann = open_ticket("ann's", "ann");
  const auto assigned_to_bob = open_ticket("bob's", "sue", for_bob);
  ticket_input for_it;
  for_it.team = std::optional<std::string>("it");
  const auto it_ticket = open_ticket("it's", "sue", for_it);
  ticket_input for_carl;
  for_carl.assignee = std::optional<std::string>("carl");
  const auto carls = open_ticket("carl's", "sue", for_carl);

  EXPECT_EQ(search({}, ticket_visibility::agent("ann")),
            std::vector<std::int64_t>{created_by_ann.id});
  EXPECT_EQ(search({}, ticket_visibility::agent("bob")),
            std::vector<std::int64_t>{assigned_to_bob.id});
  EXPECT_TRUE(search({}, ticket_visibility{}).empty()) << "default: nobody";
  EXPECT_EQ(search({}, ticket_visibility::supervisor("lead", {"it"}, {"carl"})),
            (std::vector<std::int64_t>{it_ticket.id, carls.id}));
  EXPECT_EQ(search({}, ticket_visibility::admin()).size(), 4u);

  const auto hidden =
      blocking_get_ticket(connection_, it_ticket.id, ticket_visibility::agent("ann"));
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, crm_errc::not_found);
  ticket_input change;
  change.status = status::open;
  EXPECT_EQ(blocking_update_ticket(connection_, it_ticket.id, change, "ann",
                                   ticket_visibility::agent("ann"))
                .error()
                .code,
            crm_errc::not_found);
  EXPECT_TRUE(blocking_update_ticket(connection_, assigned_to_bob.id, change, "bob",
                                     ticket_visibility::agent("bob")));
}

TEST_F(tickets, links_to_customers_must_exist_and_outlive_them) {
  ticket_input ghost;
  ghost.subject = "ghost";
  ghost.customer_id = std::optional<std::string>(core::make_uuid());
  const auto refused = blocking_create_ticket(connection_, ghost, "ann");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, crm_errc::invalid_input);
  EXPECT_EQ(refused.error().problems.at(0).field, "customer_id");
  EXPECT_EQ(query_value<int>("SELECT count(*) FROM tickets"), 0);

  const auto c = create("将被删除");
  ticket_input linked;
  linked.customer_id = std::optional<std::string>(c.id);
  const auto t = open_ticket("linked", "ann", linked);
  ASSERT_TRUE(blocking_delete_customer(connection_, c.id));
  const auto after = blocking_get_ticket(connection_, t.id, ticket_visibility::admin());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->customer_id, std::nullopt);
  EXPECT_FALSE(blocking_create_ticket(connection_, ticket_input{}, "ann"));
  EXPECT_FALSE(blocking_create_ticket(connection_, linked, ""));
}

}  // namespace
}  // namespace callcenterd::crm
