#include <gtest/gtest.h>

#include "callcenterd/sip/digest.hpp"

namespace callcenterd::sip {
namespace {

TEST(digest_algorithm_names, parse_and_write) {
  EXPECT_EQ(parse_algorithm(""), digest_algorithm::md5);
  EXPECT_EQ(parse_algorithm("MD5"), digest_algorithm::md5);
  EXPECT_EQ(parse_algorithm("md5"), digest_algorithm::md5);
  EXPECT_EQ(parse_algorithm("SHA-256"), digest_algorithm::sha256);
  EXPECT_EQ(parse_algorithm("sha-256"), digest_algorithm::sha256);
  for (const char* refused : {"MD5-sess", "SHA-256-sess", "SHA-512-256", "SHA256", "AKAv1-MD5"}) {
    EXPECT_FALSE(parse_algorithm(refused)) << refused;
  }
  EXPECT_EQ(algorithm_name(digest_algorithm::md5), "MD5");
  EXPECT_EQ(algorithm_name(digest_algorithm::sha256), "SHA-256");
  EXPECT_EQ(hex_digest_length(digest_algorithm::md5), 32U);
  EXPECT_EQ(hex_digest_length(digest_algorithm::sha256), 64U);
}

TEST(digest_hash, known_digests) {
  EXPECT_EQ(hex_digest(digest_algorithm::md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_digest(digest_algorithm::sha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
constexpr std::string_view mufasa_nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr std::string_view mufasa_cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

std::string mufasa_response(digest_algorithm algorithm) {
  auto ha1 = compute_ha1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");
  return compute_response(algorithm, {.ha1 = ha1,
                                      .nonce = mufasa_nonce,
                                      .method = "GET",
                                      .uri = "/dir/index.html",
                                      .qop = "auth",
                                      .nc = "00000001",
                                      .cnonce = mufasa_cnonce});
}

TEST(digest_hash, rfc7616_md5) {
  EXPECT_EQ(mufasa_response(digest_algorithm::md5), "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(digest_hash, rfc7616_sha256) {
  EXPECT_EQ(mufasa_response(digest_algorithm::sha256),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(digest_hash, rfc2617_md5) {
  // RFC 2617 §3.5, the example every older implementation was checked against.
  auto ha1 = compute_ha1(digest_algorithm::md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(compute_response(digest_algorithm::md5, {.ha1 = ha1,
                                                     .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                                                     .method = "GET",
                                                     .uri = "/dir/index.html",
                                                     .qop = "auth",
                                                     .nc = "00000001",
                                                     .cnonce = "0a4f113b"}),
            "6629fae49393a05397450978507c4ef1");
}

// As sipp answers a 401 for REGISTER with qop=auth: H(A1) of user:realm:password, its own
// 8-hex-digit cnonce, nc 00000001, the Request-URI as the digest uri. Computed independently.
TEST(digest_hash, sipp_md5_qop_auth) {
  auto ha1 = compute_ha1(digest_algorithm::md5, "1001", "callcenterd", "secret1001");
  EXPECT_EQ(ha1, "fb180e3cdd739bc47ac5064046591403");
  EXPECT_EQ(compute_response(digest_algorithm::md5, {.ha1 = ha1,
                                                     .nonce = "abcdef0123456789",
                                                     .method = "REGISTER",
                                                     .uri = "sip:127.0.0.1:5060",
                                                     .qop = "auth",
                                                     .nc = "00000001",
                                                     .cnonce = "6b8b4567"}),
            "198f2aa8bba8d42fc503015e89c3c8aa");
}

TEST(digest_hash, rfc2069_form_without_qop) {
  auto ha1 = compute_ha1(digest_algorithm::md5, "1001", "callcenterd", "secret1001");
  // nc and cnonce take no part when qop is empty.
  EXPECT_EQ(compute_response(digest_algorithm::md5, {.ha1 = ha1,
                                                     .nonce = "abcdef0123456789",
                                                     .method = "REGISTER",
                                                     .uri = "sip:127.0.0.1:5060",
                                                     .qop = "",
                                                     .nc = "00000009",
                                                     .cnonce = "ignored"}),
            "1a5f2e78a4f377b6cd8bb58f2a80c4c7");
}

}  // namespace
}  // namespace callcenterd::sip
