#include "callcenterd/sip/header_values.hpp"

#include <gtest/gtest.h>

#include "callcenterd/sip/error.hpp"

namespace callcenterd::sip {
namespace {

TEST(sip_params, plain_flag_and_quoted_values) {
  auto p = parse_params(R"( ;tag=abc ; lr;reason="a \"b\" \\ c";Expires = 60)");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 4U);
  EXPECT_EQ(find_param(*p, "TAG"), "abc");
  EXPECT_EQ(find_param(*p, "lr"), "");
  EXPECT_EQ(find_param(*p, "reason"), R"(a "b" \ c)");
  EXPECT_TRUE((*p)[2].quoted);
  EXPECT_EQ(find_param(*p, "expires"), "60");
  EXPECT_FALSE(find_param(*p, "missing"));
  EXPECT_EQ(to_string(*p), R"(;tag=abc;lr;reason="a \"b\" \\ c";Expires=60)");
}

TEST(sip_params, rejects_malformed) {
  for (const char* text : {"tag=1", ";", ";=1", ";a=", ";a=\"open", ";a=b c", ";a=<x>"}) {
    auto p = parse_params(text);
    EXPECT_FALSE(p) << text;
    if (!p) {
      EXPECT_EQ(p.error(), make_error_code(sip_errc::bad_header_value));
    }
  }
  auto none = parse_params("");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(sip_name_addr, forms) {
  auto quoted = parse_name_addr(R"("Agent \"7\"" <sip:a7@pbx.example.com;transport=tcp>;tag=9)");
  ASSERT_TRUE(quoted);
  EXPECT_EQ(quoted->display_name, R"(Agent "7")");
  EXPECT_EQ(quoted->uri.param("transport"), "tcp");
  EXPECT_EQ(find_param(quoted->params, "tag"), "9");
  EXPECT_FALSE(find_param(quoted->params, "transport"));

  auto token = parse_name_addr("Sales Queue <sip:sales@pbx.example.com>");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->display_name, "Sales Queue");

  auto bare = parse_name_addr("<sip:x@[2001:db8::5]:5080>");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->display_name.empty());
  EXPECT_EQ(bare->uri.port, 5080);

  // In addr-spec form a ';' after the URI starts header parameters.
  auto spec = parse_name_addr("sip:bob@example.com;tag=77;expires=30");
  ASSERT_TRUE(spec);
  EXPECT_TRUE(spec->uri.params.empty());
  EXPECT_EQ(find_param(spec->params, "tag"), "77");
  EXPECT_EQ(to_string(*spec), "<sip:bob@example.com>;tag=77;expires=30");

  auto again = parse_name_addr(to_string(*quoted));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *quoted);
}

TEST(sip_name_addr, rejects_malformed) {
  for (const char* text : {"", "\"unterminated <sip:a@b>", "\"x\" sip:a@b", "<sip:a@b", "<tel:123>",
                           "Bad\"Name <sip:a@b>", "<sip:a@b> junk", "<sip:a@b>;tag=\"x"}) {
    EXPECT_FALSE(parse_name_addr(text)) << text;
  }
  EXPECT_TRUE(parse_name_addr("<sip:a@b.com>;tag"));
}

TEST(sip_via, host_port_and_params) {
  auto v = parse_via("SIP / 2.0 / udp 192.0.2.1:5060 ;branch=z9hG4bK1;received=192.0.2.9;rport");
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->transport, "UDP");
  EXPECT_EQ(v->host, "192.0.2.1");
  EXPECT_EQ(v->kind, host_kind::ipv4);
  EXPECT_EQ(v->port, 5060);
  EXPECT_EQ(v->branch(), "z9hG4bK1");
  EXPECT_EQ(find_param(v->params, "rport"), "");
  EXPECT_EQ(to_string(*v), "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=192.0.2.9;rport");

  auto v6 = parse_via("SIP/2.0/WSS [2001:db8::1];branch=z9hG4bK2;rport=5070");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->kind, host_kind::ipv6);
  EXPECT_FALSE(v6->port);
  EXPECT_EQ(find_param(v6->params, "rport"), "5070");
  EXPECT_EQ(to_string(*v6), "SIP/2.0/WSS [2001:db8::1];branch=z9hG4bK2;rport=5070");
}

TEST(sip_via, rejects_malformed) {
  for (const char* text : {"", "SIP/2.0", "SIP/2.0/UDP", "SIP/3.0/UDP h.com", "HTTP/2.0/TCP h.com",
                           "SIP/2.0/UDP h.com:0x10", "SIP/2.0/UDP [::1", "SIP/2.0 UDP h.com",
                           "SIP/2.0/UDP h.com;", "SIP/2.0/UDP h.com;branch=\"x"}) {
    EXPECT_FALSE(parse_via(text)) << text;
  }
}

TEST(sip_cseq, number_and_method) {
  auto c = parse_cseq("  4711   INVITE ");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->number, 4711U);
  EXPECT_EQ(c->method, "INVITE");
  EXPECT_EQ(to_string(*c), "4711 INVITE");
  auto max = parse_cseq("2147483647 BYE");
  ASSERT_TRUE(max);
  for (const char* text :
       {"", "1", "INVITE", "-1 INVITE", "2147483648 INVITE", "1 IN VITE", "x1 ACK", "1 <ACK>"}) {
    EXPECT_FALSE(parse_cseq(text)) << text;
  }
}

}  // namespace
}  // namespace callcenterd::sip
