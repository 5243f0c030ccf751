// ACD events to the event log and back: what today's figures are restored from after a restart
// must read back as the engine emitted it, for every kind of event.
#include <gtest/gtest.h>

#include "acd_wiring.hpp"

namespace callcenterd::app {
namespace {

using acd::acd_event;
using std::chrono::milliseconds;

TEST(acd_event_record, every_kind_reads_back_with_what_counts) {
  for (int i = 0; i <= static_cast<int>(acd_event::kind::agent_repaired); ++i) {
    acd_event event{.what = static_cast<acd_event::kind>(i),
                    .at = std::chrono::steady_clock::now(),
                    .call = "c1",
                    .queue = "sales",
                    .agent = "1001"};
    event.state = acd::agent_state::ready;
    event.previous = acd::agent_state::wrap_up;
    event.outcome = acd::queue_outcome::timed_out;
    event.wait = milliseconds(1500);
    event.talk = milliseconds(60250);
    event.work = milliseconds(7000);
    const auto record = acd_event_record(event);
    const auto back = acd_event_of(record.kind, record.payload);
    ASSERT_TRUE(back) << record.kind;
    EXPECT_EQ(back->what, event.what) << record.kind;
    EXPECT_EQ(back->call, "c1") << record.kind;
    EXPECT_EQ(back->queue, "sales") << record.kind;
    EXPECT_EQ(back->agent, "1001") << record.kind;
    using kind = acd_event::kind;
    if (event.what == kind::call_left) {
      EXPECT_EQ(back->outcome, event.outcome);
    }
    if (event.what == kind::call_left || event.what == kind::call_connected) {
      EXPECT_EQ(back->wait, event.wait) << record.kind;
    }
    if (event.what == kind::call_completed) {
      EXPECT_EQ(back->talk, event.talk);
    }
    if (event.what == kind::agent_state_changed) {
      EXPECT_EQ(back->state, event.state);
      EXPECT_EQ(back->previous, event.previous);
      EXPECT_EQ(back->talk, event.talk);
      EXPECT_EQ(back->work, event.work);
    }
  }
}

TEST(acd_event_record, other_kinds_and_bad_payloads_read_as_nothing) {
  EXPECT_FALSE(acd_event_of("call.record", nlohmann::json::object()));
  EXPECT_FALSE(acd_event_of("queue.enqueued", nlohmann::json("not an object")));
  // Fields of the wrong type read as absent rather than throw.
  const auto odd = acd_event_of("queue.left", {{"wait_ms", "12"}, {"queue", 7}});
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->wait, milliseconds(0));
  EXPECT_EQ(odd->queue, "");
}

}  // namespace
}  // namespace callcenterd::app
