#include "callcenterd/sip/digest_client.hpp"

#include <gtest/gtest.h>

#include "callcenterd/sip/auth_error.hpp"

namespace callcenterd::sip {
namespace {

digest_challenge offer(const std::string& algorithm, std::vector<std::string> qop = {"auth"}) {
  return {"carrier.example.net", "n-" + algorithm, std::nullopt, algorithm, std::move(qop), false};
}

std::string fixed_cnonce() { return "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"; }

TEST(digest_client_pick, strongest_supported_first_among_equals) {
  EXPECT_EQ(pick_challenge({offer("MD5"), offer("SHA-256")}), 1U);
  EXPECT_EQ(pick_challenge({offer("SHA-256"), offer("MD5")}), 0U);
  EXPECT_EQ(pick_challenge({offer(""), offer("md5")}), 0U);
  EXPECT_EQ(pick_challenge({offer("SHA-512-256"), offer("MD5-sess"), offer("MD5")}), 2U);
  EXPECT_EQ(pick_challenge({offer("SHA-256", {"auth-int"}), offer("MD5", {"auth-int", "auth"})}),
            1U);
  EXPECT_EQ(pick_challenge({offer("SHA-256", {})}), 0U);
  EXPECT_FALSE(pick_challenge({}));
  EXPECT_FALSE(pick_challenge({offer("SHA-512-256"), offer("SHA-256", {"auth-int"})}));
}

TEST(digest_client_authorize, rfc7616_example_answer) {
  digest_challenge c{"http-auth@example.org",
                     "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                     "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
                     "SHA-256",
                     {"auth", "auth-int"},
                     false};
  auto value =
      authorize(c, {"Mufasa", "Circle of Life"}, {"GET", "/dir/index.html", 1}, fixed_cnonce);
  ASSERT_TRUE(value) << value.error().message();
  auto creds = parse_credentials(*value);
  ASSERT_TRUE(creds) << *value;
  EXPECT_EQ(creds->response, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  EXPECT_EQ(creds->username, "Mufasa");
  EXPECT_EQ(creds->realm, c.realm);
  EXPECT_EQ(creds->nonce, c.nonce);
  EXPECT_EQ(creds->uri, "/dir/index.html");
  EXPECT_EQ(creds->opaque, c.opaque);
  EXPECT_EQ(creds->algorithm, "SHA-256");
  EXPECT_EQ(creds->qop, "auth");
  EXPECT_EQ(creds->nc, "00000001");
  EXPECT_EQ(creds->cnonce, fixed_cnonce());

  c.algorithm = "MD5";
  auto md5 = parse_credentials(
      *authorize(c, {"Mufasa", "Circle of Life"}, {"GET", "/dir/index.html", 1}, fixed_cnonce));
  ASSERT_TRUE(md5);
  EXPECT_EQ(md5->response, "8ca523f5e9506fed4657c9700eebdbec");
  EXPECT_EQ(md5->algorithm, "MD5");
}

TEST(digest_client_authorize, nonce_count_and_default_cnonce) {
  auto value = authorize(offer("MD5"), {"trunk", "pw"}, {"REGISTER", "sip:carrier", 0x1a}, {});
  ASSERT_TRUE(value);
  auto creds = parse_credentials(*value);
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->nc, "0000001a");
  ASSERT_TRUE(creds->cnonce);
  EXPECT_EQ(creds->cnonce->size(), 32U);
}

TEST(digest_client_authorize, rfc2069_server) {
  auto c = offer("", {});
  c.nonce = "abcdef0123456789";
  c.realm = "callcenterd";
  auto value =
      authorize(c, {"1001", "secret1001"}, {"REGISTER", "sip:127.0.0.1:5060", 1}, fixed_cnonce);
  ASSERT_TRUE(value);
  auto creds = parse_credentials(*value);
  ASSERT_TRUE(creds);
  EXPECT_FALSE(creds->qop);
  EXPECT_FALSE(creds->nc);
  EXPECT_FALSE(creds->cnonce);
  EXPECT_EQ(creds->response, "1a5f2e78a4f377b6cd8bb58f2a80c4c7");
}

TEST(digest_client_authorize, refusals) {
  auto unusable = authorize(offer("MD5-sess"), {"u", "p"}, {"REGISTER", "sip:x", 1}, fixed_cnonce);
  ASSERT_FALSE(unusable);
  EXPECT_EQ(unusable.error(), make_error_code(auth_errc::no_usable_challenge));
  auto auth_int =
      authorize(offer("MD5", {"auth-int"}), {"u", "p"}, {"REGISTER", "sip:x", 1}, fixed_cnonce);
  EXPECT_EQ(auth_int.error(), make_error_code(auth_errc::no_usable_challenge));
  auto injected =
      authorize(offer("MD5"), {"u\r\nX-Evil: 1", "p"}, {"REGISTER", "sip:x", 1}, fixed_cnonce);
  EXPECT_EQ(injected.error(), make_error_code(auth_errc::bad_client_credentials));
  auto bad_cnonce =
      authorize(offer("MD5"), {"u", "p"}, {"REGISTER", "sip:x", 1}, [] { return std::string(); });
  EXPECT_EQ(bad_cnonce.error(), make_error_code(auth_errc::bad_client_credentials));
}

TEST(digest_client_authorize, from_header_values) {
  std::vector<std::string> values = {
      R"(Basic realm="carrier")",
      R"(Digest nonce="only a nonce")",
      R"(Digest realm="carrier", nonce="m", qop="auth", algorithm=MD5)",
      R"(Digest realm="carrier", nonce="s", qop="auth", algorithm=SHA-256)",
  };
  auto value = authorize(values, {"trunk", "pw"}, {"REGISTER", "sip:carrier", 1}, fixed_cnonce);
  ASSERT_TRUE(value);
  auto creds = parse_credentials(*value);
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->nonce, "s");
  EXPECT_EQ(creds->algorithm, "SHA-256");

  auto none = authorize(std::vector<std::string>{values[0], values[1]}, {"trunk", "pw"},
                        {"REGISTER", "sip:carrier", 1}, fixed_cnonce);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error(), make_error_code(auth_errc::no_usable_challenge));
}

TEST(digest_client_headers, challenge_lines_are_not_split_on_commas) {
  auto unauthorized = sip_message::make_response(401, "Unauthorized");
  unauthorized.add_header("WWW-Authenticate", R"(Digest realm="r", nonce="a", algorithm=SHA-256)");
  unauthorized.add_header("Proxy-Authenticate", R"(Digest realm="p", nonce="x")");
  unauthorized.add_header("www-authenticate", R"(Digest realm="r", nonce="b", algorithm=MD5)");
  auto values = challenge_values(unauthorized);
  ASSERT_EQ(values.size(), 2U);
  EXPECT_EQ(values[0], R"(Digest realm="r", nonce="a", algorithm=SHA-256)");
  EXPECT_EQ(values[1], R"(Digest realm="r", nonce="b", algorithm=MD5)");

  auto proxy = sip_message::make_response(407, "Proxy Authentication Required");
  proxy.add_header("Proxy-Authenticate", R"(Digest realm="p", nonce="x")");
  EXPECT_EQ(challenge_values(proxy), std::vector<std::string>{R"(Digest realm="p", nonce="x")"});
  EXPECT_TRUE(challenge_values(sip_message::make_response(200, "OK")).empty());

  EXPECT_EQ(authorization_header_name(401), "Authorization");
  EXPECT_EQ(authorization_header_name(407), "Proxy-Authorization");
}

TEST(digest_client_cnonce, random_hex) {
  auto a = random_cnonce();
  EXPECT_EQ(a.size(), 32U);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, random_cnonce());
}

}  // namespace
}  // namespace callcenterd::sip
