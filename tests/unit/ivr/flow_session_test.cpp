// The interpreter against a fake call: what the caller hears, which keys take them where,
// and what the event log is told.
#include "callcenterd/ivr/flow_session.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <filesystem>

#include "callcenterd/config/flow_loader.hpp"
#include "fake_flow_channel.hpp"

namespace callcenterd::ivr {
namespace {

using kind = flow_step::kind;
using test::fake_flow_channel;
using namespace std::chrono_literals;

std::shared_ptr<const flow_set> compile(const std::string& text) {
  auto loaded = config::load_flow_texts({{"f.yaml", text}});
  if (!loaded) {
    ADD_FAILURE() << loaded.errors().front().to_string();
    return nullptr;
  }
  flow_environment env;
  env.prompts = std::filesystem::path(CALLCENTERD_SOURCE_DIR) / "tests/data/media";
  env.queues = {"support", "sales"};
  auto result = flow_set::blocking_compile(std::move(loaded).flows(), env);
  if (auto* problems = std::get_if<std::vector<flow_problem>>(&result)) {
    ADD_FAILURE() << problems->front().to_string();
    return nullptr;
  }
  return std::get<std::shared_ptr<const flow_set>>(result);
}

// A flow session on a fake call, run by polling the test's io_context.
class flow_session_test : public ::testing::Test {
 protected:
  void start(const std::string& text, std::string flow = "main") {
    flows_ = compile(text);
    ASSERT_NE(flows_, nullptr);
    session_ = flow_session::create(
        boost::asio::make_strand(io_), channel_,
        flow_session_settings{.flows = flows_,
                              .flow = std::move(flow),
                              .variables = {{"caller_number", value("1002")}, {"did", "8000"}},
                              .clock = [this] { return now_; }});
    channel_.attach(*session_);
    session_->start();
    channel_.run();
  }

  boost::asio::io_context io_;
  fake_flow_channel channel_{io_};
  std::shared_ptr<const flow_set> flows_;
  std::unique_ptr<flow_session> session_;
  std::chrono::system_clock::time_point now_ =
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + 10h;  // a Monday, 10:00 UTC
};

constexpr auto menu_flow = R"yaml(flows:
  main:
    start: menu
    nodes:
      menu:
        menu: "Press 1 or 2."
        options: {"1": one, "2": two}
        repeat_key: "*"
        retries: 2
        invalid_prompt: "Wrong key."
        no_input_prompt: "Nothing heard."
        invalid: wrong
        no_input: silent
      one: {queue: support, priority: "5 + 1", next: sorry}
      two: {transfer: {extension: "10${substr(caller_number, 2)}"}, failed: sorry}
      sorry: {play: "Nobody answered."}
      wrong: {hangup: invalid}
      silent: {hangup: no_input}
)yaml";

TEST_F(flow_session_test, a_prompt_is_spoken_with_the_callers_variables_then_the_call_ends) {
  start(R"yaml(flows:
  main:
    start: hello
    nodes:
      hello: {play: ["Hello ${caller_number} on ${did}.", {file: prompt_ulaw.wav}], next: bye}
      bye: {hangup: done}
)yaml");
  EXPECT_EQ(channel_.texts(), std::vector<std::string>{"Hello 1002 on 8000."});
  ASSERT_EQ(channel_.played.size(), 2u);
  EXPECT_EQ(channel_.played[0], fake_flow_channel::sample_prompt());
  EXPECT_NE(channel_.played[1], nullptr);  // the recorded file
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"done"});
  EXPECT_EQ(channel_.steps_of(kind::entered), (std::vector<std::string>{"hello", "bye"}));
  EXPECT_EQ(channel_.steps_of(kind::hung_up), std::vector<std::string>{"bye:done"});
  EXPECT_FALSE(session_->running());
  EXPECT_EQ(session_->variable("previous_node"), value("hello"));
}

TEST_F(flow_session_test, a_menu_key_hands_the_caller_to_its_queue) {
  start(menu_flow);
  EXPECT_EQ(channel_.timer_after, 5000ms);  // the default timeout, after the prompt
  channel_.press('1');
  ASSERT_EQ(channel_.connects.size(), 1u);
  auto target = channel_.connects[0];
  // The flow's variables go with the caller (as text, by name) for the agent's screen pop.
  const auto& handed = target.variables;
  EXPECT_TRUE(std::is_sorted(handed.begin(), handed.end()));
  for (const auto& expected : {std::pair<std::string, std::string>{"caller_number", "1002"},
                               std::pair<std::string, std::string>{"did", "8000"}}) {
    EXPECT_NE(std::find(handed.begin(), handed.end(), expected), handed.end()) << expected.first;
  }
  target.variables.clear();
  EXPECT_EQ(target, (connect_target{
                        .what = connect_target::kind::queue, .name = "support", .priority = 6}));
  EXPECT_TRUE(session_->running());  // until the queue answers
  channel_.answer_connect(true);
  EXPECT_FALSE(session_->running());
  EXPECT_EQ(channel_.steps_of(kind::key), std::vector<std::string>{"menu:1"});
  EXPECT_EQ(channel_.steps_of(kind::left), std::vector<std::string>{"one:queue support"});
  EXPECT_TRUE(channel_.hangups.empty());
}

TEST_F(flow_session_test, a_target_that_does_not_answer_goes_on_to_the_failure_branch) {
  start(menu_flow);
  channel_.press('2');
  ASSERT_EQ(channel_.connects.size(), 1u);
  EXPECT_EQ(channel_.connects[0].what, connect_target::kind::extension);
  EXPECT_EQ(channel_.connects[0].name, "1002");
  channel_.answer_connect(false);
  EXPECT_EQ(channel_.texts().back(), "Nobody answered.");
  // `sorry` has no next: the top flow ends and the call with it.
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"flow ended"});
}

TEST_F(flow_session_test, a_wrong_key_then_silence_use_the_tries_and_take_the_last_failure) {
  start(menu_flow);
  channel_.press('7');
  EXPECT_EQ(channel_.texts(),
            (std::vector<std::string>{"Press 1 or 2.", "Wrong key.", "Press 1 or 2."}));
  channel_.fire_timer();
  EXPECT_EQ(channel_.steps_of(kind::invalid), std::vector<std::string>{"menu:7"});
  EXPECT_EQ(channel_.steps_of(kind::no_input), std::vector<std::string>{"menu"});
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"no_input"});
}

TEST_F(flow_session_test, the_repeat_key_plays_the_menu_again_without_using_a_try) {
  start(menu_flow);
  channel_.press('*');
  channel_.press('*');
  channel_.press('9');
  EXPECT_TRUE(session_->running());  // one wrong key of two tries
  EXPECT_EQ(channel_.texts().size(), 5u);
  channel_.press('9');
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"invalid"});
}

TEST_F(flow_session_test, a_key_during_the_prompt_stops_it_and_is_the_choice) {
  channel_.auto_play_out = false;
  start(menu_flow);
  ASSERT_TRUE(channel_.playing);
  channel_.press('1');
  // The key was the answer: no other prompt, and no wait for a key after this one.
  EXPECT_EQ(channel_.played.size(), 1u);
  EXPECT_EQ(channel_.timer_token, 0u);
  ASSERT_EQ(channel_.connects.size(), 1u);
  EXPECT_EQ(channel_.connects[0].name, "support");
}

TEST_F(flow_session_test, keys_typed_ahead_skip_the_next_prompt) {
  channel_.auto_play_out = false;
  start(R"yaml(flows:
  main:
    start: intro
    nodes:
      intro: {play: "Welcome.", next: menu}
      menu:
        menu: "Press 1."
        options: {"1": done}
      done: {hangup: chosen}
)yaml");
  channel_.press('1');                    // during the welcome
  EXPECT_EQ(channel_.played.size(), 1u);  // the menu's prompt was never played
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"chosen"});
}

TEST_F(flow_session_test, keys_during_a_prompt_that_cannot_be_interrupted_are_ignored) {
  channel_.auto_play_out = false;
  start(R"yaml(flows:
  main:
    start: notice
    nodes:
      notice: {play: "Listen to this.", interruptible: false, next: menu}
      menu: {menu: "Press 1.", options: {"1": done}, no_input: silent, retries: 1}
      done: {hangup: chosen}
      silent: {hangup: silent}
)yaml");
  channel_.press('1');
  EXPECT_TRUE(channel_.playing);
  channel_.finish_playing();
  channel_.run();
  channel_.finish_playing();
  channel_.run();
  channel_.fire_timer();
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"silent"});
}

constexpr auto account_flow = R"yaml(flows:
  main:
    start: account
    nodes:
      account:
        collect: "Enter your account number, then hash."
        into: account
        min_digits: 4
        max_digits: 8
        valid_if: "starts_with(account, '6')"
        invalid_prompt: "That number is not valid."
        invalid: bad
        no_input: bad
        next: read_back
      read_back:
        play: ["Account", {digits: account}, {number: "len(account)"}, {duration: "120"}]
        next: done
      done: {hangup: }
      bad: {hangup: bad}
)yaml";

TEST_F(flow_session_test, digits_are_collected_after_a_wrong_number_and_read_back) {
  start(account_flow);
  channel_.press_keys("5123#");  // does not start with 6
  EXPECT_EQ(channel_.steps_of(kind::invalid), std::vector<std::string>{"account:4 digits"});
  EXPECT_TRUE(session_->variable("account").is_null());
  channel_.press_keys("61234567#");
  EXPECT_EQ(session_->variable("account"), value("61234567"));
  const auto texts = channel_.texts();
  ASSERT_GE(texts.size(), 4u);
  EXPECT_EQ(texts[texts.size() - 4], "Account");
  EXPECT_EQ(texts[texts.size() - 3], "six one two three four five six seven");
  EXPECT_EQ(texts[texts.size() - 2], "8");
  EXPECT_EQ(texts.back(), "2 minutes");
  EXPECT_EQ(channel_.steps_of(kind::key), std::vector<std::string>{"account:8 digits"});
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"normal"});
}

TEST_F(flow_session_test, input_ends_at_the_digit_timeout_and_too_few_digits_are_invalid) {
  start(account_flow);
  channel_.press_keys("61");
  EXPECT_EQ(channel_.timer_after, 3000ms);  // between keys
  channel_.fire_timer();
  EXPECT_EQ(channel_.steps_of(kind::invalid), std::vector<std::string>{"account:2 digits"});
  channel_.press_keys("6123456");
  channel_.fire_timer();
  EXPECT_EQ(session_->variable("account"), value("6123456"));
}

TEST_F(flow_session_test, more_digits_than_allowed_are_a_wrong_answer) {
  start(account_flow);
  channel_.press_keys("612345678#");
  EXPECT_EQ(channel_.steps_of(kind::invalid), std::vector<std::string>{"account:9 digits"});
  EXPECT_TRUE(session_->variable("account").is_null());
}

TEST_F(flow_session_test, without_a_terminator_the_input_ends_at_the_full_count) {
  start(R"yaml(flows:
  main:
    start: pin
    nodes:
      pin: {collect: "Your PIN.", into: pin, min_digits: 4, max_digits: 4, terminator: "", next: done}
      done: {hangup: ok}
)yaml");
  channel_.press_keys("1234");
  EXPECT_EQ(session_->variable("pin"), value("1234"));
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"ok"});
}

constexpr auto lookup_flow = R"yaml(queries:
  balance:
    sql: "SELECT holder, balance FROM accounts WHERE number = $1"
    timeout: 1500ms
flows:
  main:
    start: find
    nodes:
      find:
        lookup: balance
        with: ["'6' + did"]
        into: acct
        found: found
        not_found: missing
        error: broken
      found: {play: "${acct.holder} has ${acct.balance}."}
      missing: {hangup: missing}
      broken: {hangup: broken}
)yaml";

TEST_F(flow_session_test, a_lookup_that_finds_a_row_sets_its_columns_as_variables) {
  start(lookup_flow);
  ASSERT_EQ(channel_.lookups.size(), 1u);
  EXPECT_EQ(channel_.lookups[0].query, "balance");
  EXPECT_EQ(channel_.lookups[0].parameters, std::vector<value>{value("68000")});
  EXPECT_EQ(channel_.timer_after, 1500ms);  // the query's timeout bounds the wait
  channel_.answer_lookup(
      lookup_result{.what = lookup_result::kind::found,
                    .columns = {{"holder", value("Li Wei")}, {"balance", value("1250.75")}}});
  EXPECT_EQ(session_->variable("acct.holder"), value("Li Wei"));
  EXPECT_EQ(channel_.texts(), std::vector<std::string>{"Li Wei has 1250.75."});
  EXPECT_EQ(channel_.steps_of(kind::branch), std::vector<std::string>{"find:found"});
}

TEST_F(flow_session_test, a_lookup_without_a_row_goes_to_not_found) {
  start(lookup_flow);
  channel_.answer_lookup(lookup_result{.what = lookup_result::kind::not_found});
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"missing"});
}

TEST_F(flow_session_test, a_failed_or_late_lookup_goes_to_error_and_a_late_answer_is_dropped) {
  start(lookup_flow);
  channel_.answer_lookup(lookup_result{.what = lookup_result::kind::failed, .error = "boom"});
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"broken"});

  channel_.hangups.clear();
  start(lookup_flow);
  channel_.fire_timer();
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"broken"});
  EXPECT_EQ(channel_.steps_of(kind::failed).back(), "find:query balance timed out");
  channel_.answer_lookup(lookup_result{.what = lookup_result::kind::found});  // too late
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"broken"});
  EXPECT_TRUE(session_->variable("acct.holder").is_null());
}

TEST_F(flow_session_test, schedules_branch_on_the_calendar_at_the_clocks_time) {
  const std::string text = R"yaml(calendars:
  office:
    time_zone: Asia/Shanghai
    open: {mon-fri: "09:00-18:00"}
    holidays: ["2026-11-24"]
flows:
  main:
    start: hours
    nodes:
      hours: {schedule: office, open: opened, closed: closed, holiday: holiday}
      opened: {hangup: open}
      closed: {hangup: closed}
      holiday: {hangup: holiday}
)yaml";
  now_ = std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + 3h;  // 11:00 in Shanghai
  start(text);
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"open"});
  now_ += 10h;  // 21:00
  channel_.hangups.clear();
  start(text);
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"closed"});
  now_ += 5h;  // 02:00 on the 24th
  channel_.hangups.clear();
  start(text);
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"holiday"});
}

TEST_F(flow_session_test, variables_branches_and_switches_follow_the_expressions) {
  start(R"yaml(flows:
  main:
    start: count
    nodes:
      count: {set: {n: "len(caller_number) * 10", label: "'n=' + n"}, next: check}
      check:
        branch: [{if: "n > 100", go: big}, {if: "n == 40", go: pick}]
        otherwise: big
      pick: {switch: "did", cases: {"8000": main_line}, otherwise: big}
      main_line: {hangup: main_line}
      big: {hangup: big}
)yaml");
  EXPECT_EQ(session_->variable("label"), value("n=40"));
  EXPECT_EQ(channel_.steps_of(kind::branch),
            (std::vector<std::string>{"check:pick", "pick:main_line"}));
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"main_line"});
}

TEST_F(flow_session_test, a_failing_expression_is_recorded_and_the_flow_goes_on) {
  start(R"yaml(flows:
  main:
    start: count
    nodes:
      count: {set: {n: "10 / (len(did) - 4)"}, next: check}
      check:
        branch: [{if: "n == null", go: failed}]
        otherwise: fine
      failed: {hangup: failed}
      fine: {hangup: fine}
)yaml");
  ASSERT_EQ(channel_.steps_of(kind::failed).size(), 1u);
  EXPECT_NE(channel_.steps_of(kind::failed)[0].find("division by zero"), std::string::npos);
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"failed"});
}

TEST_F(flow_session_test, a_called_flow_returns_and_a_transfer_to_a_flow_does_not) {
  start(R"yaml(flows:
  main:
    start: greet
    nodes:
      greet: {call: greeting, next: away}
      away: {transfer: {flow: other}}
  greeting:
    start: hi
    nodes:
      hi: {play: "Hi.", next: back}
      back: {return: }
  other:
    start: bye
    nodes:
      bye: {play: "Other."}
)yaml");
  EXPECT_EQ(channel_.texts(), (std::vector<std::string>{"Hi.", "Other."}));
  EXPECT_EQ(channel_.steps_of(kind::left), std::vector<std::string>{"away:flow other"});
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"flow ended"});
}

TEST_F(flow_session_test, calls_nested_too_deep_are_skipped_not_followed_forever) {
  start(R"yaml(flows:
  main:
    start: again
    nodes:
      again: {call: main, next: out}
      out: {hangup: out}
)yaml");
  EXPECT_EQ(channel_.steps_of(kind::failed).size(), 1u);
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"out"});
}

TEST_F(flow_session_test, plays_with_nothing_to_play_in_a_loop_end_the_call_not_the_thread) {
  // The check accepts the loop (a play waits); at run time every piece fails, so nothing does.
  start(R"yaml(flows:
  main:
    start: a
    nodes:
      a: {play: "${1 / (len(did) - 4)}", next: b}
      b: {set: {n: "n + 1"}, next: a}
)yaml");
  EXPECT_FALSE(session_->running());
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"flow runaway"});
  EXPECT_EQ(channel_.steps_of(kind::failed).back(), "a:nodes ran without waiting for anything");
  EXPECT_TRUE(channel_.said.empty());
}

TEST_F(flow_session_test, a_long_flow_that_waits_now_and_then_is_not_a_runaway) {
  // 600 passes of a set, a branch and a play: 1,800 nodes, each play waiting for its prompt.
  start(R"yaml(flows:
  main:
    start: init
    nodes:
      init: {set: {n: "0"}, next: a}
      a: {set: {n: "n + 1"}, next: b}
      b:
        branch: [{if: "n == 600", go: done}]
        otherwise: c
      c: {play: "Pass ${n}.", next: a}
      done: {hangup: done}
)yaml");
  EXPECT_EQ(channel_.hangups, std::vector<std::string>{"done"});
}

TEST_F(flow_session_test, a_caller_who_hangs_up_is_recorded_where_they_gave_up) {
  start(menu_flow);
  session_->on_caller_gone();
  channel_.run();
  EXPECT_EQ(channel_.steps_of(kind::caller_gone), std::vector<std::string>{"menu"});
  EXPECT_FALSE(session_->running());
  const auto steps = channel_.steps.size();
  channel_.fire_timer();  // late: reaches nobody
  EXPECT_EQ(channel_.steps.size(), steps);
  EXPECT_TRUE(channel_.hangups.empty());
}

TEST_F(flow_session_test, dropping_the_session_stops_the_flow_without_touching_the_call) {
  channel_.auto_render = false;
  start(menu_flow);
  ASSERT_EQ(channel_.said.size(), 1u);
  session_.reset();
  channel_.run();
  EXPECT_TRUE(channel_.played.empty());
  EXPECT_TRUE(channel_.hangups.empty());
}

}  // namespace
}  // namespace callcenterd::ivr
