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

sip_message registration(int n) {
  request_spec spec;
  spec.method = "REGISTER";
  spec.branch = "z9hG4bK.reg." + std::to_string(n);
  spec.call_id = "reg-" + std::to_string(n);
  return make_request(spec);
}

TEST(server_non_invite, a_udp_answer_is_held_without_its_transaction) {
  harness h;
  h.deliver(registration(1), udp_peer());
  const auto id = h.user.of(event_kind::request).at(0).id;
  h.layer.respond(id, make_reply(registration(1), 200), h.now);
  // The transaction is over for the TU; only its answer stays, for Timer J.
  EXPECT_EQ(h.user.count(event_kind::terminated), 1U);
  EXPECT_EQ(h.layer.stats().active.server_non_invite, 0U);
  EXPECT_EQ(h.layer.stats().answered_held, 1U);

  h.advance(ms(20000));
  h.deliver(registration(1), udp_peer());
  const auto repeated = h.sent_responses(200);
  ASSERT_EQ(repeated.size(), 2U);
  EXPECT_EQ(repeated[1].destination, udp_peer());
  EXPECT_EQ(to_string(repeated[1].message), to_string(repeated[0].message));
  EXPECT_EQ(h.user.count(event_kind::request), 1U);
  EXPECT_EQ(h.layer.next_deadline(), h.now + ms(12000));
}

TEST(server_non_invite, a_full_answer_store_drops_the_oldest_answer_first) {
  transaction_settings settings;
  settings.max_answered = 2;
  harness h(settings);
  for (int n = 1; n <= 3; ++n) {
    h.deliver(registration(n), udp_peer());
    h.layer.respond(h.user.of(event_kind::request).back().id, make_reply(registration(n), 200),
                    h.now);
  }
  EXPECT_EQ(h.layer.stats().answered_held, 2U);
  EXPECT_EQ(h.layer.stats().answered_evicted, 1U);
  h.deliver(registration(3), udp_peer());  // still held: answered again
  EXPECT_EQ(h.user.count(event_kind::request), 3U);
  h.deliver(registration(1), udp_peer());  // dropped early: a new request for the TU
  EXPECT_EQ(h.user.count(event_kind::request), 4U);
  EXPECT_EQ(h.layer.stats().overload_rejected, 0U);
}

TEST(server_non_invite, a_merged_request_after_the_answer_still_gets_482) {
  harness h;
  h.deliver(registration(1), udp_peer());
  h.layer.respond(h.user.of(event_kind::request).at(0).id, make_reply(registration(1), 200), h.now);
  request_spec forked;  // same From tag, Call-ID and CSeq as registration 1, another branch
  forked.method = "REGISTER";
  forked.branch = "z9hG4bK.proxy.9";
  forked.call_id = "reg-1";
  h.deliver(make_request(forked), udp_peer());
  EXPECT_EQ(h.sent_responses(482).size(), 1U);
  EXPECT_EQ(h.user.count(event_kind::request), 1U);
  h.advance(ms(32000));  // Timer J: the answer and its merge key are gone
  h.deliver(make_request(forked), udp_peer());
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
