// A call's detail record as its timeline builds it: segments in order with wall times from
// the steady clock, the ring that goes on across a redirect, the flow taken back after a
// failed transfer, what is open at the end, and the disposition each way a call can end.
#include "call_timeline.hpp"

#include <gtest/gtest.h>

namespace callcenterd::call::detail {
namespace {

using namespace std::chrono_literals;
using kind = call_segment::kind;

class call_timeline_test : public ::testing::Test {
 protected:
  const wall_clock::time_point wall0_ = wall_clock::time_point{} + 1'000'000s;
  const call_timeline::steady_clock::time_point steady0_ =
      call_timeline::steady_clock::time_point{} + 1h;
  call_timeline timeline_{wall0_, steady0_};

  call_timeline::steady_clock::time_point at(std::chrono::milliseconds offset) const {
    return steady0_ + offset;
  }
};

TEST_F(call_timeline_test, a_queued_call_has_its_wait_ring_talk_and_hold_in_order) {
  timeline_.caller_answered(at(100ms));
  timeline_.begin(kind::ivr, "main", {}, at(100ms));
  timeline_.end(kind::ivr, "queued", at(5s));
  timeline_.begin(kind::queue, {}, "sales", at(5s));
  timeline_.begin(kind::ring, "a1", "sales", at(7s));
  timeline_.end(kind::ring, "answered", at(9s));
  timeline_.end(kind::queue, "answered", at(9s));
  timeline_.begin(kind::talk, "a1", "sales", at(9s));
  timeline_.begin(kind::hold, "a1", {}, at(20s));
  timeline_.end(kind::hold, "resumed", at(25s), "a1");
  timeline_.ended_by("caller");
  timeline_.ended_by("agent");  // the first one to end it counts
  const auto record = timeline_.finish(at(60s));

  EXPECT_EQ(record.disposition, call_disposition::connected);
  EXPECT_EQ(record.ended_by, "caller");
  EXPECT_EQ(record.queue, "sales");
  EXPECT_EQ(record.agent, "a1");
  EXPECT_EQ(record.answered, wall0_ + 100ms);
  EXPECT_EQ(record.connected, wall0_ + 9s);
  EXPECT_EQ(record.ended, wall0_ + 60s);
  ASSERT_EQ(record.segments.size(), 5u);
  const std::vector<kind> kinds{kind::ivr, kind::queue, kind::ring, kind::talk, kind::hold};
  for (std::size_t i = 0; i < kinds.size(); ++i) EXPECT_EQ(record.segments[i].what, kinds[i]);
  EXPECT_EQ(record.segments[0].party, "main");
  EXPECT_EQ(record.segments[0].result, "queued");
  EXPECT_EQ(record.segments[1].queue, "sales");
  EXPECT_EQ(record.segments[2].started, wall0_ + 7s);
  EXPECT_EQ(record.segments[2].ended, wall0_ + 9s);
  EXPECT_EQ(record.segments[3].result, "ended");  // still open when the call ended
  EXPECT_EQ(record.segments[3].ended, wall0_ + 60s);
  EXPECT_EQ(record.segments[4].result, "resumed");
}

TEST_F(call_timeline_test, a_ring_that_goes_on_is_one_segment_and_each_agent_has_their_own) {
  timeline_.begin(kind::ring, "a1", "q", at(1s));
  timeline_.begin(kind::ring, "a1", "q", at(2s));  // a redirect or an authenticated retry
  EXPECT_TRUE(timeline_.end(kind::ring, "no_answer", at(16s), "a1"));
  EXPECT_FALSE(timeline_.end(kind::ring, "no_answer", at(16s), "a1"));
  timeline_.begin(kind::ring, "a2", "q", at(16s));
  EXPECT_FALSE(timeline_.end(kind::ring, "withdrawn", at(17s), "a1"));  // a1's is over
  EXPECT_TRUE(timeline_.is_open(kind::ring, "a2"));
  const auto record = timeline_.finish(at(20s));
  ASSERT_EQ(record.segments.size(), 2u);
  EXPECT_EQ(record.segments[0].started, wall0_ + 1s);
  EXPECT_EQ(record.segments[1].party, "a2");
}

TEST_F(call_timeline_test, the_flow_taken_back_is_a_new_ivr_segment_of_the_same_flow) {
  EXPECT_FALSE(timeline_.resume(kind::ivr, at(0s)));  // never in a flow
  timeline_.begin(kind::ivr, "main", {}, at(0s));
  timeline_.end(kind::ivr, "connected", at(3s));
  EXPECT_TRUE(timeline_.resume(kind::ivr, at(10s)));
  EXPECT_TRUE(timeline_.resume(kind::ivr, at(11s)));  // open already: nothing new
  const auto record = timeline_.finish(at(12s));
  ASSERT_EQ(record.segments.size(), 2u);
  EXPECT_EQ(record.segments[1].party, "main");
  EXPECT_EQ(record.segments[1].started, wall0_ + 10s);
}

TEST_F(call_timeline_test, each_way_to_end_has_its_disposition) {
  {
    call_timeline refused{wall0_, steady0_};
    refused.refused(486);
    const auto record = refused.finish(at(1s));
    EXPECT_EQ(record.disposition, call_disposition::refused);
    EXPECT_EQ(record.status, 486);
    EXPECT_EQ(record.ended_by, "system");
  }
  {
    call_timeline gave_up{wall0_, steady0_};
    gave_up.caller_answered(at(0s));
    gave_up.begin(kind::queue, {}, "q", at(0s));
    gave_up.ended_by("caller");
    EXPECT_EQ(gave_up.finish(at(30s)).disposition, call_disposition::abandoned);
  }
  {
    call_timeline served_by_the_flow{wall0_, steady0_};
    served_by_the_flow.caller_answered(at(0s));
    served_by_the_flow.ended_by("system");
    EXPECT_EQ(served_by_the_flow.finish(at(30s)).disposition, call_disposition::self_service);
  }
  {
    // Whoever hangs up after the confirmation, the caller took the callback.
    call_timeline called_back_later{wall0_, steady0_};
    called_back_later.caller_answered(at(0s));
    called_back_later.begin(kind::queue, {}, "q", at(0s));
    called_back_later.end(kind::queue, "callback", at(40s));
    called_back_later.took_callback();
    called_back_later.ended_by("caller");
    const auto record = called_back_later.finish(at(45s));
    EXPECT_EQ(record.disposition, call_disposition::callback);
    EXPECT_EQ(record.segments.at(0).result, "callback");
  }
}

TEST_F(call_timeline_test, the_live_view_follows_the_most_telling_open_segment) {
  std::vector<std::string> seen;
  timeline_.watch([&](const call_timeline& t) { seen.push_back(t.live_view().state); });
  timeline_.header().call = "c1";
  EXPECT_EQ(timeline_.live_view().state, "setup");
  timeline_.begin(kind::ivr, "main", {}, at(0ms));
  timeline_.end(kind::ivr, "queued", at(2s));
  timeline_.begin(kind::queue, {}, "sales", at(2s));
  timeline_.begin(kind::ring, "1001", "sales", at(4s));
  auto view = timeline_.live_view();
  EXPECT_EQ((std::pair{view.state, view.agent}),
            (std::pair<std::string, std::string>{"ringing", "1001"}));
  EXPECT_EQ(view.queue, "sales");
  EXPECT_EQ(view.state_since, wall0_ + 4s);
  timeline_.end(kind::ring, "answered", at(6s), "1001");
  timeline_.end(kind::queue, "answered", at(6s));
  timeline_.begin(kind::talk, "1001", "sales", at(6s));
  timeline_.begin(kind::hold, "caller", {}, at(8s));
  view = timeline_.live_view();
  EXPECT_EQ((std::pair{view.state, view.agent}),
            (std::pair<std::string, std::string>{"held", "1001"}));
  EXPECT_EQ(view.connected, wall0_ + 6s);
  timeline_.end(kind::hold, "resumed", at(9s));
  EXPECT_EQ(timeline_.live_view().state, "talking");
  // Every change is seen, the moments between two segments too.
  EXPECT_EQ(seen, (std::vector<std::string>{"ivr", "setup", "queued", "ringing", "queued", "setup",
                                            "talking", "held", "talking"}));
  // Finishing is the end of the call, not a change to show.
  timeline_.finish(at(10s));
  EXPECT_EQ(seen.size(), 9u);
}

TEST_F(call_timeline_test, a_time_before_the_start_reads_as_the_start) {
  timeline_.begin(kind::ivr, "main", {}, steady0_ - 5s);
  EXPECT_EQ(timeline_.finish(at(1s)).segments[0].started, wall0_);
}

}  // namespace
}  // namespace callcenterd::call::detail
