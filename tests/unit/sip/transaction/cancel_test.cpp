#include <gtest/gtest.h>

#include "callcenterd/sip/header_values.hpp"
#include "harness.hpp"

namespace callcenterd::sip::test {
namespace {

using ms = milliseconds;

sip_message incoming_cancel(std::string branch = "z9hG4bK.peer.1") {
  request_spec spec;
  spec.method = "CANCEL";
  spec.branch = std::move(branch);
  return make_request(spec);
}

// Server side: CANCEL is answered by the layer itself.

TEST(server_cancel, cancel_of_a_proceeding_invite_gets_200_and_reaches_the_tu) {
  harness h;
  h.deliver(make_request({}), udp_peer());
  const auto invite = h.user.of(event_kind::request).at(0).id;
  h.layer.respond(invite, make_reply(make_request({}), 180, "uas-tag"), h.now);

  h.deliver(incoming_cancel(), udp_peer());
  auto ok = h.sent_responses(200);
  ASSERT_EQ(ok.size(), 1U);
  EXPECT_EQ(ok[0].message.header("CSeq"), "1 CANCEL");
  EXPECT_EQ(tag_of_to(ok[0].message), "uas-tag");  // same tag as the INVITE's responses
  ASSERT_EQ(h.user.count(event_kind::cancel), 1U);
  EXPECT_EQ(h.user.of(event_kind::cancel)[0].id, invite);
  EXPECT_EQ(h.user.count(event_kind::request), 1U);  // CANCEL is not a TU request

  h.deliver(incoming_cancel(), udp_peer());  // retransmission: 200 again, TU not bothered
  EXPECT_EQ(h.sent_responses(200).size(), 2U);
  EXPECT_EQ(h.user.count(event_kind::cancel), 1U);

  h.layer.respond(invite, make_reply(make_request({}), 487, "uas-tag"), h.now);
  EXPECT_EQ(h.sent_responses(487).size(), 1U);
  h.advance(ms(40000));
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.layer.stats().unmatched_cancels, 0U);
}

TEST(server_cancel, unknown_or_answered_invite_gets_481) {
  harness h;
  h.deliver(incoming_cancel("z9hG4bK.nothing"), udp_peer());
  auto missing = h.sent_responses(481);
  ASSERT_EQ(missing.size(), 1U);
  EXPECT_TRUE(tag_of_to(missing[0].message));  // every final carries a To tag
  EXPECT_EQ(h.user.count(event_kind::cancel), 0U);

  h.deliver(make_request({}), udp_peer());
  const auto invite = h.user.of(event_kind::request).at(0).id;
  h.layer.respond(invite, make_reply(make_request({}), 200, "uas"), h.now);
  h.deliver(incoming_cancel(), udp_peer());
  EXPECT_EQ(h.sent_responses(481).size(), 2U);
  EXPECT_EQ(h.user.count(event_kind::cancel), 0U);
  EXPECT_EQ(h.layer.stats().unmatched_cancels, 2U);
}

// Client side: the CANCEL we build.

TEST(client_cancel, held_until_a_provisional_then_sent_with_the_invites_headers) {
  harness h;
  request_spec spec;
  spec.cseq = 42;
  const auto invite = h.send(spec, udp_peer());
  const auto cancel = h.layer.cancel(invite, h.now);
  ASSERT_NE(cancel, 0U);
  EXPECT_NE(cancel, invite);
  EXPECT_EQ(h.layer.cancel(invite, h.now), cancel);  // asking twice gives the same one
  h.advance(ms(700));
  EXPECT_EQ(h.sent_requests("CANCEL").size(), 0U);  // §9.1: not before a provisional

  h.deliver(make_reply(h.last_request, 180, "uas"), udp_peer());
  auto sent = h.sent_requests("CANCEL");
  ASSERT_EQ(sent.size(), 1U);
  const auto& m = sent[0].message;
  EXPECT_EQ(sent[0].destination, udp_peer());
  EXPECT_EQ(m.request_uri(), h.last_request.request_uri());
  EXPECT_EQ(m.header_values("Via"), h.last_request.header_values("Via"));
  EXPECT_EQ(m.header("Call-ID"), h.last_request.header("Call-ID"));
  EXPECT_EQ(m.header("From"), h.last_request.header("From"));
  EXPECT_EQ(m.header("To"), h.last_request.header("To"));
  EXPECT_EQ(m.header("CSeq"), "42 CANCEL");
  EXPECT_EQ(m.header_values("Route"), h.last_request.header_values("Route"));

  // The CANCEL's 200 and the INVITE's 487 each go to their own transaction.
  h.deliver(make_reply(m, 200, "uas"), udp_peer());
  h.deliver(make_reply(h.last_request, 487, "uas"), udp_peer());
  auto responses = h.user.of(event_kind::response);
  ASSERT_EQ(responses.size(), 3U);
  EXPECT_EQ(responses[1].id, cancel);
  EXPECT_EQ(responses[2].id, invite);
  EXPECT_EQ(h.sent_requests("ACK").size(), 1U);
  h.advance(ms(40000));
  EXPECT_EQ(h.layer.size(), 0U);
}

TEST(client_cancel, cancel_after_a_provisional_goes_out_at_once) {
  harness h;
  const auto invite = h.send({}, tcp_peer());
  h.deliver(make_reply(h.last_request, 183, "uas"), tcp_peer());
  const auto cancel = h.layer.cancel(invite, h.now);
  ASSERT_NE(cancel, 0U);
  EXPECT_EQ(h.sent_requests("CANCEL").size(), 1U);
  // No 487 ever comes: 64*T1 after the CANCEL the INVITE gives up (§9.1).
  h.deliver(make_reply(h.sent_requests("CANCEL")[0].message, 200, "uas"), tcp_peer());
  h.advance(ms(31999));
  EXPECT_EQ(h.user.count(event_kind::timeout), 0U);
  h.advance(ms(1));
  ASSERT_EQ(h.user.count(event_kind::timeout), 1U);
  EXPECT_EQ(h.user.of(event_kind::timeout)[0].id, invite);
  EXPECT_EQ(h.layer.size(), 0U);
}

TEST(client_cancel, a_final_response_first_drops_the_held_cancel) {
  harness h;
  const auto invite = h.send({}, udp_peer());
  const auto cancel = h.layer.cancel(invite, h.now);
  h.deliver(make_reply(h.last_request, 486, "uas"), udp_peer());
  EXPECT_EQ(h.sent_requests("CANCEL").size(), 0U);
  bool cancel_terminated = false;
  for (const auto& e : h.user.of(event_kind::terminated)) cancel_terminated |= e.id == cancel;
  EXPECT_TRUE(cancel_terminated);
  EXPECT_EQ(h.layer.cancel(invite, h.now), cancel);
  h.advance(ms(40000));
  EXPECT_EQ(h.layer.size(), 0U);
}

TEST(client_cancel, nothing_to_cancel_gives_zero) {
  harness h;
  EXPECT_EQ(h.layer.cancel(12345, h.now), 0U);
  const auto invite = h.send({}, udp_peer());
  h.deliver(make_reply(h.last_request, 200, "uas"), udp_peer());
  EXPECT_EQ(h.layer.cancel(invite, h.now), 0U);  // already final
  request_spec options;
  options.method = "OPTIONS";
  const auto other = h.send(options, udp_peer());
  EXPECT_EQ(h.layer.cancel(other, h.now), 0U);  // only INVITE is cancelled
  EXPECT_EQ(h.sent_requests("CANCEL").size(), 0U);
}

TEST(client_cancel, timer_b_with_a_held_cancel_reports_the_invite_only) {
  harness h;
  const auto invite = h.send({}, udp_peer());
  const auto cancel = h.layer.cancel(invite, h.now);
  h.advance(ms(32000));
  ASSERT_EQ(h.user.count(event_kind::timeout), 1U);
  EXPECT_EQ(h.user.of(event_kind::timeout)[0].id, invite);
  EXPECT_EQ(h.sent_requests("CANCEL").size(), 0U);
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_NE(cancel, 0U);
}

}  // namespace
}  // namespace callcenterd::sip::test
