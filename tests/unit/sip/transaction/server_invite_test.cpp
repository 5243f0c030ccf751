#include <gtest/gtest.h>

#include "callcenterd/sip/header_values.hpp"
#include "harness.hpp"

namespace callcenterd::sip::test {
namespace {

using ms = milliseconds;

// The ACK a UAC sends for a 2xx: a new transaction with its own branch.
sip_message ack_for_2xx(std::string to_tag) {
  request_spec spec;
  spec.method = "ACK";
  spec.branch = "z9hG4bK.peer.ack";
  spec.to_tag = std::move(to_tag);
  return make_request(spec);
}

// The ACK for a non-2xx: same branch as the INVITE.
sip_message ack_for_failure(std::string to_tag) {
  request_spec spec;
  spec.method = "ACK";
  spec.to_tag = std::move(to_tag);
  return make_request(spec);
}

transaction_id invite_arrives(harness& h, const flow& source = udp_peer()) {
  h.deliver(make_request({}), source);
  auto requests = h.user.of(event_kind::request);
  return requests.empty() ? 0 : requests.back().id;
}

TEST(server_invite, trying_goes_out_at_once_and_the_tu_gets_the_request) {
  harness h;
  auto invite = make_request({});
  h.deliver(invite, udp_peer());
  auto trying = h.sent_responses(100);
  ASSERT_EQ(trying.size(), 1U);
  EXPECT_EQ(trying[0].at, ms(0));
  EXPECT_EQ(trying[0].destination, udp_peer());
  const auto& m = trying[0].message;
  EXPECT_EQ(m.header_values("Via"), invite.header_values("Via"));
  EXPECT_EQ(m.header("From"), invite.header("From"));
  EXPECT_EQ(m.header("To"), invite.header("To"));  // no tag added
  EXPECT_EQ(m.header("Call-ID"), invite.header("Call-ID"));
  EXPECT_EQ(m.header("CSeq"), invite.header("CSeq"));
  auto requests = h.user.of(event_kind::request);
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_NE(requests[0].id, 0U);
  EXPECT_EQ(*requests[0].message, invite);
  EXPECT_EQ(h.layer.stats().active.server_invite, 1U);
}

TEST(server_invite, retransmitted_invite_repeats_the_last_provisional) {
  harness h;
  const auto id = invite_arrives(h);
  h.deliver(make_request({}), udp_peer());
  EXPECT_EQ(h.sent_responses(100).size(), 2U);
  h.layer.respond(id, make_reply(make_request({}), 180, "uas"), h.now);
  h.deliver(make_request({}), udp_peer());
  EXPECT_EQ(h.sent_responses(180).size(), 2U);
  EXPECT_EQ(h.user.count(event_kind::request), 1U);
  EXPECT_EQ(h.layer.stats().retransmissions_absorbed, 2U);
}

TEST(server_invite, timer_g_retransmits_the_failure_until_timer_h) {
  harness h;
  const auto id = invite_arrives(h);
  h.advance(ms(1000));
  h.layer.respond(id, make_reply(make_request({}), 486, "uas"), h.now);
  h.advance(ms(31999));
  EXPECT_EQ(h.times_of(h.sent_responses(486)),
            (std::vector<ms>{ms(1000), ms(1500), ms(2500), ms(4500), ms(8500), ms(12500), ms(16500),
                             ms(20500), ms(24500), ms(28500), ms(32500)}));
  EXPECT_EQ(h.layer.size(), 1U);
  h.advance(ms(1));  // Timer H, 64*T1 after the final
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.layer.stats().server_timeouts, 1U);
  EXPECT_EQ(h.user.count(event_kind::timeout), 0U);
  h.advance(ms(60000));
  EXPECT_EQ(h.sent_responses(486).size(), 11U);
}

TEST(server_invite, ack_for_a_failure_confirms_and_timer_i_ends_it) {
  harness h;
  const auto id = invite_arrives(h);
  h.layer.respond(id, make_reply(make_request({}), 603, "uas"), h.now);
  h.advance(ms(600));  // one retransmission
  h.deliver(ack_for_failure("uas"), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::ack), 0U);  // absorbed: hop-by-hop ACK
  h.deliver(ack_for_failure("uas"), udp_peer());
  h.deliver(make_request({}), udp_peer());  // late INVITE copy: nothing to resend
  h.advance(ms(4999));
  EXPECT_EQ(h.sent_responses(603).size(), 2U);  // Timer G stopped
  EXPECT_EQ(h.layer.size(), 1U);
  h.advance(ms(1));  // Timer I = T4
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.user.count(event_kind::ack), 0U);
  EXPECT_EQ(h.layer.stats().server_timeouts, 0U);
}

TEST(server_invite, over_reliable_transport_the_ack_ends_it_at_once) {
  harness h;
  const auto id = invite_arrives(h, tcp_peer());
  h.layer.respond(id, make_reply(make_request({}), 480, "uas"), h.now);
  h.advance(ms(10000));
  EXPECT_EQ(h.sent_responses(480).size(), 1U);  // no Timer G
  EXPECT_EQ(h.sent_responses(480)[0].destination, tcp_peer());
  h.deliver(ack_for_failure("uas"), tcp_peer());
  EXPECT_EQ(h.layer.size(), 0U);
}

TEST(server_invite, accepted_retransmits_the_2xx_until_the_ack) {
  harness h;
  const auto id = invite_arrives(h);
  h.layer.respond(id, make_reply(make_request({}), 200, "uas"), h.now);
  h.advance(ms(1600));                      // 2xx resent at 500 and 1500
  h.deliver(make_request({}), udp_peer());  // retransmitted INVITE: absorbed
  EXPECT_EQ(h.user.count(event_kind::request), 1U);
  EXPECT_EQ(h.sent_responses(200).size(), 3U);

  h.deliver(ack_for_2xx("uas"), udp_peer());
  ASSERT_EQ(h.user.count(event_kind::ack), 1U);
  EXPECT_EQ(h.user.of(event_kind::ack)[0].message->header("CSeq"), "1 ACK");
  h.advance(ms(20000));
  EXPECT_EQ(h.times_of(h.sent_responses(200)), (std::vector<ms>{ms(0), ms(500), ms(1500)}));

  h.advance(ms(10399));
  EXPECT_EQ(h.layer.size(), 1U);
  h.advance(ms(1));  // Timer L
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.user.count(event_kind::ack_timeout), 0U);
  EXPECT_EQ(h.layer.stats().ack_timeouts, 0U);

  h.deliver(ack_for_2xx("uas"), udp_peer());  // after L: still reaches the dialog layer
  EXPECT_EQ(h.user.count(event_kind::ack), 2U);
  EXPECT_EQ(h.layer.stats().stray_acks, 1U);
}

TEST(server_invite, no_ack_for_the_2xx_reports_an_ack_timeout) {
  harness h;
  const auto id = invite_arrives(h);
  h.layer.respond(id, make_reply(make_request({}), 200, "uas"), h.now);
  h.advance(ms(31999));
  EXPECT_EQ(h.times_of(h.sent_responses(200)),
            (std::vector<ms>{ms(0), ms(500), ms(1500), ms(3500), ms(7500), ms(11500), ms(15500),
                             ms(19500), ms(23500), ms(27500), ms(31500)}));
  h.advance(ms(1));
  ASSERT_EQ(h.user.count(event_kind::ack_timeout), 1U);
  EXPECT_EQ(h.user.of(event_kind::ack_timeout)[0].id, id);
  EXPECT_EQ(h.layer.stats().ack_timeouts, 1U);
  EXPECT_EQ(h.layer.size(), 0U);
}

TEST(server_invite, ack_with_another_to_tag_does_not_stop_the_2xx) {
  harness h;
  const auto id = invite_arrives(h);
  h.layer.respond(id, make_reply(make_request({}), 200, "uas"), h.now);
  h.deliver(ack_for_2xx("someone-else"), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::ack), 1U);  // handed up as a stray
  EXPECT_EQ(h.layer.stats().stray_acks, 1U);
  h.advance(ms(2000));
  EXPECT_EQ(h.sent_responses(200).size(), 3U);
}

TEST(server_invite, reliable_2xx_is_not_resent_unless_configured) {
  {
    harness h;
    const auto id = invite_arrives(h, tcp_peer());
    h.layer.respond(id, make_reply(make_request({}), 200, "uas"), h.now);
    h.advance(ms(31999));
    EXPECT_EQ(h.sent_responses(200).size(), 1U);
    h.advance(ms(1));
    EXPECT_EQ(h.user.count(event_kind::ack_timeout), 1U);  // Timer L still applies
  }
  {
    transaction_settings settings;
    settings.retransmit_2xx_on_reliable = true;
    harness h(settings);
    const auto id = invite_arrives(h, tcp_peer());
    h.layer.respond(id, make_reply(make_request({}), 200, "uas"), h.now);
    h.advance(ms(2000));
    EXPECT_EQ(h.sent_responses(200).size(), 3U);
  }
}

TEST(server_invite, responses_after_the_final_are_ignored) {
  harness h;
  const auto id = invite_arrives(h);
  h.layer.respond(id, make_reply(make_request({}), 200, "uas"), h.now);
  h.layer.respond(id, make_reply(make_request({}), 500, "uas"), h.now);
  h.layer.respond(id + 1000, make_reply(make_request({}), 500, "uas"), h.now);
  EXPECT_EQ(h.sent_responses(500).size(), 0U);
  EXPECT_EQ(h.sent_responses(200).size(), 1U);
}

TEST(server_invite, the_tu_may_answer_from_inside_on_request) {
  harness h;
  h.user.request_hook = [&](transaction_id id, const received_message& request) {
    h.layer.respond(id, make_reply(request.message, 486, "uas"), h.now);
  };
  const auto id = invite_arrives(h, tcp_peer());
  EXPECT_EQ(h.sent_responses(486).size(), 1U);
  h.deliver(ack_for_failure("uas"), tcp_peer());
  EXPECT_EQ(h.layer.size(), 0U);
  ASSERT_EQ(h.user.count(event_kind::terminated), 1U);
  EXPECT_EQ(h.user.of(event_kind::terminated)[0].id, id);
}

}  // namespace
}  // namespace callcenterd::sip::test
