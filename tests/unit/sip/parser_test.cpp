#include "callcenterd/sip/parser.hpp"

#include <gtest/gtest.h>

#include "callcenterd/sip/error.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "fixtures.hpp"

namespace callcenterd::sip {
namespace {

sip_message parse_fixture(const std::string& name) {
  auto m = parse_message(test::load_fixture(name));
  EXPECT_TRUE(m) << name << ": " << m.error().message();
  return m ? *m : sip_message{};
}

TEST(sip_parser, invite_with_sdp_body) {
  auto m = parse_fixture("invite_sdp.sip");
  ASSERT_TRUE(m.is_request());
  EXPECT_EQ(m.method(), "INVITE");
  EXPECT_EQ(m.request_uri().user, "queue-sales");
  EXPECT_EQ(m.header("content-type"), "application/sdp");
  EXPECT_EQ(m.body().substr(0, 5), "v=0\r\n");
  EXPECT_EQ(m.body().size(), 153U);
  EXPECT_EQ(m.body().back(), '\n');
  auto allow = m.header_values("Allow");
  ASSERT_EQ(allow.size(), 5U);
  EXPECT_EQ(allow[4], "OPTIONS");
  auto from = parse_name_addr(*m.header("From"));
  ASSERT_TRUE(from);
  EXPECT_EQ(from->display_name, "Alice Liddell");
  EXPECT_EQ(find_param(from->params, "tag"), "1928301774");
  auto cseq = parse_cseq(*m.header("CSeq"));
  ASSERT_TRUE(cseq);
  EXPECT_EQ(cseq->number, 314159U);
  EXPECT_EQ(cseq->method, "INVITE");
}

TEST(sip_parser, register_with_two_contacts) {
  auto m = parse_fixture("register.sip");
  EXPECT_EQ(m.method(), "REGISTER");
  EXPECT_TRUE(m.request_uri().secure);
  auto contacts = m.header_values("m");
  ASSERT_EQ(contacts.size(), 2U);
  auto second = parse_name_addr(contacts[1]);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->display_name, "Desk phone");
  EXPECT_EQ(find_param(second->params, "q"), "0.5");
  EXPECT_TRUE(m.body().empty());
}

TEST(sip_parser, ack_with_route_set) {
  auto m = parse_fixture("ack.sip");
  EXPECT_EQ(m.method(), "ACK");
  EXPECT_EQ(m.request_uri().param("transport"), "tcp");
  auto routes = m.header_values("Route");
  ASSERT_EQ(routes.size(), 2U);
  auto first = parse_name_addr(routes[0]);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->uri.has_param("lr"));
}

TEST(sip_parser, bye_with_escaped_display_name) {
  auto m = parse_fixture("bye.sip");
  EXPECT_EQ(m.method(), "BYE");
  auto to = parse_name_addr(*m.header("To"));
  ASSERT_TRUE(to);
  EXPECT_EQ(to->display_name, "Alice \"The\" Liddell");
}

TEST(sip_parser, options_in_compact_form) {
  auto m = parse_fixture("options_compact.sip");
  EXPECT_EQ(m.method(), "OPTIONS");
  EXPECT_EQ(m.header("Call-ID"), "opt-1234@203.0.113.5");
  EXPECT_EQ(m.header("Content-Length"), "0");
  auto supported = m.header_values("Supported");
  ASSERT_EQ(supported.size(), 2U);
  EXPECT_EQ(supported[1], "timer");
  auto via = parse_via(*m.header("Via"));
  ASSERT_TRUE(via);
  EXPECT_EQ(via->port, 5062);
}

TEST(sip_parser, response_with_several_vias) {
  auto m = parse_fixture("response_200_vias.sip");
  ASSERT_TRUE(m.is_response());
  EXPECT_EQ(m.status(), 200);
  EXPECT_EQ(m.reason(), "OK");
  auto vias = m.header_values("Via");
  ASSERT_EQ(vias.size(), 3U);
  auto last = parse_via(vias[2]);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->branch(), "z9hG4bK776asdhds");
  EXPECT_EQ(find_param(last->params, "rport"), "5060");
  EXPECT_EQ(m.header_values("Record-Route").size(), 2U);
}

TEST(sip_parser, folding_whitespace_and_escapes) {
  auto m = parse_fixture("folded_escaped.sip");
  EXPECT_EQ(m.request_uri().user, "user%20name;x%3b=1");
  EXPECT_EQ(m.header("Subject"), "first part continued here and a tab line");
  EXPECT_EQ(m.header("Via"), "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKfold1");
  EXPECT_EQ(m.headers()[0].name, "Via");
  auto from = parse_name_addr(*m.header("From"));
  ASSERT_TRUE(from);
  EXPECT_EQ(from->display_name, "Quote \\ back, comma");
  auto contacts = m.header_values("Contact");
  ASSERT_EQ(contacts.size(), 2U);
  EXPECT_EQ(contacts[0], "\"a, b\" <sip:ab@example.org>");
  EXPECT_EQ(m.body(), "hello");
}

TEST(sip_parser, ipv6_references) {
  auto m = parse_fixture("ipv6.sip");
  EXPECT_EQ(m.request_uri().kind, host_kind::ipv6);
  EXPECT_EQ(m.request_uri().host, "2001:db8::10");
  EXPECT_EQ(m.request_uri().port, 5070);
  auto via = parse_via(*m.header("Via"));
  ASSERT_TRUE(via);
  EXPECT_EQ(via->kind, host_kind::ipv6);
  EXPECT_EQ(via->host, "2001:db8::9:1");
  EXPECT_EQ(find_param(via->params, "received"), "[2001:db8::9:255]");
}

TEST(sip_parser, bare_lf_and_leading_blank_lines) {
  auto m = parse_message("\r\n\nOPTIONS sip:h.example.com SIP/2.0\nCall-ID: 1\n\n");
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->header("Call-ID"), "1");
  EXPECT_TRUE(m->body().empty());
}

TEST(sip_parser, content_length_bounds_the_body) {
  auto longer = parse_message("SIP/2.0 180 Ringing\r\nContent-Length: 3\r\n\r\nabcdef");
  ASSERT_TRUE(longer);
  EXPECT_EQ(longer->body(), "abc");
  EXPECT_EQ(longer->reason(), "Ringing");

  auto absent = parse_message("SIP/2.0 180 Ringing\r\n\r\nabcdef");
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent->body(), "abcdef");

  auto shorter = parse_message("SIP/2.0 180 Ringing\r\nl: 10\r\n\r\nabc");
  ASSERT_FALSE(shorter);
  EXPECT_EQ(shorter.error(), make_error_code(sip_errc::incomplete));
}

TEST(sip_parser, reason_phrase_may_be_empty_or_utf8) {
  auto empty = parse_message("SIP/2.0 404 \r\n\r\n");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->reason(), "");
  auto utf8 = parse_message("SIP/2.0 603 Abgelehnt \xc3\xa4\r\n\r\n");
  ASSERT_TRUE(utf8);
  EXPECT_EQ(utf8->status(), 603);
}

void expect_same_message(const sip_message& a, const sip_message& b) {
  EXPECT_EQ(a.is_request(), b.is_request());
  EXPECT_EQ(a.method(), b.method());
  EXPECT_EQ(a.request_uri(), b.request_uri());
  EXPECT_EQ(a.status(), b.status());
  EXPECT_EQ(a.reason(), b.reason());
  EXPECT_EQ(a.body(), b.body());
  std::vector<sip_header> ha;
  std::vector<sip_header> hb;
  for (const auto& h : a.headers()) {
    if (!same_header_name(h.name, "Content-Length")) ha.push_back(h);
  }
  for (const auto& h : b.headers()) {
    if (!same_header_name(h.name, "Content-Length")) hb.push_back(h);
  }
  ASSERT_EQ(ha.size(), hb.size());
  for (std::size_t i = 0; i < ha.size(); ++i) {
    EXPECT_TRUE(same_header_name(ha[i].name, hb[i].name)) << ha[i].name;
    EXPECT_EQ(ha[i].value, hb[i].value);
  }
}

TEST(sip_parser, parse_serialize_parse_round_trip) {
  for (const auto& name : test::valid_fixture_names()) {
    SCOPED_TRACE(name);
    auto first = parse_message(test::load_fixture(name));
    ASSERT_TRUE(first);
    auto text = to_string(*first);
    auto second = parse_message(text);
    ASSERT_TRUE(second) << second.error().message();
    expect_same_message(*first, *second);
    // Canonical text is a fixed point.
    auto third = parse_message(to_string(*second));
    ASSERT_TRUE(third);
    EXPECT_EQ(*third, *second);
    EXPECT_EQ(to_string(*third), text);
  }
}

}  // namespace
}  // namespace callcenterd::sip
