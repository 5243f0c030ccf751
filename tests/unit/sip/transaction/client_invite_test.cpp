#include <gtest/gtest.h>

#include "harness.hpp"

namespace callcenterd::sip::test {
namespace {

using ms = milliseconds;

received_message as_received(sip_message m) { return {std::move(m), udp_peer(), {}}; }

TEST(client_invite, timer_a_doubles_without_cap_until_timer_b) {
  harness h;
  const auto id = h.send({}, udp_peer());
  ASSERT_NE(id, 0U);
  h.advance(ms(31999));
  EXPECT_EQ(h.times_of(h.sent_requests("INVITE")),
            (std::vector<ms>{ms(0), ms(500), ms(1500), ms(3500), ms(7500), ms(15500), ms(31500)}));
  EXPECT_EQ(h.user.count(event_kind::timeout), 0U);
  h.advance(ms(1));
  ASSERT_EQ(h.user.count(event_kind::timeout), 1U);
  EXPECT_EQ(h.user.of(event_kind::timeout)[0].id, id);
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.layer.stats().timeouts, 1U);
  EXPECT_EQ(h.layer.stats().retransmissions_sent, 6U);
  EXPECT_FALSE(h.layer.next_deadline());
  EXPECT_EQ(h.user.of(event_kind::terminated).at(0).id, id);
}

TEST(client_invite, reliable_transport_never_retransmits_but_times_out) {
  harness h;
  const auto id = h.send({}, tcp_peer());
  h.advance(ms(31999));
  EXPECT_EQ(h.sent_requests("INVITE").size(), 1U);
  EXPECT_EQ(h.sender.sent.at(0).destination, tcp_peer());
  h.advance(ms(1));
  ASSERT_EQ(h.user.count(event_kind::timeout), 1U);
  EXPECT_EQ(h.user.of(event_kind::timeout)[0].id, id);
  EXPECT_EQ(h.layer.size(), 0U);
}

TEST(client_invite, provisional_stops_timers_a_and_b) {
  harness h;
  const auto id = h.send({}, udp_peer());
  h.advance(ms(700));  // one retransmission at 500 ms
  h.deliver(make_reply(h.last_request, 180, "uas-1"), udp_peer());
  h.advance(ms(120000));  // a call may ring far longer than 64*T1
  EXPECT_EQ(h.sent_requests("INVITE").size(), 2U);
  EXPECT_EQ(h.user.count(event_kind::timeout), 0U);
  ASSERT_EQ(h.user.count(event_kind::response), 1U);
  EXPECT_EQ(h.user.of(event_kind::response)[0].id, id);
  EXPECT_EQ(h.layer.size(), 1U);
  // Further provisionals still reach the TU.
  h.deliver(make_reply(h.last_request, 183, "uas-1"), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::response), 2U);
}

TEST(client_invite, non_2xx_final_is_acked_with_the_right_headers) {
  harness h;
  request_spec spec;
  spec.cseq = 7;
  const auto id = h.send(spec, udp_peer());
  auto busy = make_reply(h.last_request, 486, "uas-9");
  h.deliver(busy, udp_peer());

  auto acks = h.sent_requests("ACK");
  ASSERT_EQ(acks.size(), 1U);
  const auto& ack = acks[0].message;
  EXPECT_EQ(acks[0].destination, udp_peer());
  EXPECT_EQ(ack.request_uri(), h.last_request.request_uri());
  EXPECT_EQ(ack.header_values("Via"), h.last_request.header_values("Via"));
  EXPECT_EQ(ack.header("Call-ID"), h.last_request.header("Call-ID"));
  EXPECT_EQ(ack.header("From"), h.last_request.header("From"));
  EXPECT_EQ(ack.header("To"), busy.header("To"));
  EXPECT_EQ(ack.header("CSeq"), "7 ACK");
  EXPECT_EQ(ack.header_values("Route"), h.last_request.header_values("Route"));
  EXPECT_FALSE(ack.header("Contact"));

  ASSERT_EQ(h.user.count(event_kind::response), 1U);
  EXPECT_EQ(h.user.of(event_kind::response)[0].id, id);
  EXPECT_EQ(h.user.of(event_kind::response)[0].message->status(), 486);

  // A retransmitted final is ACKed again and kept from the TU.
  h.advance(ms(1000));
  h.deliver(busy, udp_peer());
  EXPECT_EQ(h.sent_requests("ACK").size(), 2U);
  EXPECT_EQ(h.user.count(event_kind::response), 1U);
  EXPECT_EQ(h.layer.stats().retransmissions_absorbed, 1U);
  EXPECT_EQ(h.sent_requests("INVITE").size(), 1U);  // Timer A stopped on the final

  // Timer D (32 s) ends it.
  h.advance(ms(30999));
  EXPECT_EQ(h.layer.size(), 1U);
  h.advance(ms(1));
  EXPECT_EQ(h.layer.size(), 0U);
}

TEST(client_invite, non_2xx_final_over_reliable_ends_at_once) {
  harness h;
  h.send({}, tcp_peer());
  h.deliver(make_reply(h.last_request, 404, "uas-2"), tcp_peer());
  EXPECT_EQ(h.sent_requests("ACK").size(), 1U);
  EXPECT_EQ(h.sent_requests("ACK")[0].destination, tcp_peer());
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.user.count(event_kind::response), 1U);
}

TEST(client_invite, accepted_passes_every_2xx_until_timer_m) {
  harness h;
  const auto id = h.send({}, udp_peer());
  auto ok = make_reply(h.last_request, 200, "fork-a");
  h.deliver(ok, udp_peer());
  h.advance(ms(600));
  h.deliver(ok, udp_peer());                                         // retransmission
  h.deliver(make_reply(h.last_request, 200, "fork-b"), udp_peer());  // another fork
  h.deliver(make_reply(h.last_request, 180, "fork-c"), udp_peer());  // late noise
  auto responses = h.user.of(event_kind::response);
  ASSERT_EQ(responses.size(), 3U);
  for (const auto& r : responses) {
    EXPECT_EQ(r.id, id);
    EXPECT_EQ(r.message->status(), 200);
  }
  EXPECT_EQ(h.sent_requests("ACK").size(), 0U);  // the dialog layer ACKs a 2xx
  EXPECT_EQ(h.sent_requests("INVITE").size(), 1U);

  h.advance(ms(31399));
  EXPECT_EQ(h.layer.size(), 1U);
  h.advance(ms(1));  // Timer M, 64*T1 after the first 2xx
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.user.count(event_kind::timeout), 0U);

  h.deliver(ok, udp_peer());
  ASSERT_EQ(h.user.count(event_kind::stray_response), 1U);
  EXPECT_EQ(h.layer.stats().stray_responses, 1U);
}

TEST(client_invite, responses_match_by_branch_and_cseq_method) {
  harness h;
  h.send({}, udp_peer());
  auto wrong_method = make_reply(h.last_request, 200, "x");
  wrong_method.remove_headers("CSeq");
  wrong_method.add_header("CSeq", "1 BYE");
  h.deliver(wrong_method, udp_peer());
  EXPECT_EQ(h.user.count(event_kind::response), 0U);
  EXPECT_EQ(h.layer.stats().stray_responses, 1U);
  EXPECT_EQ(h.user.count(event_kind::stray_response), 0U);  // only 2xx to INVITE go up

  auto two_vias = make_reply(h.last_request, 200, "x");
  two_vias.add_header("Via", "SIP/2.0/UDP 203.0.113.5;branch=z9hG4bK.other");
  h.deliver(two_vias, udp_peer());  // §8.1.3.3: discarded
  EXPECT_EQ(h.user.count(event_kind::response), 0U);
  EXPECT_EQ(h.layer.stats().malformed_dropped, 1U);
}

TEST(client_invite, send_request_refuses_what_it_cannot_run) {
  transaction_settings settings;
  settings.branch_prefix = "z9hG4bK.s1.";
  harness h(settings);
  request_spec ack;
  ack.method = "ACK";
  EXPECT_EQ(h.send(ack, udp_peer()), 0U);

  auto foreign = make_request({});  // branch not from make_branch()
  EXPECT_EQ(h.layer.send_request(foreign, udp_peer(), h.now), 0U);

  request_spec mismatch;
  mismatch.cseq_method = "OPTIONS";
  EXPECT_EQ(h.send(mismatch, udp_peer()), 0U);

  const auto first = h.send({}, udp_peer());
  ASSERT_NE(first, 0U);
  EXPECT_EQ(h.layer.send_request(h.last_request, udp_peer(), h.now), 0U);  // branch reused

  EXPECT_EQ(h.layer.send_request(make_reply(h.last_request, 200), udp_peer(), h.now), 0U);
  EXPECT_EQ(h.layer.size(), 1U);
  EXPECT_EQ(h.sender.sent.size(), 1U);
}

TEST(client_invite, the_tu_may_call_back_from_on_response) {
  // A TU that cancels from inside the provisional callback must not disturb the layer.
  class cancelling_user final : public transaction_user {
   public:
    transaction_layer* layer = nullptr;
    transaction_id cancel = 0;
    void on_request(transaction_id, const received_message&) override {}
    void on_ack(const received_message&) override {}
    void on_cancel(transaction_id, const received_message&) override {}
    void on_response(transaction_id id, const received_message& r) override {
      if (r.message.status() == 180) cancel = layer->cancel(id, {});
    }
    void on_stray_response(const received_message&) override {}
    void on_timeout(transaction_id) override {}
    void on_ack_timeout(transaction_id) override {}
  } user;
  clock_time now{};
  fake_sender sender(now, now);
  transaction_layer layer({}, sender, user);
  user.layer = &layer;
  auto spec = request_spec{};
  spec.branch = layer.make_branch();
  auto invite = make_request(spec);
  ASSERT_NE(layer.send_request(invite, udp_peer(), now), 0U);
  layer.receive(as_received(make_reply(invite, 180, "t")), now);
  EXPECT_NE(user.cancel, 0U);
  ASSERT_EQ(sender.sent.size(), 2U);
  EXPECT_EQ(sender.sent[1].message.method(), "CANCEL");
}

}  // namespace
}  // namespace callcenterd::sip::test
