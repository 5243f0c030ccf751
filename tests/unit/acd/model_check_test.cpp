// A model the engine cannot route with is refused, each problem named.
#include <gtest/gtest.h>

#include "callcenterd/acd/engine.hpp"
#include "engine_fixture.hpp"

namespace callcenterd::acd::testing {
namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

TEST(model_check_test, a_sound_model_has_no_problems) {
  acd_model model;
  model.agents = {agent("1001", {{"support", 5}})};
  model.queues = {queue("support", {{"support", 3}})};
  EXPECT_TRUE(check_model(model).empty());
}

TEST(model_check_test, every_problem_is_named) {
  acd_model model;
  model.agents = {agent("1001", {{"support", 11}}), agent("1001", {{"a", 1}, {"a", 2}})};
  model.agents[1].extension = "";
  model.queues = {queue("support", {{"support", 0}}, "fastest"), queue("support", {})};
  model.queues[0].overflow = {
      {.after = std::chrono::seconds(5)},
      {.after = std::chrono::seconds(9),
       .move_to = exit_target{.what = exit_target::kind::queue, .name = "nowhere"}}};
  model.queues[0].when_full = {.what = exit_target::kind::flow};
  model.queues[0].service_level_target = 80;
  const auto problems = check_model(model);
  ASSERT_FALSE(problems.empty());
  EXPECT_TRUE(mentions(problems, "agent 1001: skill support has level 11")) << problems[0];
  EXPECT_TRUE(mentions(problems, "agent 1001 is defined twice"));
  EXPECT_TRUE(mentions(problems, "skill a is named twice"));
  EXPECT_TRUE(mentions(problems, "no extension to ring"));
  EXPECT_TRUE(mentions(problems, "queue support is defined twice"));
  EXPECT_TRUE(mentions(problems, "unknown strategy fastest (known: longest_idle, most_skilled"));
  EXPECT_TRUE(mentions(problems, "queue support: skill support has level 0"));
  EXPECT_TRUE(mentions(problems, "overflow rule 1: a rule either widens"));
  EXPECT_TRUE(mentions(problems, "overflow rule 2: no queue named nowhere"));
  EXPECT_TRUE(mentions(problems, "when_full: the destination names no"));
  EXPECT_TRUE(mentions(problems, "service_level_target is a fraction"));
}

TEST(model_check_test, the_engine_refuses_a_bad_model) {
  recording_listener listener;
  acd_model model;
  model.queues = {queue("q", {}, "fastest")};
  EXPECT_THROW(engine(listener, model), std::invalid_argument);
}

}  // namespace
}  // namespace callcenterd::acd::testing
