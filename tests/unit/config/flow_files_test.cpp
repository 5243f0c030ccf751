// Flow files: shapes refused with file, line and key; the demo set read as written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "callcenterd/config/flow_loader.hpp"

namespace callcenterd::config {
namespace {

using namespace std::chrono_literals;

std::string dump(const flow_load_result& result) {
  std::string out;
  for (const auto& e : result.errors()) out += e.to_string() + "\n";
  return out;
}

flow_load_result load(const std::string& text, const std::string& file = "f.yaml") {
  return load_flow_texts({{file, text}});
}

/// The one error of `text`; fails the test when there are none or several.
config_error single_error(const std::string& text) {
  const auto result = load(text);
  EXPECT_EQ(result.errors().size(), 1u) << dump(result);
  return result.errors().empty() ? config_error{} : result.errors().front();
}

const flow_node_settings& node(const flow_settings& flow, std::string_view name) {
  for (const auto& n : flow.nodes) {
    if (n.name == name) return n;
  }
  throw std::runtime_error("no node " + std::string(name));
}

TEST(flow_files, demo_directory_reads_its_calendar_and_main_flow) {
  const auto result =
      load_flow_directory(std::filesystem::path(CALLCENTERD_SOURCE_DIR) / "config/flows");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& set = result.flows();
  ASSERT_FALSE(set.flows.empty());
  const auto& main = set.flows.front();
  EXPECT_EQ(main.name, "main");
  EXPECT_EQ(main.start.text, "welcome");
  const auto& menu = std::get<menu_node>(node(main, "main_menu").body);
  ASSERT_GE(menu.options.size(), 2u);
  EXPECT_EQ(menu.options[0].first, "1");
  EXPECT_EQ(menu.options[0].second.text, "support");
  EXPECT_EQ(menu.repeat_key, "*");
  ASSERT_EQ(set.calendars.size(), 1u);
  EXPECT_EQ(set.calendars[0].time_zone, "Asia/Shanghai");
  EXPECT_EQ(set.calendars[0].open.size(), 7u);
}

TEST(flow_files, every_kind_reads_its_keys) {
  const auto result = load(R"(flows:
  f:
    language: zh
    start: a
    nodes:
      a:
        play:
          - "Hello ${name}"
          - {file: hello.wav}
          - {digits: account, language: en}
          - {number: balance}
          - {duration: wait}
        interruptible: false
        next: b
      b:
        collect: "Enter your account"
        into: account
        min_digits: 6
        max_digits: 10
        terminator: ""
        valid_if: "len(account) != 7"
        timeout: 7s
        digit_timeout: 2s
        retries: 2
        next: c
        invalid: h
        no_input: h
      c:
        set: {tries: "tries + 1", label: '"x" + tries'}
        next: d
      d:
        branch:
          - {if: "tries > 3", go: h}
        otherwise: e
      e:
        switch: account
        cases: {"123": g, "456": h}
        otherwise: g
      g:
        call: other
        next: h
      h:
        hangup: busy
      i:
        transfer: {number: "0123", trunk: carrier}
        failed: h
      j:
        queue: support
        priority: "5"
        escalate:
          - {after: 2m, priority: 9}
          - {after: 30s, priority: 7}
      k:
        return:
)");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& f = result.flows().flows.at(0);
  EXPECT_EQ(f.language, "zh");
  const auto& play = std::get<play_node>(node(f, "a").body);
  ASSERT_EQ(play.prompt.size(), 5u);
  EXPECT_EQ(play.prompt[0].what, prompt_item::kind::say);
  EXPECT_EQ(play.prompt[0].value.text, "Hello ${name}");
  EXPECT_EQ(play.prompt[0].value.line, 8);
  EXPECT_EQ(play.prompt[1].what, prompt_item::kind::file);
  EXPECT_EQ(play.prompt[2].what, prompt_item::kind::digits);
  EXPECT_EQ(play.prompt[2].language, "en");
  EXPECT_EQ(play.prompt[4].what, prompt_item::kind::duration);
  EXPECT_FALSE(play.interruptible);
  const auto& collect = std::get<collect_node>(node(f, "b").body);
  EXPECT_EQ(collect.variable, "account");
  EXPECT_EQ(collect.min_digits, 6u);
  EXPECT_EQ(collect.terminator, "");
  EXPECT_EQ(collect.timeout, 7s);
  EXPECT_EQ(collect.valid_if.text, "len(account) != 7");
  const auto& set = std::get<set_node>(node(f, "c").body);
  ASSERT_EQ(set.assignments.size(), 2u);
  EXPECT_EQ(set.assignments[1].first, "label");
  EXPECT_EQ(set.assignments[1].second.key_path, "flows.f.nodes.c.set.label");
  EXPECT_EQ(std::get<branch_node>(node(f, "d").body).cases.at(0).when.text, "tries > 3");
  EXPECT_EQ(std::get<switch_node>(node(f, "e").body).cases.at(1).first, "456");
  EXPECT_EQ(std::get<call_flow_node>(node(f, "g").body).flow.text, "other");
  EXPECT_EQ(std::get<hangup_node>(node(f, "h").body).reason, "busy");
  const auto& transfer = std::get<transfer_node>(node(f, "i").body);
  EXPECT_EQ(transfer.what, transfer_node::kind::number);
  EXPECT_EQ(transfer.trunk, "carrier");
  const auto& queue = std::get<queue_node>(node(f, "j").body);
  EXPECT_EQ(queue.priority.text, "5");
  EXPECT_EQ(queue.escalate, (std::vector<acd::priority_step>{{.after = 2min, .priority = 9},
                                                             {.after = 30s, .priority = 7}}));
  EXPECT_TRUE(std::holds_alternative<return_node>(node(f, "k").body));
}

TEST(flow_files, a_node_without_a_kind_is_refused_with_a_likely_one) {
  const auto result = load("flows:\n  f:\n    start: a\n    nodes:\n      a:\n        plya: hi\n");
  ASSERT_EQ(result.errors().size(), 2u) << dump(result);
  EXPECT_NE(result.errors()[0].reason.find("a node needs a kind"), std::string::npos);
  EXPECT_EQ(result.errors()[1].line, 6);
  EXPECT_NE(result.errors()[1].reason.find("did you mean 'play'"), std::string::npos);
}

TEST(flow_files, two_kinds_in_one_node_are_refused) {
  const auto e =
      single_error("flows:\n  f:\n    start: a\n    nodes:\n      a: {play: hi, hangup: x}\n");
  EXPECT_EQ(e.key_path, "flows.f.nodes.a");
  EXPECT_NE(e.reason.find("exactly one kind"), std::string::npos);
}

TEST(flow_files, menu_keys_must_be_telephone_keys) {
  const auto e = single_error(
      "flows:\n  f:\n    start: a\n    nodes:\n      a:\n        menu: hi\n"
      "        options: {\"1\": b, \"12\": c}\n");
  EXPECT_EQ(e.file, "f.yaml");
  EXPECT_EQ(e.line, 7);
  EXPECT_EQ(e.key_path, "flows.f.nodes.a.options.12");
  EXPECT_NE(e.reason.find("0-9, * or #"), std::string::npos);
}

TEST(flow_files, an_escalation_step_needs_a_wait_and_a_priority_in_range) {
  const std::string queue = "flows:\n  f:\n    start: a\n    nodes:\n      a:\n        queue: q\n";
  const auto e = single_error(queue + "        escalate: [{after: 1m, priority: 101}]\n");
  EXPECT_EQ(e.line, 7);
  EXPECT_EQ(e.key_path, "flows.f.nodes.a.escalate[0].priority");
  EXPECT_NE(e.reason.find("0"), std::string::npos) << e.reason;
  const auto missing = single_error(queue + "        escalate: [{priority: 5}]\n");
  EXPECT_EQ(missing.key_path, "flows.f.nodes.a.escalate[0].after");
  EXPECT_EQ(missing.reason, "an escalation step needs after: (a wait)");
}

TEST(flow_files, a_repeat_key_that_is_also_an_option_is_refused) {
  const auto e = single_error(
      "flows:\n  f:\n    start: a\n    nodes:\n      a:\n        menu: hi\n"
      "        options: {\"1\": b}\n        repeat_key: \"1\"\n");
  EXPECT_EQ(e.line, 8);
  EXPECT_NE(e.reason.find("also an option"), std::string::npos);
}

TEST(flow_files, collect_checks_its_bounds_and_variable) {
  const auto result = load(
      "flows:\n  f:\n    start: a\n    nodes:\n      a:\n        collect: hi\n"
      "        into: 9lives\n        min_digits: 5\n        max_digits: 3\n");
  ASSERT_EQ(result.errors().size(), 2u) << dump(result);
  EXPECT_NE(result.errors()[0].reason.find("variable name"), std::string::npos);
  EXPECT_EQ(result.errors()[0].line, 7);
  EXPECT_NE(result.errors()[1].reason.find("min_digits is above max_digits"), std::string::npos);
}

TEST(flow_files, prompt_pieces_have_one_kind_and_files_no_language) {
  const auto result = load(
      "flows:\n  f:\n    start: a\n    nodes:\n      a:\n        play:\n"
      "          - {say: hi, file: x.wav}\n          - {file: x.wav, language: zh}\n"
      "          - {say: hi, language: fr}\n          - []\n");
  ASSERT_EQ(result.errors().size(), 4u) << dump(result);
  EXPECT_NE(result.errors()[0].reason.find("exactly one of say"), std::string::npos);
  EXPECT_NE(result.errors()[1].reason.find("no language"), std::string::npos);
  EXPECT_NE(result.errors()[2].reason.find("en (English) or zh"), std::string::npos);
  EXPECT_NE(result.errors()[3].reason.find("expected text to say"), std::string::npos);
  EXPECT_EQ(result.errors()[3].key_path, "flows.f.nodes.a.play[3]");
}

TEST(flow_files, a_flow_needs_a_start_and_nodes) {
  const auto result = load("flows:\n  f:\n    language: en\n");
  ASSERT_EQ(result.errors().size(), 2u) << dump(result);
  EXPECT_NE(result.errors()[0].reason.find("start"), std::string::npos);
  EXPECT_NE(result.errors()[1].reason.find("nodes"), std::string::npos);
}

// A tag with nothing after it ("start: !x") reads as an empty text: refused like any
// other name that is not one (found by fuzzing; the compiler relied on a start).
TEST(flow_files, an_empty_start_is_refused) {
  const auto e = single_error("flows:\n  f:\n    start: !=a\n    nodes: {a: {hangup: }}\n");
  EXPECT_EQ(e.key_path, "flows.f.start");
  EXPECT_NE(e.reason.find("1 to 64 characters"), std::string::npos) << e.reason;
}

TEST(flow_files, the_same_flow_in_two_files_names_the_first) {
  const auto result =
      load_flow_texts({{"a.yaml", "flows:\n  f:\n    start: x\n    nodes: {x: {hangup: }}\n"},
                       {"b.yaml", "\nflows:\n  f:\n    start: x\n    nodes: {x: {hangup: }}\n"}});
  ASSERT_EQ(result.errors().size(), 1u) << dump(result);
  EXPECT_EQ(result.errors()[0].file, "b.yaml");
  EXPECT_EQ(result.errors()[0].line, 3);
  EXPECT_NE(result.errors()[0].reason.find("defined twice (first in a.yaml:2)"), std::string::npos);
}

TEST(flow_files, calendars_read_days_hours_and_holidays) {
  const auto result = load(R"(calendars:
  office:
    time_zone: Europe/Berlin
    open:
      mon-fri: ["09:00-12:00", "13:00-18:00"]
      sat,sun: "10:00-24:00"
    holidays: ["2026-12-24..2026-12-26", "2027-01-01"]
)");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& c = result.flows().calendars.at(0);
  EXPECT_EQ(c.time_zone, "Europe/Berlin");
  ASSERT_EQ(c.open.size(), 12u);
  EXPECT_EQ(c.open[0].weekday, 0u);
  EXPECT_EQ(c.open[5].from, 13h);  // each span for every day, in order
  EXPECT_EQ(c.open[10].weekday, 5u);
  EXPECT_EQ(c.open[10].to, 24h);
  ASSERT_EQ(c.holidays.size(), 4u);
  EXPECT_EQ(c.holidays[2], std::chrono::year(2026) / 12 / 26);
}

TEST(flow_files, calendar_mistakes_are_each_named) {
  const auto result = load(R"(calendars:
  office:
    time_zone: ../../etc/passwd
    open:
      mon-fir: "09:00-18:00"
      tue: "18:00-09:00"
      wed: "9-5"
    holidays: ["2026-02-30", "2026-12-26..2026-12-24"]
)");
  ASSERT_EQ(result.errors().size(), 6u) << dump(result);
  EXPECT_NE(result.errors()[0].reason.find("time zone"), std::string::npos);
  EXPECT_NE(result.errors()[1].reason.find("'mon-fir'"), std::string::npos);
  EXPECT_NE(result.errors()[2].reason.find("end before they start"), std::string::npos);
  EXPECT_NE(result.errors()[3].reason.find("09:00-18:00"), std::string::npos);
  EXPECT_NE(result.errors()[4].reason.find("2026-02-30"), std::string::npos);
  EXPECT_NE(result.errors()[5].reason.find("runs forward"), std::string::npos);
  EXPECT_EQ(result.errors()[4].key_path, "calendars.office.holidays[0]");
  EXPECT_EQ(result.errors()[5].key_path, "calendars.office.holidays[1]");
}

TEST(flow_files, queries_and_lookups_read_their_keys) {
  const auto result = load(R"(queries:
  balance:
    sql: "SELECT holder, balance FROM accounts WHERE number = $1 AND branch = $2"
    timeout: 500ms
flows:
  f:
    start: find
    nodes:
      find:
        lookup: balance
        with: [account, "'north'"]
        into: acct
        found: a
        not_found: b
        error: c
      a: {hangup: }
      b: {hangup: }
      c: {hangup: }
)");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& set = result.flows();
  ASSERT_EQ(set.queries.size(), 1u);
  EXPECT_EQ(set.queries[0].name, "balance");
  EXPECT_EQ(set.queries[0].parameters, 2u);
  EXPECT_EQ(set.queries[0].timeout, 500ms);
  const auto& lookup = std::get<lookup_node>(node(set.flows[0], "find").body);
  EXPECT_EQ(lookup.query.text, "balance");
  ASSERT_EQ(lookup.parameters.size(), 2u);
  EXPECT_EQ(lookup.parameters[1].text, "'north'");
  EXPECT_EQ(lookup.parameters[1].key_path, "flows.f.nodes.find.with[1]");
  EXPECT_EQ(lookup.into, "acct");
  EXPECT_EQ(lookup.error.text, "c");
}

TEST(flow_files, a_query_is_one_select_with_numbered_parameters) {
  const auto reason_of = [](const std::string& sql) {
    return single_error("queries:\n  q:\n    sql: \"" + sql + "\"\n").reason;
  };
  EXPECT_NE(reason_of("DELETE FROM accounts").find("one SELECT"), std::string::npos);
  EXPECT_NE(reason_of("SELECT 1; DROP TABLE accounts").find("one statement"), std::string::npos);
  EXPECT_NE(reason_of("SELECT $1, $3").find("$1 to $3 without a gap"), std::string::npos);
  EXPECT_NE(reason_of("SELECT $$x$$").find("dollar quotes"), std::string::npos);
  EXPECT_NE(reason_of("SELECT $17").find("at most 16"), std::string::npos);
  EXPECT_NE(reason_of("SELECT 'open").find("not closed"), std::string::npos);
  // Quoted text and comments are not read as SQL: their ';' and '$' are harmless.
  const auto ok = load("queries:\n  q:\n    sql: \"SELECT 'a;$b' -- c;\\n, $1;\"\n");
  ASSERT_TRUE(ok.ok()) << dump(ok);
  EXPECT_EQ(ok.flows().queries[0].parameters, 1u);
}

TEST(flow_files, a_lookup_needs_its_branches) {
  const auto result = load(R"(flows:
  f:
    start: find
    nodes:
      find: {lookup: q, with: "account", found: find}
)");
  ASSERT_EQ(result.errors().size(), 2u) << dump(result);
  const auto all = dump(result);
  EXPECT_NE(all.find("with: expected a list"), std::string::npos) << all;
  EXPECT_NE(all.find("lookup needs not_found"), std::string::npos) << all;
}

TEST(flow_files, yaml_syntax_errors_name_the_file_and_line) {
  const auto e = single_error("flows:\n  f: [\n");
  EXPECT_EQ(e.file, "f.yaml");
  EXPECT_GT(e.line, 0);
  EXPECT_NE(e.reason.find("YAML syntax error"), std::string::npos);
}

TEST(flow_files, input_that_stalls_the_yaml_parser_is_refused) {
  const auto e = single_error(",");
  EXPECT_EQ(e.line, 1);
  EXPECT_NE(e.reason.find("YAML syntax error"), std::string::npos);
}

TEST(flow_files, a_missing_directory_is_an_error_and_an_empty_one_an_empty_set) {
  const auto missing = load_flow_directory("/nonexistent/flows");
  ASSERT_EQ(missing.errors().size(), 1u);
  EXPECT_NE(missing.errors()[0].reason.find("cannot read the flow directory"), std::string::npos);

  const auto dir = std::filesystem::temp_directory_path() / "callcenterd-flow-files-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "not a flow";
  const auto empty = load_flow_directory(dir);
  ASSERT_TRUE(empty.ok()) << dump(empty);
  EXPECT_TRUE(empty.flows().flows.empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace callcenterd::config
