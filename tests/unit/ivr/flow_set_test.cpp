// The flow checker: every mistake found before a caller meets it, with file, line and key.
#include "callcenterd/ivr/flow_set.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "callcenterd/config/flow_loader.hpp"

namespace callcenterd::ivr {
namespace {

flow_environment environment() {
  flow_environment env;
  env.prompts = std::filesystem::path(CALLCENTERD_SOURCE_DIR) / "tests/data/media";
  env.queues = {"support", "sales"};
  return env;
}

std::variant<std::shared_ptr<const flow_set>, std::vector<flow_problem>> compile(
    const std::string& text) {
  auto loaded = config::load_flow_texts({{"f.yaml", text}});
  if (!loaded) {
    ADD_FAILURE() << "the reader refused it: " << loaded.errors().front().to_string();
    return std::vector<flow_problem>{};
  }
  return flow_set::blocking_compile(std::move(loaded).flows(), environment());
}

std::string dump(const std::vector<flow_problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.to_string() + "\n";
  return out;
}

/// The problems of `text`, which must not compile.
std::vector<flow_problem> problems_of(const std::string& text) {
  auto result = compile(text);
  if (std::holds_alternative<std::shared_ptr<const flow_set>>(result)) {
    ADD_FAILURE() << "compiled, but should not have";
    return {};
  }
  return std::get<std::vector<flow_problem>>(std::move(result));
}

bool mentions(const flow_problem& p, std::string_view what) {
  return p.reason.find(what) != std::string::npos;
}

TEST(flow_set, the_demo_flows_compile) {
  auto loaded =
      config::load_flow_directory(std::filesystem::path(CALLCENTERD_SOURCE_DIR) / "config/flows");
  ASSERT_TRUE(loaded.ok());
  auto result = flow_set::blocking_compile(std::move(loaded).flows(), environment());
  const auto* problems = std::get_if<std::vector<flow_problem>>(&result);
  ASSERT_EQ(problems, nullptr) << dump(*problems);
  const auto& set = *std::get<std::shared_ptr<const flow_set>>(result);
  const auto* main = set.find("main");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(set.start(*main).name, "welcome");
  EXPECT_EQ(set.find("nope"), nullptr);
}

TEST(flow_set, targets_expressions_and_prompts_are_compiled) {
  auto result = compile(R"yaml(flows:
  f:
    start: a
    nodes:
      a:
        play: ["Hello ${name}", {file: prompt_ulaw.wav}, {digits: "substr(account, 0, 4)"}]
        next: b
      b:
        set: {n: "n + 1"}
        next: c
      c:
        hangup:
)yaml");
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const flow_set>>(result))
      << dump(std::get<std::vector<flow_problem>>(result));
  const auto& set = *std::get<std::shared_ptr<const flow_set>>(result);
  const auto& f = *set.find("f");
  const auto& a = std::get<config::play_node>(f.nodes[0].body);
  EXPECT_EQ(set.node(a.next), &f.nodes[1]);
  const config::flow_text copy = a.next;
  EXPECT_EQ(set.node(copy), nullptr) << "only the set's own texts resolve";
  EXPECT_GT(set.audio(a.prompt[1].value)->samples(), 0u);
  const auto rendered =
      set.text(a.prompt[0].value)
          .render(evaluation_context{
              [](std::string_view name) { return name == "name" ? value("Li") : value(); }, {}});
  EXPECT_EQ(std::get<std::string>(rendered), "Hello Li");
  const auto n = set.expr(std::get<config::set_node>(f.nodes[1].body).assignments[0].second)
                     .evaluate(evaluation_context{[](std::string_view) { return value(41); }, {}});
  EXPECT_EQ(std::get<value>(n), value(42));
}

TEST(flow_set, a_missing_target_names_file_line_and_flow) {
  const auto problems = problems_of(
      "flows:\n  f:\n    start: a\n    nodes:\n      a:\n        play: hi\n        next: bb\n"
      "      b:\n        hangup:\n");
  // Only the typo: the graph checks wait for a set whose targets all resolve, so b is not
  // also reported as unreachable.
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].file, "f.yaml");
  EXPECT_EQ(problems[0].line, 7);
  EXPECT_EQ(problems[0].key_path, "flows.f.nodes.a.next");
  EXPECT_TRUE(mentions(problems[0], "'bb' is not a node of flow 'f'"));
}

TEST(flow_set, a_node_no_path_reaches_is_named) {
  const auto problems = problems_of(
      "flows:\n  f:\n    start: a\n    nodes:\n      a: {play: hi}\n      b: {hangup: }\n");
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].line, 6);
  EXPECT_EQ(problems[0].key_path, "flows.f.nodes.b");
  EXPECT_TRUE(mentions(problems[0], "node 'b' is never reached from the start 'a'"));
}

TEST(flow_set, a_missing_start_is_named) {
  const auto problems =
      problems_of("flows:\n  f:\n    start: nowhere\n    nodes:\n      a: {hangup: }\n");
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].line, 3);
  EXPECT_TRUE(mentions(problems[0], "start 'nowhere'"));
}

TEST(flow_set, bad_expressions_and_templates_say_where) {
  const auto problems = problems_of(
      "flows:\n  f:\n    start: a\n    nodes:\n      a:\n        set: {x: \"1 +\"}\n"
      "        next: b\n      b:\n        play: \"Hello ${name\"\n        next: c\n"
      "      c:\n        branch: [{if: \"lenght(x) > 2\", go: a}]\n");
  ASSERT_EQ(problems.size(), 3u) << dump(problems);
  EXPECT_EQ(problems[0].key_path, "flows.f.nodes.a.set.x");
  EXPECT_TRUE(mentions(problems[0], "bad expression '1 +'"));
  EXPECT_EQ(problems[1].line, 9);
  EXPECT_TRUE(mentions(problems[1], "bad ${...}"));
  EXPECT_TRUE(mentions(problems[2], "lenght"));
}

TEST(flow_set, unknown_calendar_queue_and_flows_are_named) {
  const auto problems = problems_of(R"yaml(flows:
  f:
    start: a
    nodes:
      a: {schedule: office, open: b, closed: c}
      b: {queue: billing}
      c: {call: helper, next: d}
      d: {transfer: {flow: elsewhere}}
)yaml");
  ASSERT_EQ(problems.size(), 4u) << dump(problems);
  EXPECT_TRUE(mentions(problems[0], "no calendar 'office'"));
  EXPECT_TRUE(mentions(problems[1], "no queue 'billing'"));
  EXPECT_TRUE(mentions(problems[2], "no flow 'helper' to call"));
  EXPECT_TRUE(mentions(problems[3], "no flow 'elsewhere' to transfer to"));
}

TEST(flow_set, a_lookup_names_a_defined_query_with_as_many_parameters) {
  const auto problems = problems_of(R"yaml(queries:
  balance:
    sql: "SELECT balance FROM accounts WHERE number = $1 AND branch = $2"
flows:
  f:
    start: a
    nodes:
      a: {lookup: balance, with: [account], found: b, not_found: b}
      b: {lookup: balances, with: [account], found: c, not_found: c, error: c}
      c: {hangup: }
)yaml");
  ASSERT_EQ(problems.size(), 2u) << dump(problems);
  EXPECT_TRUE(mentions(problems[0], "takes 2 parameter(s) ($1..$2); with: gives 1"));
  EXPECT_TRUE(mentions(problems[1], "no query 'balances'"));
  EXPECT_EQ(problems[1].key_path, "flows.f.nodes.b.lookup");
}

TEST(flow_set, a_missing_or_bad_prompt_file_is_refused_with_its_path) {
  const auto problems = problems_of(
      "flows:\n  f:\n    start: a\n    nodes:\n      a:\n        play: {file: missing.wav}\n");
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].line, 6);
  EXPECT_TRUE(mentions(problems[0], "missing.wav"));
}

TEST(flow_set, an_unknown_time_zone_is_refused) {
  const auto problems = problems_of(
      "calendars:\n  office:\n    time_zone: Mars/Olympus_Mons\n"
      "flows:\n  f:\n    start: a\n    nodes:\n      a: {schedule: office, open: b, closed: b}\n"
      "      b: {hangup: }\n");
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_TRUE(mentions(problems[0], "Mars/Olympus_Mons"));
}

TEST(flow_set, a_loop_that_never_waits_is_refused_but_one_through_a_menu_is_not) {
  const auto problems = problems_of(R"yaml(flows:
  f:
    start: a
    nodes:
      a: {set: {n: "n + 1"}, next: b}
      b: {branch: [{if: "n > 3", go: a}], otherwise: c}
      c: {switch: n, cases: {"1": a}, otherwise: a}
)yaml");
  ASSERT_FALSE(problems.empty());
  EXPECT_TRUE(mentions(problems[0], "loop without waiting for the caller: a -> b -> a"))
      << dump(problems);

  auto fine = compile(R"yaml(flows:
  f:
    start: a
    nodes:
      a: {set: {n: "n + 1"}, next: m}
      m: {menu: "Press 1", options: {"1": a}, invalid: a, no_input: a}
)yaml");
  EXPECT_TRUE(std::holds_alternative<std::shared_ptr<const flow_set>>(fine))
      << dump(std::get<std::vector<flow_problem>>(fine));
}

TEST(flow_set, each_compiled_set_has_a_new_version) {
  const std::string text = "flows:\n  f:\n    start: a\n    nodes:\n      a: {hangup: }\n";
  const auto first = std::get<std::shared_ptr<const flow_set>>(compile(text));
  const auto second = std::get<std::shared_ptr<const flow_set>>(compile(text));
  EXPECT_GT(second->version(), first->version());
}

}  // namespace
}  // namespace callcenterd::ivr
