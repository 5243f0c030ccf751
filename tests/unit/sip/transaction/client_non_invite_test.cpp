#include <gtest/gtest.h>

#include "harness.hpp"

namespace callcenterd::sip::test {
namespace {

using ms = milliseconds;

request_spec options() {
  request_spec spec;
  spec.method = "OPTIONS";
  return spec;
}

TEST(client_non_invite, timer_e_doubles_to_t2_until_timer_f) {
  harness h;
  const auto id = h.send(options(), udp_peer());
  h.advance(ms(31999));
  EXPECT_EQ(h.times_of(h.sent_requests("OPTIONS")),
            (std::vector<ms>{ms(0), ms(500), ms(1500), ms(3500), ms(7500), ms(11500), ms(15500),
                             ms(19500), ms(23500), ms(27500), ms(31500)}));
  EXPECT_EQ(h.user.count(event_kind::timeout), 0U);
  h.advance(ms(1));
  ASSERT_EQ(h.user.count(event_kind::timeout), 1U);
  EXPECT_EQ(h.user.of(event_kind::timeout)[0].id, id);
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.layer.stats().timeouts, 1U);
}

TEST(client_non_invite, after_a_provisional_timer_e_runs_at_t2) {
  harness h;
  h.send(options(), udp_peer());
  h.advance(ms(600));  // retransmitted at 500; Timer E next due at 1500
  h.deliver(make_reply(h.last_request, 100), udp_peer());
  h.advance(ms(12000));
  EXPECT_EQ(h.times_of(h.sent_requests("OPTIONS")),
            (std::vector<ms>{ms(0), ms(500), ms(1500), ms(5500), ms(9500)}));
  EXPECT_EQ(h.user.count(event_kind::response), 1U);
  h.advance(ms(19400));  // Timer F still runs after a provisional
  EXPECT_EQ(h.user.count(event_kind::timeout), 1U);
}

TEST(client_non_invite, final_response_completes_and_timer_k_cleans_up) {
  harness h;
  const auto id = h.send(options(), udp_peer());
  auto ok = make_reply(h.last_request, 200, "x");
  h.advance(ms(200));
  h.deliver(ok, udp_peer());
  ASSERT_EQ(h.user.count(event_kind::response), 1U);
  EXPECT_EQ(h.user.of(event_kind::response)[0].id, id);

  h.deliver(ok, udp_peer());  // absorbed in Completed
  EXPECT_EQ(h.user.count(event_kind::response), 1U);
  EXPECT_EQ(h.layer.stats().retransmissions_absorbed, 1U);

  h.advance(ms(4999));
  EXPECT_EQ(h.layer.size(), 1U);
  h.advance(ms(1));  // Timer K = T4
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.sent_requests("OPTIONS").size(), 1U);
  EXPECT_EQ(h.user.count(event_kind::timeout), 0U);
  EXPECT_FALSE(h.layer.next_deadline());
}

TEST(client_non_invite, reliable_transport_sends_once_and_ends_on_final) {
  harness h;
  h.send(options(), tcp_peer());
  h.advance(ms(10000));
  EXPECT_EQ(h.sent_requests("OPTIONS").size(), 1U);
  h.deliver(make_reply(h.last_request, 404, "x"), tcp_peer());
  EXPECT_EQ(h.user.count(event_kind::response), 1U);
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_FALSE(h.layer.next_deadline());
}

TEST(client_non_invite, provisionals_all_reach_the_tu_before_the_final) {
  harness h;
  request_spec spec;
  spec.method = "MESSAGE";
  h.send(spec, udp_peer());
  h.deliver(make_reply(h.last_request, 100), udp_peer());
  h.deliver(make_reply(h.last_request, 180, "x"), udp_peer());
  h.deliver(make_reply(h.last_request, 202, "x"), udp_peer());
  h.deliver(make_reply(h.last_request, 180, "x"), udp_peer());  // too late
  auto responses = h.user.of(event_kind::response);
  ASSERT_EQ(responses.size(), 3U);
  EXPECT_EQ(responses[2].message->status(), 202);
}

TEST(client_non_invite, timers_follow_custom_settings) {
  transaction_settings settings;
  settings.t1 = ms(100);
  settings.t2 = ms(400);
  settings.t4 = ms(1000);
  harness h(settings);
  h.send(options(), udp_peer());
  h.advance(ms(6399));
  EXPECT_EQ(h.times_of(h.sent_requests("OPTIONS")).at(4), ms(1100));  // 100,300,700,1100
  EXPECT_EQ(h.user.count(event_kind::timeout), 0U);
  h.advance(ms(1));  // 64 * 100 ms
  EXPECT_EQ(h.user.count(event_kind::timeout), 1U);
}

}  // namespace
}  // namespace callcenterd::sip::test
