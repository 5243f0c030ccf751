#include "callcenterd/sip/uri.hpp"

#include <gtest/gtest.h>

#include "callcenterd/sip/error.hpp"

namespace callcenterd::sip {
namespace {

TEST(sip_uri_parse, full_uri_with_every_part) {
  auto uri = parse_uri("sips:alice:secret@example.com:5061;transport=tcp;lr?subject=hi&x=y");
  ASSERT_TRUE(uri) << uri.error().message();
  EXPECT_TRUE(uri->secure);
  EXPECT_EQ(uri->user, "alice");
  ASSERT_TRUE(uri->password);
  EXPECT_EQ(*uri->password, "secret");
  EXPECT_EQ(uri->host, "example.com");
  EXPECT_EQ(uri->kind, host_kind::name);
  EXPECT_EQ(uri->port, 5061);
  EXPECT_EQ(uri->param("TRANSPORT"), "tcp");
  EXPECT_EQ(uri->param("lr"), "");
  EXPECT_TRUE(uri->has_param("Lr"));
  EXPECT_FALSE(uri->has_param("maddr"));
  ASSERT_EQ(uri->headers.size(), 2U);
  EXPECT_EQ(uri->headers[0].first, "subject");
  EXPECT_EQ(uri->headers[1].second, "y");
}

TEST(sip_uri_parse, host_only_and_scheme_case) {
  auto uri = parse_uri("SIP:pbx.example.com");
  ASSERT_TRUE(uri);
  EXPECT_FALSE(uri->secure);
  EXPECT_TRUE(uri->user.empty());
  EXPECT_FALSE(uri->port);
  EXPECT_EQ(to_string(*uri), "sip:pbx.example.com");
}

TEST(sip_uri_parse, ipv4_and_ipv6_hosts) {
  auto v4 = parse_uri("sip:bob@192.0.2.4:5060");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->kind, host_kind::ipv4);
  EXPECT_EQ(v4->host, "192.0.2.4");

  auto v6 = parse_uri("sip:bob@[2001:db8::1]:5070;maddr=[2001:db8::2]");
  ASSERT_TRUE(v6) << v6.error().message();
  EXPECT_EQ(v6->kind, host_kind::ipv6);
  EXPECT_EQ(v6->host, "2001:db8::1");
  EXPECT_EQ(v6->port, 5070);
  EXPECT_EQ(v6->param("maddr"), "[2001:db8::2]");
  EXPECT_EQ(to_string(*v6), "sip:bob@[2001:db8::1]:5070;maddr=[2001:db8::2]");

  auto mapped = parse_uri("sip:[::ffff:192.0.2.1]");
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->host, "::ffff:192.0.2.1");
}

TEST(sip_uri_parse, escapes_are_kept_verbatim) {
  auto uri = parse_uri("sip:user%20name;x%3b=1@example.com");
  ASSERT_TRUE(uri) << uri.error().message();
  EXPECT_EQ(uri->user, "user%20name;x%3b=1");
  EXPECT_EQ(to_string(*uri), "sip:user%20name;x%3b=1@example.com");
}

TEST(sip_uri_parse, round_trips) {
  for (const char* text :
       {"sip:alice@example.com", "sips:a:b@h.example.com:1;lr;transport=tls", "sip:[::1]:5060",
        "sip:+15551234567;phone-context=example.com@gw.example.com;user=phone",
        "sip:x@10.0.0.1?Replaces=abc%40def&To=y"}) {
    auto uri = parse_uri(text);
    ASSERT_TRUE(uri) << text;
    EXPECT_EQ(to_string(*uri), text);
    auto again = parse_uri(to_string(*uri));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *uri);
  }
}

TEST(sip_uri_parse, rejects_malformed) {
  for (const char* text : {"",
                           "sip:",
                           "sip",
                           "tel:+15551234",
                           "http://example.com",
                           "sip:@example.com",
                           "sip:alice@",
                           "sip:alice@example.com:",
                           "sip:alice@example.com:65536",
                           "sip:alice@example.com:-1",
                           "sip:alice@example.com:5x",
                           "sip:[2001:db8::1",
                           "sip:[nothex]",
                           "sip:a@1.2.3",
                           "sip:a@256.1.1.1",
                           "sip:a%2@h.com",
                           "sip:a%zz@h.com",
                           "sip:a b@h.com",
                           "sip:a@h.com;",
                           "sip:a@h.com;=x",
                           "sip:a@h.com?",
                           "sip:a@h.com?x",
                           "sip:a@h_x.com",
                           "sip:a@-h.com",
                           "sip:a@h.com;p=a b"}) {
    auto uri = parse_uri(text);
    EXPECT_FALSE(uri) << text;
    if (!uri) {
      EXPECT_EQ(uri.error(), make_error_code(sip_errc::bad_uri)) << text;
    }
  }
}

TEST(sip_uri_parse, nul_byte_is_rejected) {
  std::string text = "sip:al";
  text += '\0';
  text += "ice@example.com";
  EXPECT_FALSE(parse_uri(text));
}

}  // namespace
}  // namespace callcenterd::sip
