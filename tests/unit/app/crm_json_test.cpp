#include "crm_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace callcenterd::app {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

json body_of(const api::response& response) { return json::parse(response.body()); }

std::string code_of(const std::optional<api::response>& refused) {
  if (!refused) return "";
  return body_of(*refused)["error"]["code"].get<std::string>();
}

TEST(crm_error_response, maps_each_refusal_to_its_status_code_and_problems) {
  using crm::crm_errc;
  const auto invalid = crm_error_response(crm::make_crm_error(
      crm_errc::invalid_input, "bad", {{0, "name", "name is required"}, {3, "vip_level", "9"}}));
  EXPECT_EQ(invalid.result(), http::status::bad_request);
  const auto body = body_of(invalid);
  EXPECT_EQ(body["error"]["code"], "invalid");
  EXPECT_EQ(body["error"]["message"], "bad");
  EXPECT_EQ(body["error"]["problems"],
            json::parse(R"([{"field": "name", "message": "name is required"},
                            {"field": "vip_level", "message": "9", "line": 3}])"));

  const std::pair<crm_errc, std::pair<http::status, std::string>> cases[] = {
      {crm_errc::not_found, {http::status::not_found, "not_found"}},
      {crm_errc::conflict, {http::status::conflict, "conflict"}},
      {crm_errc::refused_transition, {http::status::conflict, "conflict"}},
      {crm_errc::too_large, {http::status::payload_too_large, "too_large"}}};
  for (const auto& [errc, expected] : cases) {
    const auto response = crm_error_response(crm::make_crm_error(errc, "why"));
    EXPECT_EQ(response.result(), expected.first);
    EXPECT_EQ(body_of(response)["error"]["code"], expected.second);
    EXPECT_FALSE(body_of(response)["error"].contains("problems"));
  }
}

TEST(read_json_object, refuses_what_is_not_an_object) {
  json out;
  EXPECT_FALSE(read_json_object(R"({"a": 1})", out));
  EXPECT_EQ(out["a"], 1);
  for (const char* bad : {"", "[1, 2]", "{\"a\": ", "\xff\xfe", "\"text\"", "null"}) {
    EXPECT_EQ(code_of(read_json_object(bad, out)), "bad_request") << bad;
  }
}

TEST(read_record_number, takes_positive_whole_numbers_only) {
  EXPECT_EQ(read_record_number("42"), 42);
  EXPECT_EQ(read_record_number("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "0", "-1", "+1", "1.5", "abc", "12a", "9223372036854775808",
                          "00000000-0000-4000-8000-000000000000"}) {
    EXPECT_FALSE(read_record_number(bad)) << bad;
  }
}

TEST(read_limit, refuses_an_offset) {
  api::request_context ctx;
  std::int64_t limit = 0;
  EXPECT_FALSE(read_limit(ctx, limit, 20, 100));
  EXPECT_EQ(limit, 20);
  ctx.query_params = {{"limit", "100"}};
  EXPECT_FALSE(read_limit(ctx, limit, 20, 100));
  EXPECT_EQ(limit, 100);
  ctx.query_params = {{"limit", "101"}};
  EXPECT_EQ(code_of(read_limit(ctx, limit, 20, 100)), "bad_query");
  ctx.query_params = {{"offset", "0"}};
  EXPECT_EQ(code_of(read_limit(ctx, limit, 20, 100)), "bad_query");
}

TEST(visibility, follows_the_role) {
  EXPECT_TRUE(customer_visibility_for(std::nullopt).everyone);
  const auto agents = customer_visibility_for(std::vector<std::string>{"1001", "1004"});
  EXPECT_FALSE(agents.everyone);
  EXPECT_EQ(agents.agents, (std::vector<std::string>{"1001", "1004"}));

  principal who{.login = "1001", .role = user_role::agent};
  auto v = ticket_visibility_for(who, {"1004"});
  EXPECT_EQ(v.kind, crm::ticket_visibility::scope::agent);
  EXPECT_EQ(v.login, "1001");
  EXPECT_TRUE(v.assignees.empty());
  who = principal{.login = "super", .role = user_role::supervisor, .teams = {"support"}};
  v = ticket_visibility_for(who, {"1001", "1004"});
  EXPECT_EQ(v.kind, crm::ticket_visibility::scope::supervisor);
  EXPECT_EQ(v.teams, (std::vector<std::string>{"support"}));
  EXPECT_EQ(v.assignees, (std::vector<std::string>{"1001", "1004"}));
  who.role = user_role::admin;
  EXPECT_EQ(ticket_visibility_for(who, {}).kind, crm::ticket_visibility::scope::admin);
}

TEST(customer_json, shows_every_field) {
  crm::customer c;
  c.id = "00000000-0000-4000-8000-000000000001";
  c.name = "张伟明";
  c.phones = {{"+8613800138000", "mobile"}};
  c.account = {{"plan", "gold"}};
  c.vip_level = 2;
  c.tags = {"vip"};
  c.created_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  c.updated_at = c.created_at;
  const auto out = customer_json(c);
  EXPECT_EQ(out["phones"], json::parse(R"([{"number": "+8613800138000", "label": "mobile"}])"));
  EXPECT_EQ(out["account"]["plan"], "gold");
  EXPECT_EQ(out["vip_level"], 2);
  EXPECT_EQ(out["created_at"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(out["notes"], "");
}

TEST(read_customer_input, reads_numbers_as_strings_or_objects) {
  crm::customer_input in;
  EXPECT_FALSE(read_customer_input(
      json::parse(R"({"name": "王芳", "phones": ["138 0013 8000", {"number": "010 8888 6666",
                      "label": "office"}], "vip_level": 3, "tags": ["a"], "account": {"x": 1},
                      "id": "ignored", "created_at": "ignored"})"),
      in));
  EXPECT_EQ(in.name, "王芳");
  ASSERT_TRUE(in.phones);
  EXPECT_EQ(*in.phones,
            (std::vector<crm::customer_phone>{{"138 0013 8000", ""}, {"010 8888 6666", "office"}}));
  EXPECT_EQ(in.vip_level, 3);
  EXPECT_EQ(in.tags, (std::vector<std::string>{"a"}));
  EXPECT_FALSE(in.notes);

  EXPECT_FALSE(read_customer_input(json::object(), in));
  EXPECT_FALSE(in.name);
  EXPECT_FALSE(in.phones);
}

TEST(read_customer_input, refuses_wrong_shapes_and_out_of_range_levels) {
  crm::customer_input in;
  for (const char* bad :
       {R"({"name": 1})", R"({"nick": "x"})", R"({"phones": "138"})", R"({"phones": [1]})",
        R"({"phones": [{"label": "x"}]})", R"({"phones": [{"number": "1", "x": 1}]})",
        R"({"tags": "a"})", R"({"account": []})", R"({"vip_level": "3"})", R"({"vip_level": 1.5})",
        R"({"notes": null})"}) {
    EXPECT_EQ(code_of(read_customer_input(json::parse(bad), in)), "bad_request") << bad;
  }
  for (const char* huge : {R"({"vip_level": 99999999999})", R"({"vip_level": -99999999999})"}) {
    EXPECT_EQ(code_of(read_customer_input(json::parse(huge), in)), "invalid") << huge;
  }
  EXPECT_FALSE(read_customer_input(json::parse(R"({"vip_level": -1})"), in));
  EXPECT_EQ(in.vip_level, -1);  // the CRM's validation refuses it with the other problems
}

TEST(read_ticket_input, reads_nullable_fields_names_and_times) {
  crm::ticket_input in;
  EXPECT_FALSE(read_ticket_input(
      json::parse(R"({"subject": "s", "status": "open", "priority": "urgent", "assignee": null,
                      "team": "sales", "due_at": "2030-01-02T08:00:00+08:00"})"),
      false, in));
  EXPECT_EQ(in.subject, "s");
  EXPECT_EQ(in.status, crm::ticket_status::open);
  EXPECT_EQ(in.priority, crm::ticket_priority::urgent);
  ASSERT_TRUE(in.assignee);
  EXPECT_FALSE(*in.assignee);
  EXPECT_EQ(in.team, std::optional<std::string>("sales"));
  ASSERT_TRUE(in.due_at && *in.due_at);
  EXPECT_EQ(**in.due_at,
            std::chrono::system_clock::time_point(std::chrono::seconds(1'893'542'400)));
  EXPECT_FALSE(in.customer_id);

  EXPECT_FALSE(read_ticket_input(json::parse(R"({"due_at": null})"), false, in));
  ASSERT_TRUE(in.due_at);
  EXPECT_FALSE(*in.due_at);
}

TEST(read_ticket_input, tells_bad_shapes_from_bad_values) {
  crm::ticket_input in;
  for (const char* bad :
       {R"({"subject": 1})", R"({"assignee": 5})", R"({"status": null})", R"({"owner": "x"})"}) {
    EXPECT_EQ(code_of(read_ticket_input(json::parse(bad), false, in)), "bad_request") << bad;
  }
  const auto refused = read_ticket_input(
      json::parse(R"({"status": "done", "priority": "asap", "due_at": "soon"})"), false, in);
  ASSERT_TRUE(refused);
  std::vector<std::string> fields;
  const auto body = body_of(*refused);
  for (const auto& p : body["error"]["problems"]) fields.push_back(p["field"]);
  EXPECT_EQ(fields, (std::vector<std::string>{"status", "priority", "due_at"}));
  EXPECT_EQ(
      code_of(read_ticket_input(json::parse(R"({"subject": "s", "status": "new"})"), true, in)),
      "invalid");
}

TEST(read_status_list, reads_comma_separated_names) {
  using crm::ticket_status;
  EXPECT_EQ(read_status_list("new,open"),
            (std::vector<ticket_status>{ticket_status::new_, ticket_status::open}));
  EXPECT_EQ(read_status_list("closed"), (std::vector<ticket_status>{ticket_status::closed}));
  for (const char* bad : {"done", "new,", ",new", "new,,open", "new, open"}) {
    EXPECT_FALSE(read_status_list(bad)) << bad;
  }
}

TEST(ticket_json, has_comments_and_history_only_when_full) {
  crm::ticket t;
  t.id = 7;
  t.subject = "退款";
  t.assignee = "1001";
  t.comments = {{1, "1001", "hi", {}}};
  t.history = {{1, "1001", {}, "created", std::nullopt, "退款"}};
  const auto brief = ticket_json(t, false);
  EXPECT_EQ(brief["status"], "new");
  EXPECT_EQ(brief["priority"], "normal");
  EXPECT_EQ(brief["assignee"], "1001");
  EXPECT_TRUE(brief["team"].is_null());
  EXPECT_TRUE(brief["due_at"].is_null());
  EXPECT_FALSE(brief.contains("comments"));
  const auto full = ticket_json(t, true);
  EXPECT_EQ(full["comments"][0]["body"], "hi");
  EXPECT_TRUE(full["history"][0]["old_value"].is_null());
  EXPECT_EQ(full["history"][0]["new_value"], "退款");
}

TEST(read_kb_input, reads_the_four_fields) {
  crm::kb_input in;
  EXPECT_FALSE(read_kb_input(
      json::parse(R"({"title": "退款流程", "tags": ["退款"], "created_by": "ignored"})"), in));
  EXPECT_EQ(in.title, "退款流程");
  EXPECT_EQ(in.tags, (std::vector<std::string>{"退款"}));
  EXPECT_FALSE(in.body);
  for (const char* bad : {R"({"title": 5})", R"({"tags": [1]})", R"({"author": "x"})"}) {
    EXPECT_EQ(code_of(read_kb_input(json::parse(bad), in)), "bad_request") << bad;
  }
}

TEST(field_names, lists_the_keys_only) {
  EXPECT_EQ(field_names(json::parse(R"({"name": "秘密", "notes": "x"})")),
            json::parse(R"(["name", "notes"])"));
}

}  // namespace
}  // namespace callcenterd::app
