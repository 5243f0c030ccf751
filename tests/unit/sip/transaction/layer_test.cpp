// Matching, stateless answers and bookkeeping that span the four machines.

#include <gtest/gtest.h>

#include <set>

#include "harness.hpp"

namespace callcenterd::sip::test {
namespace {

using ms = milliseconds;

sip_message make_response_without_cseq() {
  auto response = make_reply(make_request({}), 200, "x");
  response.remove_headers("CSeq");
  return response;
}

TEST(transaction_layer, merged_request_gets_482) {
  harness h;
  h.deliver(make_request({}), udp_peer());
  request_spec forked;  // same From tag, Call-ID and CSeq, reached us by another path
  forked.branch = "z9hG4bK.proxy.2";
  forked.sent_by = "203.0.113.20:5060";
  h.deliver(make_request(forked), udp_peer());
  auto loops = h.sent_responses(482);
  ASSERT_EQ(loops.size(), 1U);
  EXPECT_TRUE(tag_of_to(loops[0].message));
  EXPECT_EQ(h.user.count(event_kind::request), 1U);
  EXPECT_EQ(h.layer.stats().merged_rejected, 1U);
  EXPECT_EQ(h.layer.size(), 1U);

  // With a To tag the request is in-dialog and never a merge candidate.
  forked.to_tag = "uas";
  h.deliver(make_request(forked), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::request), 2U);
}

TEST(transaction_layer, overload_answers_503_without_a_transaction) {
  transaction_settings settings;
  settings.max_transactions = 2;
  settings.overload_retry_after = std::chrono::seconds(7);
  harness h(settings);
  for (int i = 0; i < 3; ++i) {
    request_spec spec;
    spec.branch = "z9hG4bK.peer." + std::to_string(i);
    spec.call_id = "call-" + std::to_string(i);
    h.deliver(make_request(spec), udp_peer());
  }
  EXPECT_EQ(h.user.count(event_kind::request), 2U);
  auto busy = h.sent_responses(503);
  ASSERT_EQ(busy.size(), 1U);
  EXPECT_EQ(busy[0].message.header("Retry-After"), "7");
  EXPECT_EQ(busy[0].message.header("Call-ID"), "call-2");
  EXPECT_EQ(h.layer.size(), 2U);
  EXPECT_EQ(h.layer.stats().overload_rejected, 1U);
  EXPECT_EQ(h.layer.stats().created.server_invite, 2U);
}

TEST(transaction_layer, malformed_requests_get_400_naming_the_header) {
  harness h;
  auto no_call_id = make_request({});
  no_call_id.remove_headers("Call-ID");
  h.deliver(no_call_id, udp_peer());
  auto bad = h.sent_responses(400);
  ASSERT_EQ(bad.size(), 1U);
  EXPECT_NE(bad[0].message.reason().find("Call-ID"), std::string::npos);
  EXPECT_EQ(bad[0].destination, udp_peer());

  request_spec mismatch;
  mismatch.cseq_method = "BYE";
  h.deliver(make_request(mismatch), udp_peer());
  ASSERT_EQ(h.sent_responses(400).size(), 2U);
  EXPECT_NE(h.sent_responses(400)[1].message.reason().find("CSeq"), std::string::npos);

  auto bad_from = make_request({});
  bad_from.remove_headers("From");
  bad_from.add_header("From", "<<nonsense");
  h.deliver(bad_from, udp_peer());
  ASSERT_EQ(h.sent_responses(400).size(), 3U);
  EXPECT_NE(h.sent_responses(400)[2].message.reason().find("From"), std::string::npos);

  EXPECT_EQ(h.user.count(event_kind::request), 0U);
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_EQ(h.layer.stats().malformed_rejected, 3U);
}

TEST(transaction_layer, messages_without_a_usable_via_are_dropped) {
  harness h;
  auto no_via = make_request({});
  no_via.remove_headers("Via");
  h.deliver(no_via, udp_peer());
  auto broken_via = make_request({});
  broken_via.remove_headers("Via");
  broken_via.add_header("Via", "garbage");
  h.deliver(broken_via, udp_peer());
  request_spec ack;
  ack.method = "ACK";
  auto bad_ack = make_request(ack);
  bad_ack.remove_headers("CSeq");
  h.deliver(bad_ack, udp_peer());  // never answer an ACK
  auto response = make_response_without_cseq();
  h.deliver(response, udp_peer());
  EXPECT_TRUE(h.sender.sent.empty());
  EXPECT_TRUE(h.user.events.empty());
  EXPECT_EQ(h.layer.stats().malformed_dropped, 4U);
}

TEST(transaction_layer, ids_are_unique_and_branches_carry_the_prefix) {
  transaction_settings settings;
  settings.branch_prefix = "z9hG4bK.s3.";
  harness h(settings);
  std::set<std::string> branches;
  for (int i = 0; i < 1000; ++i) {
    auto branch = h.layer.make_branch();
    EXPECT_TRUE(branch.starts_with("z9hG4bK.s3.")) << branch;
    branches.insert(branch);
  }
  EXPECT_EQ(branches.size(), 1000U);

  std::set<transaction_id> ids;
  for (int i = 0; i < 5; ++i) {
    ids.insert(h.send({}, udp_peer()));
    request_spec spec;
    spec.branch = "z9hG4bK.peer." + std::to_string(i);
    spec.call_id = "in-" + std::to_string(i);
    h.deliver(make_request(spec), udp_peer());
    spec.method = "OPTIONS";
    h.deliver(make_request(spec), udp_peer());
  }
  for (const auto& e : h.user.of(event_kind::request)) ids.insert(e.id);
  EXPECT_EQ(ids.size(), 15U);
  EXPECT_FALSE(ids.contains(0));
}

TEST(transaction_layer, responses_for_another_shard_are_strays) {
  transaction_settings settings;
  settings.branch_prefix = "z9hG4bK.s1.";
  harness h(settings);
  request_spec other;
  other.branch = "z9hG4bK.s2.abc.1";
  auto ok = make_reply(make_request(other), 200, "x");
  h.deliver(ok, udp_peer());
  ASSERT_EQ(h.user.count(event_kind::stray_response), 1U);
  auto ringing = make_reply(make_request(other), 180, "x");
  h.deliver(ringing, udp_peer());
  EXPECT_EQ(h.user.count(event_kind::stray_response), 1U);
  EXPECT_EQ(h.layer.stats().stray_responses, 2U);
}

TEST(transaction_layer, rfc2543_requests_match_without_the_magic_cookie) {
  harness h;
  request_spec old;
  old.branch = "1";  // no z9hG4bK: match on Request-URI, tags, Call-ID, CSeq and Via
  h.deliver(make_request(old), udp_peer());
  ASSERT_EQ(h.user.count(event_kind::request), 1U);
  const auto id = h.user.of(event_kind::request)[0].id;
  h.deliver(make_request(old), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::request), 1U);  // recognised retransmission
  EXPECT_EQ(h.sent_responses(100).size(), 2U);

  request_spec cancel = old;
  cancel.method = "CANCEL";
  h.deliver(make_request(cancel), udp_peer());
  ASSERT_EQ(h.user.count(event_kind::cancel), 1U);
  EXPECT_EQ(h.user.of(event_kind::cancel)[0].id, id);

  h.layer.respond(id, make_reply(make_request(old), 487, "uas"), h.now);
  h.advance(ms(600));  // Timer G resends once
  request_spec ack = old;
  ack.method = "ACK";
  ack.to_tag = "other";  // the To tag must be the one of our response
  h.deliver(make_request(ack), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::ack), 1U);  // not ours: handed up as a stray
  ack.to_tag = "uas";
  h.deliver(make_request(ack), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::ack), 1U);  // absorbed by the transaction
  h.advance(ms(5000));                           // Timer I
  EXPECT_EQ(h.sent_responses(487).size(), 2U);   // Timer G stopped by the ACK
  EXPECT_EQ(h.layer.stats().active.server_invite, 0U);
  EXPECT_EQ(h.layer.size(), 1U);  // the CANCEL's own transaction waits for Timer J
  EXPECT_EQ(h.layer.stats().server_timeouts, 0U);
}

TEST(transaction_layer, thousands_of_transactions_all_clean_up) {
  harness h;
  constexpr int count = 6000;
  std::vector<sip_message> requests;
  for (int i = 0; i < count; ++i) {
    request_spec spec;
    spec.method = "OPTIONS";
    h.send(spec, udp_peer());
    requests.push_back(h.last_request);
  }
  EXPECT_EQ(h.layer.size(), static_cast<std::size_t>(count));
  h.advance(ms(100));
  for (const auto& r : requests) h.deliver(make_reply(r, 200, "x"), udp_peer());
  EXPECT_EQ(h.user.count(event_kind::response), static_cast<std::size_t>(count));
  h.advance(ms(5000));  // Timer K
  EXPECT_EQ(h.layer.size(), 0U);
  EXPECT_FALSE(h.layer.next_deadline());
  EXPECT_EQ(h.layer.stats().active.total(), 0U);
  EXPECT_EQ(h.layer.stats().created.client_non_invite, static_cast<std::uint64_t>(count));
  EXPECT_EQ(h.sent_requests("OPTIONS").size(), static_cast<std::size_t>(count));
  EXPECT_EQ(h.user.count(event_kind::terminated), static_cast<std::size_t>(count));
}

TEST(transaction_layer, send_stateless_sends_exactly_the_message) {
  harness h;
  request_spec ack;
  ack.method = "ACK";
  ack.to_tag = "uas";
  auto message = make_request(ack);
  h.layer.send_stateless(message, tcp_peer());
  ASSERT_EQ(h.sender.sent.size(), 1U);
  EXPECT_EQ(to_string(h.sender.sent[0].message), to_string(message));
  EXPECT_EQ(h.sender.sent[0].destination, tcp_peer());
  EXPECT_EQ(h.layer.size(), 0U);
}

TEST(transaction_layer, generated_messages_carry_the_configured_names) {
  transaction_settings settings;
  settings.server_header = "callcenterd/test";
  settings.user_agent = "callcenterd-ua/test";
  harness h(settings);
  h.deliver(make_request({}), udp_peer());
  EXPECT_EQ(h.sent_responses(100).at(0).message.header("Server"), "callcenterd/test");
  h.send({}, udp_peer());
  h.deliver(make_reply(h.last_request, 404, "x"), udp_peer());
  EXPECT_EQ(h.sent_requests("ACK").at(0).message.header("User-Agent"), "callcenterd-ua/test");
}

TEST(transaction_layer, bad_settings_are_refused_at_start) {
  fake_user user;
  clock_time now{};
  fake_sender sender(now, now);
  transaction_settings settings;
  settings.branch_prefix = "s3.";
  EXPECT_THROW(transaction_layer(settings, sender, user), std::invalid_argument);
}

}  // namespace
}  // namespace callcenterd::sip::test
