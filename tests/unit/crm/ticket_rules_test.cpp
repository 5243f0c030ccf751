// The ticket workflow table, status and priority names, and ticket input rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "callcenterd/crm/tickets.hpp"

namespace callcenterd::crm {
namespace {

using s = ticket_status;

TEST(may_move, follows_the_workflow_table) {
  const s all[] = {s::new_, s::open, s::pending, s::resolved, s::closed};
  // Every allowed move, and nothing else.
  const std::vector<std::pair<s, s>> allowed = {
      {s::new_, s::open},      {s::new_, s::pending},  {s::new_, s::resolved},
      {s::new_, s::closed},    {s::open, s::pending},  {s::open, s::resolved},
      {s::open, s::closed},    {s::pending, s::open},  {s::pending, s::resolved},
      {s::pending, s::closed}, {s::resolved, s::open}, {s::resolved, s::closed},
  };
  for (const auto from : all) {
    for (const auto to : all) {
      const bool expected =
          std::find(allowed.begin(), allowed.end(), std::make_pair(from, to)) != allowed.end();
      EXPECT_EQ(may_move(from, to), expected) << to_string(from) << " -> " << to_string(to);
    }
  }
}

TEST(may_move, closed_is_final_and_nothing_returns_to_new) {
  for (const auto to : {s::new_, s::open, s::pending, s::resolved, s::closed}) {
    EXPECT_FALSE(may_move(s::closed, to));
    EXPECT_FALSE(may_move(to, s::new_));
  }
}

TEST(ticket_names, round_trip_and_refuse_unknown_text) {
  for (const auto status : {s::new_, s::open, s::pending, s::resolved, s::closed}) {
    EXPECT_EQ(parse_ticket_status(to_string(status)), status);
  }
  for (const auto p : {ticket_priority::low, ticket_priority::normal, ticket_priority::high,
                       ticket_priority::urgent}) {
    EXPECT_EQ(parse_ticket_priority(to_string(p)), p);
  }
  EXPECT_EQ(to_string(s::new_), "new");
  EXPECT_EQ(parse_ticket_status("New"), std::nullopt);
  EXPECT_EQ(parse_ticket_status("deleted"), std::nullopt);
  EXPECT_EQ(parse_ticket_priority("critical"), std::nullopt);
}

bool has_problem(const crm_error& error, const std::string& field) {
  return std::any_of(error.problems.begin(), error.problems.end(),
                     [&](const crm_problem& p) { return p.field == field; });
}

TEST(validate_ticket_input, a_good_input_is_trimmed) {
  ticket_input in;
  in.subject = "  无法登录  ";
  in.assignee = std::optional<std::string>("ann.lee@site");
  in.team = std::optional<std::string>("  ");
  in.customer_id = std::optional<std::string>("00000000-0000-4000-8000-000000000001");
  in.due_at = std::optional(std::chrono::system_clock::time_point(std::chrono::hours(500'000)));
  const auto valid = validate_ticket_input(in, true);
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_EQ(valid->subject, "无法登录");
  EXPECT_EQ(*valid->assignee, "ann.lee@site");
  // A blank team means none.
  ASSERT_TRUE(valid->team.has_value());
  EXPECT_FALSE(valid->team->has_value());
}

TEST(validate_ticket_input, reports_every_problem) {
  ticket_input in;
  in.subject = std::string(201, 's');
  in.description = std::string(20'001, 'd');
  in.status = s::open;
  in.assignee = std::optional<std::string>("ann lee");
  in.team = std::optional<std::string>(std::string(65, 't'));
  in.customer_id = std::optional<std::string>("42");
  in.call_id = std::optional<std::string>("not-a-uuid");
  in.due_at = std::optional(std::chrono::system_clock::time_point{});  // 1970
  const auto result = validate_ticket_input(in, true);
  ASSERT_FALSE(result);
  for (const char* field : {"subject", "description", "status", "assignee", "team", "customer_id",
                            "call_id", "due_at"}) {
    EXPECT_TRUE(has_problem(result.error(), field)) << field;
  }
  EXPECT_FALSE(validate_ticket_input(ticket_input{}, true));
  EXPECT_TRUE(validate_ticket_input(ticket_input{}, false));
}

}  // namespace
}  // namespace callcenterd::crm
