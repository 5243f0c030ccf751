// The ACD's model as the loader reads it is one the engine takes: the loader repeats the
// strategies' names and the engine's checks (it does not link the ACD), and this is where a
// drift between the two would show.
#include <gtest/gtest.h>

#include "callcenterd/acd/engine.hpp"
#include "callcenterd/config/loader.hpp"

namespace callcenterd::app {
namespace {

class no_listener final : public acd::engine_listener {
  void on_offer(const std::string&, const acd::agent_settings&, const std::string&) override {}
  void on_offer_withdrawn(const std::string&, const std::string&, std::string_view) override {}
  void on_exit(const std::string&, acd::queue_outcome, const acd::exit_target&) override {}
  void on_callback_due(const std::string&, const acd::agent_settings&, const std::string&,
                       const acd::callback_party&) override {}
  void on_event(const acd::acd_event&) override {}
};

TEST(acd_model, every_strategy_the_loader_accepts_is_one_the_engine_knows) {
  // ring_all is the engine's, refused by the loader until calls ring devices in parallel.
  const char* names[] = {"longest_idle", "most_skilled",    "round_robin",
                         "fewest_calls", "least_talk_time", "random"};
  std::string yaml = "agents:\n  - {id: '1001', skills: {s: 5}}\nqueues:\n";
  for (const auto* name : names) {
    yaml += "  - {name: q_";
    yaml += name;
    yaml += ", skills: {s: 1}, strategy: ";
    yaml += name;
    yaml += "}\n";
  }
  const auto loaded = config::load_string(yaml, "test.yaml");
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(acd::check_model(loaded.settings().acd).empty());
  no_listener listener;
  EXPECT_NO_THROW(acd::engine(listener, loaded.settings().acd));
}

TEST(acd_model, the_shipped_configuration_builds_an_engine) {
  const auto loaded =
      config::load_file(std::string(CALLCENTERD_SOURCE_DIR) + "/config/callcenterd.yaml");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(acd::check_model(loaded.settings().acd), std::vector<std::string>{});
  EXPECT_FALSE(loaded.settings().acd.agents.empty());
}

}  // namespace
}  // namespace callcenterd::app
