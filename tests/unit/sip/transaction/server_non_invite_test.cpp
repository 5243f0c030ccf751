#include <gtest/gtest.h>

#include "harness.hpp"

namespace callcenterd::sip::test {
namespace {

using ms = milliseconds;

sip_message bye() {
  request_spec spec;
  spec.method = "BYE";
  spec.to_tag = "uas";
  spec.cseq = 2;
  return make_request(spec);
}

TEST(server_non_invite, trying_absorbs_then_proceeding_and_completed_repeat) {
  harness h;
  h.deliver(bye(), udp_peer());
  ASSERT_EQ(h.user.count(event_kind::request), 1U);
  const auto id = h.user.of(event_kind::request)[0].id;
  EXPECT_TRUE(h.sender.sent.empty());  // no automatic 100 for non-INVITE

  h.deliver(bye(), udp_peer());  // Trying: nothing to repeat yet
  EXPECT_TRUE(h.sender.sent.empty());

  h.layer.respond(id, make_reply(bye(), 100), h.now);
  h.deliver(bye(), udp_peer());
  EXPECT_EQ(h.sent_responses(100).size(), 2U);

  h.layer.respond(id, make_reply(bye(), 200), h.now);
  h.deliver(bye(), udp_peer());
  EXPECT_EQ(h.sent_responses(200).size(), 2U);
  EXPECT_EQ(h.user.count(event_kind::request), 1U);
  EXPECT_EQ(h.layer.stats().retransmissions_absorbed, 3U);

  h.layer.respond(id, make_reply(bye(), 500), h.now);  // already final
  EXPECT_EQ(h.sent_responses(500).size(), 0U);

  h.advance(ms(31999));
  EXPECT_EQ(h.layer.size(), 1U);
  EXPECT_EQ(h.sent_responses(200).size(), 2U);  // responses are never resent by timer
  h.advance(ms(1));                             // Timer J
  EXPECT_EQ(h.layer.size(), 0U);

  h.deliver(bye(), udp_peer());  // after J it is a new request again
  EXPECT_EQ(h.user.count(event_kind::request), 2U);
}

TEST(server_non_invite, reliable_final_ends_at_once) {
  harness h;
  h.deliver(bye(), tcp_peer());
  const auto id = h.user.of(event_kind::request).at(0).id;
  h.layer.respond(id, make_reply(bye(), 200), h.now);
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.sent_responses(200).at(0).destination, tcp_peer());
  EXPECT_FALSE(h.layer.next_deadline());
}

TEST(server_non_invite, answering_inside_on_request_over_tcp_is_safe) {
  harness h;
  h.user.request_hook = [&](transaction_id id, const received_message& request) {
    h.layer.respond(id, make_reply(request.message, 200), h.now);
  };
  h.deliver(bye(), tcp_peer());
  EXPECT_EQ(h.sent_responses(200).size(), 1U);
  EXPECT_EQ(h.layer.size(), 0U);
  ASSERT_EQ(h.user.count(event_kind::terminated), 1U);
  // on_terminated comes after on_request returned.
  EXPECT_EQ(h.user.events.back().kind, event_kind::terminated);
}

TEST(server_non_invite, same_branch_from_another_sent_by_is_another_transaction) {
  harness h;
  h.deliver(bye(), udp_peer());
  request_spec spec;
  spec.method = "BYE";
  spec.to_tag = "uas";
  spec.cseq = 2;
  spec.sent_by = "203.0.113.9:5060";
  spec.from_tag = "other";
  h.deliver(make_request(spec), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::request), 2U);
  EXPECT_EQ(h.layer.size(), 2U);
}

}  // namespace
}  // namespace callcenterd::sip::test
