#include <gtest/gtest.h>

#include <string>

#include "callcenterd/sip/auth_error.hpp"
#include "callcenterd/sip/digest.hpp"

namespace callcenterd::sip {
namespace {

using namespace std::string_literals;

TEST(digest_challenge_parse, all_fields) {
  auto c = parse_challenge(
      R"(Digest realm="callcenterd", nonce="n0nce", qop="auth,auth-int", algorithm=SHA-256, )"
      R"(stale=TRUE, opaque="op", domain="sip:pbx.example.com")");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->realm, "callcenterd");
  EXPECT_EQ(c->nonce, "n0nce");
  EXPECT_EQ(c->qop, (std::vector<std::string>{"auth", "auth-int"}));
  EXPECT_EQ(c->algorithm, "SHA-256");
  EXPECT_TRUE(c->stale);
  EXPECT_EQ(c->opaque, "op");
}

TEST(digest_challenge_parse, case_tokens_whitespace_and_empty_elements) {
  auto c = parse_challenge("dIgEsT\tREALM = callcenterd ,, Nonce=\"x\" , QOP=auth,");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->realm, "callcenterd");
  EXPECT_EQ(c->nonce, "x");
  EXPECT_EQ(c->qop, std::vector<std::string>{"auth"});
  EXPECT_TRUE(c->algorithm.empty());
  EXPECT_FALSE(c->stale);
  EXPECT_FALSE(c->opaque);
}

TEST(digest_challenge_parse, escapes_and_non_ascii) {
  auto c = parse_challenge(R"(Digest realm="a \"b\" \\ c \d", nonce=")"
                           "\xc3\xa9\"");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->realm, R"(a "b" \ c d)");
  EXPECT_EQ(c->nonce, "\xc3\xa9");
}

TEST(digest_challenge_parse, unknown_params_ignored_stale_false) {
  auto c = parse_challenge(R"(Digest foo="bar", realm="r", x-y=1, nonce="n", stale=false)");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->stale);
  EXPECT_EQ(c->realm, "r");
}

void expect_error(std::string_view value, auth_errc expected) {
  auto c = parse_challenge(value);
  ASSERT_FALSE(c) << value;
  EXPECT_EQ(c.error(), make_error_code(expected)) << value << ": " << c.error().message();
}

TEST(digest_challenge_parse, errors) {
  expect_error(R"(Basic realm="r")", auth_errc::not_digest);
  expect_error(R"(Bearer abc)", auth_errc::not_digest);
  expect_error(R"(Digest realm="r", nonce="n", Realm="s")", auth_errc::duplicate_param);
  expect_error(R"(Digest realm="r")", auth_errc::missing_param);
  expect_error(R"(Digest nonce="n")", auth_errc::missing_param);
  expect_error("Digest ", auth_errc::missing_param);
  expect_error(R"(Digestrealm="r")", auth_errc::not_digest);
  for (const char* bad :
       {"", "   ", "Digest", "Digest realm", "Digest realm=", R"(Digest realm="open)",
        R"(Digest realm="r\")", R"(Digest realm="r" nonce="n")", R"(Digest realm=r"x", nonce=n)",
        R"(Digest ="r")", R"(Digest realm=<r>, nonce=n)", "\"Digest\" a=b"}) {
    expect_error(bad, auth_errc::bad_syntax);
  }
  // Control characters cannot be echoed back in a header, raw or escaped.
  expect_error("Digest realm=\"a\rb\", nonce=n", auth_errc::bad_syntax);
  expect_error("Digest realm=\"a\\\nb\", nonce=n", auth_errc::bad_syntax);
  expect_error("Digest realm=\"a\0b\", nonce=n"s, auth_errc::bad_syntax);
  // A horizontal tab is ordinary whitespace inside quotes.
  EXPECT_TRUE(parse_challenge("Digest realm=\"a\tb\", nonce=n"));
}

TEST(digest_challenge_parse, limits) {
  std::string padding(max_digest_param_length, 'x');
  EXPECT_TRUE(parse_challenge("Digest realm=\"" + padding + "\", nonce=n"));
  EXPECT_TRUE(parse_challenge("Digest realm=" + padding + ", nonce=n"));
  expect_error("Digest realm=\"" + padding + "x\", nonce=n", auth_errc::value_too_long);
  expect_error("Digest realm=" + padding + "x, nonce=n", auth_errc::value_too_long);

  std::string long_value = "Digest realm=r, nonce=n";
  while (long_value.size() <= max_digest_value_length) long_value += ",";
  expect_error(long_value, auth_errc::value_too_long);

  std::string many = "Digest realm=r, nonce=n";
  for (std::size_t i = 2; i < max_digest_params; ++i) many += ", p" + std::to_string(i) + "=1";
  EXPECT_TRUE(parse_challenge(many));
  expect_error(many + ", one_more=1", auth_errc::too_many_params);
}

TEST(digest_challenge_parse, round_trip) {
  digest_challenge c{R"(call "center")", "abc/+=", "op", "SHA-256", {"auth"}, true};
  auto text = to_string(c);
  EXPECT_EQ(text, R"(Digest realm="call \"center\"", nonce="abc/+=", opaque="op", qop="auth", )"
                  R"(algorithm=SHA-256, stale=true)");
  auto back = parse_challenge(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, c);
}

// What sipp sends for [authentication] with qop=auth: no spaces, unquoted nc and qop.
constexpr const char* sipp_style =
    R"(Digest username="1001",realm="callcenterd",cnonce="6b8b4567",nc=00000001,qop=auth,)"
    R"(uri="sip:127.0.0.1:5060",nonce="abcdef0123456789",)"
    R"(response="198f2aa8bba8d42fc503015e89c3c8aa",algorithm=MD5)";

TEST(digest_credentials_parse, sipp_style) {
  auto c = parse_credentials(sipp_style);
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->username, "1001");
  EXPECT_EQ(c->realm, "callcenterd");
  EXPECT_EQ(c->cnonce, "6b8b4567");
  EXPECT_EQ(c->nc, "00000001");
  EXPECT_EQ(c->qop, "auth");
  EXPECT_EQ(c->uri, "sip:127.0.0.1:5060");
  EXPECT_EQ(c->nonce, "abcdef0123456789");
  EXPECT_EQ(c->response, "198f2aa8bba8d42fc503015e89c3c8aa");
  EXPECT_EQ(c->algorithm, "MD5");
  EXPECT_FALSE(c->opaque);
}

TEST(digest_credentials_parse, lenient_quoting) {
  // Old phones quote qop and nc; both forms are read.
  auto c = parse_credentials(
      R"(Digest username="u", realm="r", nonce="n", uri="sip:a@b", response="00ff",)"
      R"( qop="auth", nc="0000000A", cnonce="c", opaque="o")");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->qop, "auth");
  EXPECT_EQ(c->nc, "0000000A");
  EXPECT_EQ(c->opaque, "o");
  EXPECT_TRUE(c->algorithm.empty());
}

TEST(digest_credentials_parse, required_and_checked_values) {
  const std::string base = R"(Digest username="u", realm="r", nonce="n", uri="sip:a@b")";
  for (const char* missing : {R"(Digest realm="r", nonce="n", uri="sip:a@b", response="00")",
                              R"(Digest username="u", nonce="n", uri="sip:a@b", response="00")",
                              R"(Digest username="u", realm="r", uri="sip:a@b", response="00")",
                              R"(Digest username="u", realm="r", nonce="n", response="00")",
                              R"(Digest username="u", realm="r", nonce="n", uri="sip:a@b")"}) {
    auto c = parse_credentials(missing);
    ASSERT_FALSE(c) << missing;
    EXPECT_EQ(c.error(), make_error_code(auth_errc::missing_param)) << missing;
  }
  for (const char* bad_tail : {R"(, response="xyz")", R"(, response="")", R"(, response="0 1")",
                               R"(, response="00", nc=1)", R"(, response="00", nc=0000000g)",
                               R"(, response="00", nc=000000001)"}) {
    auto c = parse_credentials(base + bad_tail);
    ASSERT_FALSE(c) << bad_tail;
    EXPECT_EQ(c.error(), make_error_code(auth_errc::bad_param_value)) << bad_tail;
  }
  auto dup = parse_credentials(base + R"(, response="00", URI="sip:c@d")");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error(), make_error_code(auth_errc::duplicate_param));
}

TEST(digest_credentials_parse, round_trip) {
  digest_credentials c{"agent \"7\"", "callcenterd",
                       "n/+",         "sip:pbx.example.com;transport=tcp",
                       "0123abcd",    "SHA-256",
                       "auth",        "00000002",
                       "c\\n",        "o"};
  auto text = to_string(c);
  EXPECT_EQ(text,
            R"(Digest username="agent \"7\"", realm="callcenterd", nonce="n/+", )"
            R"(uri="sip:pbx.example.com;transport=tcp", response="0123abcd", algorithm=SHA-256, )"
            R"(cnonce="c\\n", opaque="o", qop=auth, nc=00000002)");
  auto back = parse_credentials(text);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, c);
}

TEST(auth_error, messages_and_category) {
  auto ec = make_error_code(auth_errc::duplicate_param);
  EXPECT_STREQ(ec.category().name(), "callcenterd.sip.auth");
  EXPECT_EQ(ec.message(), "authentication parameter given twice");
  boost::system::error_code from_enum = auth_errc::not_digest;
  EXPECT_EQ(from_enum.category(), auth_category());
}

}  // namespace
}  // namespace callcenterd::sip
