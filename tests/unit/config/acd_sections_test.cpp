// The ACD's model as callcenterd.yaml gives it: agents, not-ready reasons and queues with their
// exit targets and overflow rules, the defaults of acd/model.hpp, and every refusal with its
// line and key.
#include <gtest/gtest.h>

#include "callcenterd/config/loader.hpp"
#include "callcenterd/config/reload.hpp"
#include "test_support.hpp"

namespace callcenterd::config {
namespace {

using namespace std::chrono_literals;
using acd::exit_target;
using test::dump;
using test::expect_single_error;
using test::load;

using kind = exit_target::kind;

TEST(acd_sections, absent_sections_give_the_model_defaults) {
  const auto result = load("");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& acd = result.settings().acd;
  EXPECT_TRUE(acd.agents.empty());
  EXPECT_TRUE(acd.queues.empty());
  EXPECT_EQ(acd.not_ready_reasons,
            (std::vector<std::string>{"break", "lunch", "training", "meeting"}));
  EXPECT_EQ(acd, acd::acd_model{});
}

TEST(acd_sections, an_agent_or_queue_of_one_key_takes_every_default) {
  const auto result = load("agents:\n  - id: '1001'\nqueues:\n  - name: support\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& acd = result.settings().acd;
  ASSERT_EQ(acd.agents.size(), 1u);
  EXPECT_EQ(acd.agents[0], (acd::agent_settings{.id = "1001", .name = "1001", .extension = "1001"}))
      << "name and extension default to the id";
  EXPECT_FALSE(acd.agents[0].auto_login);
  ASSERT_EQ(acd.queues.size(), 1u);
  const auto& q = acd.queues[0];
  EXPECT_EQ(q, acd::queue_settings{.name = "support"});
  EXPECT_EQ(q.strategy, "longest_idle");
  EXPECT_EQ(q.wrap_up, 10s);
  EXPECT_EQ(q.ring_timeout, 15s);
  EXPECT_EQ(q.no_answer_reason, "no_answer");
  EXPECT_EQ(q.service_level_threshold, 20s);
  EXPECT_EQ(q.service_level_target, 0.8);
  EXPECT_EQ(q.short_abandon, 5s);
  EXPECT_EQ(q.expected_handle_time, 3min);
  EXPECT_EQ(q.when_no_agents_policy, acd::no_agents_policy::join);
  EXPECT_EQ(q.when_full, exit_target{}) << "hang up without a message";
  EXPECT_TRUE(q.record);
  EXPECT_TRUE(q.hold_class.empty());
}

constexpr const char* full_example = R"(
media:
  hold_classes:
    - {name: calm, file: calm.wav}
agents:
  - id: "1001"
    name: Li Na
    extension: "2001"
    teams: [support, evening]
    skills: {support: 7, billing: 3}
    auto_login: true
  - id: "1002"
not_ready_reasons: [break, lunch, coaching]
queues:
  - name: support
    skills: {support: 1, english: 4}
    strategy: most_skilled
    priority_aging: 30s
    max_length: 25
    max_wait: 10m
    wrap_up: 5s
    ring_timeout: 20s
    no_answer_reason: ""
    service_level: {threshold: 30s, target: 0.85}
    short_abandon: 3s
    expected_handle_time: 4m
    hold_class: calm
    record: false
    no_agents: refuse
    when_no_agents: {hang_up: "Sorry, nobody can take your call."}
    when_full: {queue: sales}
    when_max_wait: {flow: voicemail}
    overflow:
      - {after: 30s, lower_min_level_by: 2}
      - {after: 60s, add_skills: {billing: 5}}
      - {after: 90s, lower_min_level_by: 1, add_skills: {sales: 2, english: 1}}
      - {after: 120s, move_to: {queue: sales}}
      - {after: 5m, move_to: {extension: "1009"}}
  - name: sales
    strategy: random
    when_max_wait: {hang_up: ""}
)";

TEST(acd_sections, a_full_example_sets_every_field) {
  const auto result = load(full_example);
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& acd = result.settings().acd;

  ASSERT_EQ(acd.agents.size(), 2u);
  EXPECT_EQ(acd.agents[0],
            (acd::agent_settings{
                .id = "1001",
                .name = "Li Na",
                .extension = "2001",
                .teams = {"support", "evening"},
                .skills = {{.skill = "support", .level = 7}, {.skill = "billing", .level = 3}},
                .auto_login = true,
            }));
  EXPECT_EQ(acd.agents[1],
            (acd::agent_settings{.id = "1002", .name = "1002", .extension = "1002"}));
  EXPECT_EQ(acd.not_ready_reasons, (std::vector<std::string>{"break", "lunch", "coaching"}));

  ASSERT_EQ(acd.queues.size(), 2u);
  const acd::queue_settings support{
      .name = "support",
      .skills = {{.skill = "support", .min_level = 1}, {.skill = "english", .min_level = 4}},
      .strategy = "most_skilled",
      .priority_aging = 30s,
      .max_length = 25,
      .max_wait = 10min,
      .wrap_up = 5s,
      .ring_timeout = 20s,
      .no_answer_reason = "",
      .service_level_threshold = 30s,
      .service_level_target = 0.85,
      .short_abandon = 3s,
      .expected_handle_time = 4min,
      .overflow =
          {
              acd::overflow_rule{.after = 30s, .lower_min_level_by = 2},
              acd::overflow_rule{.after = 60s,
                                 .add_skills = {{.skill = "billing", .min_level = 5}}},
              acd::overflow_rule{.after = 90s,
                                 .lower_min_level_by = 1,
                                 .add_skills = {{.skill = "sales", .min_level = 2},
                                                {.skill = "english", .min_level = 1}}},
              acd::overflow_rule{.after = 120s,
                                 .move_to = exit_target{.what = kind::queue, .name = "sales"}},
              acd::overflow_rule{.after = 5min,
                                 .move_to = exit_target{.what = kind::extension, .name = "1009"}},
          },
      .when_no_agents_policy = acd::no_agents_policy::refuse,
      .when_no_agents =
          exit_target{.what = kind::hang_up, .message = "Sorry, nobody can take your call."},
      .when_full = exit_target{.what = kind::queue, .name = "sales"},
      .when_max_wait = exit_target{.what = kind::flow, .name = "voicemail"},
      .hold_class = "calm",
      .record = false,
  };
  EXPECT_EQ(acd.queues[0], support);
  EXPECT_EQ(
      acd.queues[1],
      (acd::queue_settings{.name = "sales", .strategy = "random", .when_max_wait = exit_target{}}));
}

TEST(acd_sections, a_queue_announces_place_and_wait_when_asked) {
  const auto result =
      load("queues:\n  - name: q\n    announce: {every: 45s, position: false, language: zh}\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& q = result.settings().acd.queues[0];
  EXPECT_EQ(q.announce_every, 45s);
  EXPECT_FALSE(q.announce_position);
  EXPECT_TRUE(q.announce_wait);
  EXPECT_EQ(q.announce_language, "zh");
  EXPECT_EQ(load("queues:\n  - name: q\n").settings().acd.queues[0].announce_every, 0s);
  expect_single_error("queues:\n  - name: q\n    announce: {every: 45s, language: fr}\n", 3,
                      "queues[0].announce.language",
                      "must be en (English) or zh (Mandarin), got 'fr'");
}

TEST(acd_sections, a_queue_may_whisper_to_the_agent_and_name_the_agent_to_the_caller) {
  const auto result = load(
      "queues:\n  - name: q\n    whisper: '{queue}: {choice}'\n"
      "    agent_announcement: '工号 {agent} 为您服务'\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& q = result.settings().acd.queues[0];
  EXPECT_EQ(q.whisper, "{queue}: {choice}");
  EXPECT_EQ(q.agent_announcement, "工号 {agent} 为您服务");
  EXPECT_TRUE(load("queues:\n  - name: q\n").settings().acd.queues[0].whisper.empty());
  expect_single_error("queues:\n  - name: q\n    whisper: 'from {queue'\n", 3, "queues[0].whisper",
                      "a { without its }: 'from {queue'");
  expect_single_error("queues:\n  - name: q\n    agent_announcement: 'agent} speaking'\n", 3,
                      "queues[0].agent_announcement", "a } without its {: 'agent} speaking'");
}

TEST(acd_sections, a_queue_offers_callbacks_through_a_trunk_it_names) {
  const std::string trunk =
      "sip:\n  trunks:\n    - {name: carrier, host: 192.0.2.7}\n"
      "    - {name: inbound, allow: [192.0.2.8]}\n";
  const auto result = load(trunk +
                           "queues:\n  - name: q\n    callback: {after: 90s, key: '#', trunk: "
                           "carrier, dial_prefix: '0', attempts: 2, retry_delay: 5m, "
                           "ring_timeout: 20s, offer: 'Press {key} for a callback.'}\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& callback = result.settings().acd.queues[0].callback;
  EXPECT_EQ(callback.offer_after, 90s);
  EXPECT_EQ(callback.key, '#');
  EXPECT_EQ(callback.trunk, "carrier");
  EXPECT_EQ(callback.dial_prefix, "0");
  EXPECT_EQ(callback.attempts, 2u);
  EXPECT_EQ(callback.retry_delay, 5min);
  EXPECT_EQ(callback.ring_timeout, 20s);
  EXPECT_EQ(callback.offer_text, "Press {key} for a callback.");
  EXPECT_EQ(load("queues:\n  - name: q\n").settings().acd.queues[0].callback.offer_after, 0s);
  expect_single_error(trunk + "queues:\n  - name: q\n    callback: {after: 1m, trunk: gone}\n", 7,
                      "queues[0].callback.trunk", "no trunk 'gone' in sip.trunks");
  expect_single_error(trunk + "queues:\n  - name: q\n    callback: {after: 1m, trunk: inbound}\n",
                      7, "queues[0].callback.trunk",
                      "the trunk 'inbound' has no host to call out to");
  expect_single_error("queues:\n  - name: q\n    callback: {after: 1m}\n", 3,
                      "queues[0].callback.after",
                      "callbacks go out through a trunk: name it in callback.trunk");
  expect_single_error(
      trunk + "queues:\n  - name: q\n    callback: {after: 1m, trunk: carrier, key: '12'}\n", 7,
      "queues[0].callback.key", "expected one key of 0-9, * or #, got '12'");
}

TEST(acd_sections, every_strategy_is_known_by_name) {
  for (const std::string name : {"longest_idle", "most_skilled", "round_robin", "fewest_calls",
                                 "least_talk_time", "random", "ring_all"}) {
    const auto result = load("queues:\n  - {name: q, strategy: " + name + "}\n");
    ASSERT_TRUE(result.ok()) << dump(result);
    EXPECT_EQ(result.settings().acd.queues[0].strategy, name);
  }
  expect_single_error("queues:\n  - {name: q, strategy: longest-idle}\n", 2, "queues[0].strategy",
                      "expected one of longest_idle, most_skilled, round_robin, fewest_calls, "
                      "least_talk_time, random, ring_all; got 'longest-idle' (did you mean "
                      "'longest_idle'?)");
}

TEST(acd_agents, each_agent_has_an_id_once) {
  expect_single_error("agents:\n  - {name: Li Na}\n", 2, "agents[0].id", "every agent needs an id");
  expect_single_error("agents:\n  - {id: '1001'}\n  - {id: '1002'}\n  - {id: '1001'}\n", 4,
                      "agents[2].id", "the agent '1001' is listed twice");
  expect_single_error("agents:\n  - {id: 'li na'}\n", 2, "agents[0].id",
                      "may contain only letters, digits, '.', '-', '_' and '+', got 'li na'");
  expect_single_error("agents:\n  - {id: '" + std::string(33, '1') + "'}\n", 2, "agents[0].id",
                      "must be 1 to 32 characters");
  expect_single_error("agents:\n  - {id: '1001', extension: 'sip:1001@x'}\n", 2,
                      "agents[0].extension",
                      "may contain only letters, digits, '.', '-', '_' and '+', got 'sip:1001@x'");
  expect_single_error("agents:\n  - {id: '1001', name: ''}\n", 2, "agents[0].name",
                      "must not be empty");
  expect_single_error("agents:\n  - '1001'\n", 2, "agents[0]",
                      "expected a mapping of keys, got '1001'");
  expect_single_error("agents:\n  - {id: '1001', skill: {a: 1}}\n", 2, "agents[0].skill",
                      "unknown key 'skill' (did you mean 'skills'?)");
  expect_single_error("agents:\n  - {id: '1001', auto_login: yes}\n", 2, "agents[0].auto_login",
                      "expected true or false, got 'yes'");
}

TEST(acd_agents, skills_are_names_with_levels_from_1_to_10) {
  expect_single_error("agents:\n  - id: '1001'\n    skills: {support: 11}\n", 3,
                      "agents[0].skills.support", "must be between 1 and 10, got 11");
  expect_single_error("agents:\n  - id: '1001'\n    skills: {support: 0}\n", 3,
                      "agents[0].skills.support", "must be between 1 and 10, got 0");
  expect_single_error("agents:\n  - id: '1001'\n    skills: {support: high}\n", 3,
                      "agents[0].skills.support", "expected an integer, got 'high'");
  expect_single_error(
      "agents:\n  - id: '1001'\n    skills: {'tech support': 5}\n", 3,
      "agents[0].skills.tech support",
      "may contain only letters, digits, '.', '-', '_' and '+', got 'tech support'");
  expect_single_error("agents:\n  - id: '1001'\n    skills: [support]\n", 3, "agents[0].skills",
                      "expected a mapping of names to numbers, got a list");
  expect_single_error("agents:\n  - id: '1001'\n    skills: {a: 1, a: 2}\n", 3,
                      "agents[0].skills.a", "duplicate key 'a' (first given on line 3)");
}

TEST(acd_agents, teams_are_names_each_once) {
  expect_single_error("agents:\n  - id: '1001'\n    teams: [a, b, a]\n", 3, "agents[0].teams[2]",
                      "the team 'a' is listed twice");
  expect_single_error("agents:\n  - id: '1001'\n    teams: ['a b']\n", 3, "agents[0].teams[0]",
                      "may contain only letters, digits, '.', '-', '_' and '+', got 'a b'");
  expect_single_error("agents:\n  - id: '1001'\n    teams: support\n", 3, "agents[0].teams",
                      "expected a list, got 'support'");
}

TEST(acd_not_ready_reasons, a_list_replaces_the_default_and_names_each_once) {
  const auto result = load("not_ready_reasons: [meeting]\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.settings().acd.not_ready_reasons, (std::vector<std::string>{"meeting"}));
  expect_single_error("not_ready_reasons: []\n", 1, "not_ready_reasons",
                      "not_ready_reasons needs at least one reason");
  expect_single_error("not_ready_reasons:\n  - break\n  - lunch\n  - break\n", 4,
                      "not_ready_reasons[2]", "the reason 'break' is listed twice");
  expect_single_error("not_ready_reasons: [break, '']\n", 1, "not_ready_reasons[1]",
                      "must be 1 to 64 characters");
}

TEST(acd_queues, each_queue_has_a_name_the_database_accepts_once) {
  expect_single_error("queues:\n  - {strategy: random}\n", 2, "queues[0].name",
                      "every queue needs a name");
  expect_single_error("queues:\n  - {name: a}\n  - {name: a}\n", 3, "queues[1].name",
                      "the queue 'a' is listed twice");
  expect_single_error("queues:\n  - {name: Support}\n", 2, "queues[0].name",
                      "may contain only lower-case letters, digits, '-' and '_', got 'Support'");
  expect_single_error("queues:\n  - {name: first.line}\n", 2, "queues[0].name",
                      "may contain only lower-case letters, digits, '-' and '_', got 'first.line'");
  expect_single_error("queues:\n  - {name: '" + std::string(65, 'q') + "'}\n", 2, "queues[0].name",
                      "must be 1 to 64 characters");
  expect_single_error(
      "queues:\n  - {name: q, extension: '1001'}\n", 2, "queues[0].extension",
      "unknown key 'extension'; known keys here: name, skills, strategy, "
      "priority_aging, max_length, max_wait, wrap_up, ring_timeout, "
      "no_answer_reason, service_level, short_abandon, expected_handle_time, "
      "hold_class, record, announce, whisper, agent_announcement, callback, no_agents, "
      "when_no_agents, when_full, when_max_wait, "
      "overflow");
}

TEST(acd_queues, values_are_kept_in_their_ranges) {
  const std::string q = "queues:\n  - name: q\n";
  expect_single_error(q + "    skills: {support: 11}\n", 3, "queues[0].skills.support",
                      "must be between 1 and 10, got 11");
  expect_single_error(q + "    max_length: 100001\n", 3, "queues[0].max_length",
                      "must be between 0 and 100000, got 100001");
  expect_single_error(q + "    max_length: -1\n", 3, "queues[0].max_length",
                      "must be between 0 and 100000, got -1");
  expect_single_error(q + "    priority_aging: -1s\n", 3, "queues[0].priority_aging",
                      "a duration cannot be negative, got '-1s'");
  expect_single_error(q + "    max_wait: 25h\n", 3, "queues[0].max_wait",
                      "must be between 0ms and 24h, got 25h");
  expect_single_error(q + "    wrap_up: 61m\n", 3, "queues[0].wrap_up",
                      "must be between 0ms and 1h, got 61m");
  expect_single_error(q + "    ring_timeout: 0s\n", 3, "queues[0].ring_timeout",
                      "must be between 1s and 10m, got 0s");
  expect_single_error(q + "    ring_timeout: 11m\n", 3, "queues[0].ring_timeout",
                      "must be between 1s and 10m, got 11m");
  expect_single_error(q + "    ring_timeout: 15\n", 3, "queues[0].ring_timeout",
                      "a duration needs a unit (ms, s, m or h), e.g. '15s', got '15'");
  expect_single_error(q + "    short_abandon: 2h\n", 3, "queues[0].short_abandon",
                      "must be between 0ms and 1h, got 2h");
  expect_single_error(q + "    expected_handle_time: 0s\n", 3, "queues[0].expected_handle_time",
                      "must be between 1s and 24h, got 0s");
  expect_single_error(q + "    no_answer_reason: 'no answer'\n", 3, "queues[0].no_answer_reason",
                      "may contain only letters, digits, '.', '-', '_' and '+', got 'no answer'");
  expect_single_error(q + "    no_agents: wait\n", 3, "queues[0].no_agents",
                      "expected one of join, refuse; got 'wait'");
  expect_single_error(q + "    record: maybe\n", 3, "queues[0].record",
                      "expected true or false, got 'maybe'");
}

TEST(acd_queues, the_service_level_target_is_a_fraction) {
  const std::string q = "queues:\n  - name: q\n";
  const auto whole = load(q + "    service_level: {target: 1}\n");
  ASSERT_TRUE(whole.ok()) << dump(whole);
  EXPECT_EQ(whole.settings().acd.queues[0].service_level_target, 1.0);
  EXPECT_EQ(whole.settings().acd.queues[0].service_level_threshold, 20s);
  const auto none = load(q + "    service_level: {target: 0, threshold: 1m}\n");
  ASSERT_TRUE(none.ok()) << dump(none);
  EXPECT_EQ(none.settings().acd.queues[0].service_level_target, 0.0);
  EXPECT_EQ(none.settings().acd.queues[0].service_level_threshold, 1min);

  expect_single_error(q + "    service_level: {target: 1.5}\n", 3, "queues[0].service_level.target",
                      "must be between 0 and 1, got 1.5");
  expect_single_error(q + "    service_level: {target: 80%}\n", 3, "queues[0].service_level.target",
                      "write a percentage as a fraction, e.g. '0.8' for 80%, got '80%'");
  expect_single_error(q + "    service_level: {target: .8}\n", 3, "queues[0].service_level.target",
                      "expected a decimal number such as '0.8', got '.8'");
  expect_single_error(q + "    service_level: {threshold: 0s}\n", 3,
                      "queues[0].service_level.threshold", "must be between 1s and 1h, got 0s");
  expect_single_error(q + "    service_level: {target: 0.8, goal: 0.9}\n", 3,
                      "queues[0].service_level.goal",
                      "unknown key 'goal'; known keys here: threshold, target");
}

TEST(acd_queues, a_hold_class_is_one_media_lists) {
  const std::string calm = "media:\n  hold_classes:\n    - {name: calm, file: calm.wav}\n";
  const auto result = load(calm + "queues:\n  - {name: q, hold_class: calm}\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.settings().acd.queues[0].hold_class, "calm");
  expect_single_error(calm + "queues:\n  - {name: q, hold_class: jazz}\n", 5,
                      "queues[0].hold_class", "no hold class 'jazz' in media.hold_classes");
  expect_single_error("queues:\n  - {name: q, hold_class: calm}\n", 2, "queues[0].hold_class",
                      "no hold class 'calm' in media.hold_classes");
}

TEST(acd_exit_targets, each_names_one_destination) {
  const std::string q = "queues:\n  - name: q\n";
  const auto ext = load(q + "    when_full: {extension: '1009'}\n");
  ASSERT_TRUE(ext.ok()) << dump(ext);
  EXPECT_EQ(ext.settings().acd.queues[0].when_full,
            (exit_target{.what = kind::extension, .name = "1009"}));

  const std::string exactly_one =
      "an exit target names exactly one of hang_up, queue, flow or extension";
  expect_single_error(q + "    when_full: {flow: a, extension: '1'}\n", 3, "queues[0].when_full",
                      exactly_one);
  expect_single_error(q + "    when_full: {}\n", 3, "queues[0].when_full", exactly_one);
  expect_single_error(q + "    when_full:\n", 3, "queues[0].when_full", exactly_one);
  expect_single_error(q + "    when_full: hang_up\n", 3, "queues[0].when_full",
                      "expected a mapping of keys, got 'hang_up'");
  expect_single_error(q + "    when_full: {voicemail: main}\n", 3, "queues[0].when_full.voicemail",
                      "unknown key 'voicemail'; known keys here: hang_up, queue, flow, extension");
  expect_single_error(q + "    when_full: {extension: 'a b'}\n", 3, "queues[0].when_full.extension",
                      "may contain only letters, digits, '.', '-', '_' and '+', got 'a b'");
  expect_single_error(q + "    when_full: {hang_up: \"one\\ntwo\"}\n", 3,
                      "queues[0].when_full.hang_up", "must be one line of text");
  expect_single_error(q + "    when_max_wait: {flow: 'a b'}\n", 3, "queues[0].when_max_wait.flow",
                      "may contain only letters, digits, '.', '-', '_' and '+', got 'a b'");
}

TEST(acd_exit_targets, a_queue_named_is_listed_anywhere_and_is_another_queue) {
  // Flows are loaded after the configuration: a flow a target names is not checked here.
  const auto later = load(
      "queues:\n  - {name: a, when_full: {queue: b}, when_no_agents: {flow: later}}\n"
      "  - {name: b}\n");
  ASSERT_TRUE(later.ok()) << dump(later);
  EXPECT_EQ(later.settings().acd.queues[0].when_full,
            (exit_target{.what = kind::queue, .name = "b"}));

  expect_single_error("queues:\n  - name: a\n    when_full: {queue: sales}\n", 3,
                      "queues[0].when_full.queue", "no queue 'sales' in queues");
  expect_single_error("queues:\n  - name: a\n    when_max_wait: {queue: a}\n", 3,
                      "queues[0].when_max_wait.queue", "a queue cannot send its calls to itself");
  expect_single_error("queues:\n  - name: a\n    when_no_agents: {queue: Sales}\n", 3,
                      "queues[0].when_no_agents.queue",
                      "may contain only lower-case letters, digits, '-' and '_', got 'Sales'");
}

TEST(acd_overflow, rules_widen_or_move) {
  const std::string q = "queues:\n  - name: a\n    overflow:\n";
  expect_single_error(q + "      - {after: 30s}\n", 4, "queues[0].overflow[0]",
                      "an overflow rule widens who may take a call (lower_min_level_by above 0, "
                      "add_skills) or moves it (move_to)");
  expect_single_error(q + "      - {after: 30s, lower_min_level_by: 0}\n", 4,
                      "queues[0].overflow[0]",
                      "an overflow rule widens who may take a call (lower_min_level_by above 0, "
                      "add_skills) or moves it (move_to)");
  expect_single_error(q + "      - {after: 30s, lower_min_level_by: 1, move_to: {flow: vm}}\n", 4,
                      "queues[0].overflow[0].move_to",
                      "an overflow rule widens (lower_min_level_by, add_skills) or moves calls "
                      "(move_to), not both");
  expect_single_error(q + "      - {after: 30s, add_skills: {b: 1}, move_to: {flow: vm}}\n", 4,
                      "queues[0].overflow[0].move_to",
                      "an overflow rule widens (lower_min_level_by, add_skills) or moves calls "
                      "(move_to), not both");
  // A refused value is reported as itself, not as a rule that does nothing as well.
  expect_single_error(q + "      - {after: 30s, lower_min_level_by: 10}\n", 4,
                      "queues[0].overflow[0].lower_min_level_by",
                      "must be between 0 and 9, got 10");
  expect_single_error(q + "      - {after: 30s, add_skills: {b: 0}}\n", 4,
                      "queues[0].overflow[0].add_skills.b", "must be between 1 and 10, got 0");
  expect_single_error(q + "      - {after: 30s, add_skills: {}}\n", 4,
                      "queues[0].overflow[0].add_skills", "add_skills needs at least one skill");
  expect_single_error(q + "      - {lower_min_level_by: 1}\n", 4, "queues[0].overflow[0].after",
                      "every overflow rule needs 'after': how long a call waits first");
  expect_single_error(q + "      - {after: soon, lower_min_level_by: 1}\n", 4,
                      "queues[0].overflow[0].after",
                      "expected a duration such as '250ms', '30s', '5m' or '1h', got 'soon'");
  expect_single_error(
      q + "      - after: 30s\n        lower_min_level_by: 1\n        priority: 2\n", 6,
      "queues[0].overflow[0].priority",
      "unknown key 'priority'; known keys here: after, lower_min_level_by, "
      "add_skills, move_to");
  expect_single_error(q + "      - 30s\n", 4, "queues[0].overflow[0]",
                      "expected a mapping of keys, got '30s'");
}

TEST(acd_overflow, a_move_goes_to_another_listed_queue) {
  const std::string q = "queues:\n  - name: a\n    overflow:\n";
  expect_single_error(q + "      - {after: 2m, move_to: {queue: a}}\n", 4,
                      "queues[0].overflow[0].move_to.queue",
                      "a queue cannot send its calls to itself");
  expect_single_error(q + "      - {after: 2m, move_to: {queue: b}}\n", 4,
                      "queues[0].overflow[0].move_to.queue", "no queue 'b' in queues");
  expect_single_error(q + "      - {after: 2m, move_to: {}}\n", 4, "queues[0].overflow[0].move_to",
                      "an exit target names exactly one of hang_up, queue, flow or extension");
  const auto hang_up = load(q + "      - {after: 1h, move_to: {hang_up: Goodbye.}}\n");
  ASSERT_TRUE(hang_up.ok()) << dump(hang_up);
  EXPECT_EQ(
      hang_up.settings().acd.queues[0].overflow[0],
      (acd::overflow_rule{.after = 1h,
                          .move_to = exit_target{.what = kind::hang_up, .message = "Goodbye."}}));
}

TEST(acd_sections, errors_of_several_queues_come_in_file_order) {
  const auto result = load(
      "queues:\n"
      "  - {name: a, when_full: {queue: x}}\n"
      "  - {name: b, wrap_up: 2h}\n"
      "  - {name: c, when_full: {queue: y}}\n");
  ASSERT_EQ(result.errors().size(), 3u) << dump(result);
  EXPECT_EQ(result.errors()[0].line, 2);
  EXPECT_EQ(result.errors()[0].reason, "no queue 'x' in queues");
  EXPECT_EQ(result.errors()[1].line, 3);
  EXPECT_EQ(result.errors()[1].key_path, "queues[1].wrap_up");
  EXPECT_EQ(result.errors()[2].line, 4);
  EXPECT_EQ(result.errors()[2].key_path, "queues[2].when_full.queue");
}

TEST(acd_sections, a_did_names_a_queue_that_is_listed) {
  const auto result =
      load("queues:\n  - {name: support}\ndids:\n  - {number: '1', queue: support}\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.settings().dids[0].target, "support");
  expect_single_error("queues:\n  - {name: support}\ndids:\n  - {number: '1', queue: billing}\n", 4,
                      "dids[0].queue", "no queue 'billing' in queues");
}

TEST(acd_sections, any_change_needs_a_restart_and_is_named_by_its_section) {
  const auto running = load(full_example);
  const std::string changed = std::string(full_example) + "    wrap_up: 20s\n";
  const auto next = load(changed);
  ASSERT_TRUE(running.ok() && next.ok()) << dump(next);
  EXPECT_EQ(next.settings().acd.queues[1].wrap_up, 20s);
  EXPECT_EQ(restart_required_changes(running.settings(), next.settings()),
            std::vector<std::string>{"queues"});
}

}  // namespace
}  // namespace callcenterd::config
