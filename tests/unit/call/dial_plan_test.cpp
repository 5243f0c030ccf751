#include "callcenterd/call/dial_plan.hpp"

#include <gtest/gtest.h>

namespace callcenterd::call {
namespace {

dial_plan demo_plan() {
  std::vector<number_route> numbers{
      {"8000", {.what = call_target::kind::flow, .name = "main"}},
      {"8002", {.what = call_target::kind::extension, .name = "1003"}},
  };
  std::vector<prefix_route> prefixes{{"0", "national"}, {"00", "international"}, {"+", "intl"}};
  return dial_plan(
      std::move(numbers), [](std::string_view extension) { return extension == "1001"; },
      std::move(prefixes));
}

TEST(dial_plan, configured_numbers_come_before_extensions) {
  const auto plan = demo_plan();
  EXPECT_EQ(plan.route("8000").what, call_target::kind::flow);
  EXPECT_EQ(plan.route("8000").name, "main");
  const auto to_extension = plan.route("8002");
  EXPECT_EQ(to_extension.what, call_target::kind::extension);
  EXPECT_EQ(to_extension.name, "1003");
}

TEST(dial_plan, existing_extensions_ring_and_anything_else_is_404) {
  const auto plan = demo_plan();
  EXPECT_EQ(plan.route("1001").what, call_target::kind::extension);
  EXPECT_EQ(plan.route("1001").name, "1001");
  for (const auto* dialled : {"1002", "", "80000", "0"}) {
    const auto target = plan.route(dialled);
    EXPECT_EQ(target.what, call_target::kind::reject) << dialled;
    EXPECT_EQ(target.status, 404) << dialled;
  }
}

TEST(dial_plan, the_longest_trunk_prefix_wins_and_calls_from_trunks_never_go_out) {
  const auto plan = demo_plan();
  const auto national = plan.route("0301234567");
  EXPECT_EQ(national.what, call_target::kind::trunk);
  EXPECT_EQ(national.name, "national");
  EXPECT_EQ(national.number, "0301234567");
  EXPECT_EQ(plan.route("0044123").name, "international");
  EXPECT_EQ(plan.route("+44123").name, "intl");
  EXPECT_EQ(plan.route("0301234567", true).what, call_target::kind::reject);
  EXPECT_EQ(plan.route("8000", true).what, call_target::kind::flow);
}

}  // namespace
}  // namespace callcenterd::call
