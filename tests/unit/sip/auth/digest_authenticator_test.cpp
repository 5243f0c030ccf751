#include "callcenterd/sip/digest_authenticator.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <stdexcept>
#include <thread>

#include "callcenterd/sip/auth_error.hpp"
#include "callcenterd/sip/digest_client.hpp"

namespace callcenterd::sip {
namespace {

using namespace std::chrono_literals;
using clock = digest_authenticator::clock;

const clock::time_point t0 = clock::time_point{} + 1000h;
constexpr std::string_view request_uri = "sip:pbx.example.com";

// MD5 straight from OpenSSL, so the sipp-style vector does not lean on the code under test.
std::string md5_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    static constexpr char hex[] = "0123456789abcdef";
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

digest_settings test_settings() {
  digest_settings s;
  s.nonce_secret = "a fixed secret for tests";
  return s;
}

class authenticator_test : public ::testing::Test {
 protected:
  digest_challenge challenge(digest_algorithm algorithm, clock::time_point now,
                             bool stale = false) {
    for (const auto& value : auth_.challenges(stale, now)) {
      auto parsed = parse_challenge(value);
      if (parsed && parse_algorithm(parsed->algorithm) == algorithm) return *parsed;
    }
    ADD_FAILURE() << "no challenge for " << algorithm_name(algorithm);
    return {};
  }

  static std::string answer(const digest_challenge& c, std::string_view password,
                            std::uint32_t nc = 1, std::string_view uri = request_uri,
                            std::string username = "alice") {
    auto value = authorize(c, {std::move(username), std::string(password)}, {"REGISTER", uri, nc},
                           [] { return std::string("0a4f113b"); });
    EXPECT_TRUE(value);
    return value ? *value : std::string{};
  }

  auth_outcome verify(std::string_view value, const std::optional<stored_ha1>& stored,
                      clock::time_point now, std::string_view uri = request_uri) {
    return auth_.verify(value, "REGISTER", uri, stored, now);
  }

  digest_authenticator auth_{test_settings()};
  stored_ha1 alice_{compute_ha1(digest_algorithm::md5, "alice", "callcenterd", "wonderland"),
                    compute_ha1(digest_algorithm::sha256, "alice", "callcenterd", "wonderland")};
};

TEST_F(authenticator_test, challenges_prefer_sha256_then_md5) {
  auto values = auth_.challenges(false, t0);
  ASSERT_EQ(values.size(), 2U);
  auto first = parse_challenge(values[0]);
  auto second = parse_challenge(values[1]);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->algorithm, "SHA-256");
  EXPECT_EQ(second->algorithm, "MD5");
  for (const auto& c : {*first, *second}) {
    EXPECT_EQ(c.realm, "callcenterd");
    EXPECT_EQ(c.qop, std::vector<std::string>{"auth"});
    EXPECT_FALSE(c.stale);
    EXPECT_FALSE(c.opaque);
  }
  EXPECT_NE(first->nonce, second->nonce);
  EXPECT_TRUE(parse_challenge(auth_.challenges(true, t0)[1])->stale);
}

TEST_F(authenticator_test, round_trip_both_algorithms) {
  for (auto algorithm : {digest_algorithm::sha256, digest_algorithm::md5}) {
    auto value = answer(challenge(algorithm, t0), "wonderland");
    EXPECT_EQ(verify(value, alice_, t0 + 2s), auth_outcome::ok) << value;
  }
}

TEST_F(authenticator_test, sipp_style_md5_header) {
  auto c = challenge(digest_algorithm::md5, t0);
  std::string uri = "sip:127.0.0.1:5060";
  auto ha1 = md5_hex("1001:callcenterd:secret1001");
  auto ha2 = md5_hex("REGISTER:" + uri);
  auto response = md5_hex(ha1 + ":" + c.nonce + ":00000001:6b8b4567:auth:" + ha2);
  auto value =
      "Digest username=\"1001\",realm=\"callcenterd\",cnonce=\"6b8b4567\",nc=00000001,"
      "qop=auth,uri=\"" +
      uri + "\",nonce=\"" + c.nonce + "\",response=\"" + response + "\",algorithm=MD5";
  EXPECT_EQ(auth_.verify(value, "REGISTER", uri, stored_ha1{ha1, ""}, t0), auth_outcome::ok);
}

TEST_F(authenticator_test, unknown_user_looks_like_wrong_password) {
  for (auto algorithm : {digest_algorithm::sha256, digest_algorithm::md5}) {
    auto c = challenge(algorithm, t0);
    auto wrong_password = answer(c, "guess");
    auto unknown_user = answer(c, "guess", 1, request_uri, "mallory");
    EXPECT_EQ(verify(wrong_password, alice_, t0), auth_outcome::failed);
    EXPECT_EQ(verify(unknown_user, std::nullopt, t0), auth_outcome::failed);
    // Even the right password is useless without a stored hash.
    EXPECT_EQ(verify(answer(c, "wonderland"), std::nullopt, t0), auth_outcome::failed);
    // Past the nonce lifetime both still read "failed", never "stale".
    EXPECT_EQ(verify(wrong_password, alice_, t0 + 1h), auth_outcome::failed);
    EXPECT_EQ(verify(unknown_user, std::nullopt, t0 + 1h), auth_outcome::failed);
  }
  // The nonces of those failures were never recorded.
  EXPECT_EQ(auth_.tracked_nonces(), 0U);
}

TEST_F(authenticator_test, stored_hash_forms) {
  auto c = challenge(digest_algorithm::sha256, t0);
  auto value = answer(c, "wonderland");
  // An MD5-only account cannot use SHA-256.
  EXPECT_EQ(verify(value, stored_ha1{alice_.md5, ""}, t0), auth_outcome::failed);
  EXPECT_EQ(verify(value, stored_ha1{alice_.md5, "not hex"}, t0), auth_outcome::failed);
  // Upper-case hex in the store is fine.
  std::string upper = alice_.sha256;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(verify(value, stored_ha1{"", upper}, t0), auth_outcome::ok);
}

TEST_F(authenticator_test, stale_and_foreign_nonces) {
  auto c = challenge(digest_algorithm::sha256, t0);
  EXPECT_EQ(verify(answer(c, "wonderland"), alice_, t0 + 301s), auth_outcome::stale);
  EXPECT_EQ(verify(answer(c, "wonderland", 2), alice_, t0 + 300s), auth_outcome::ok);

  // A nonce from another process (another secret), or one we never issued, with a right
  // response: stale, so the phone retries with a new nonce without counting as a failure.
  digest_settings other = test_settings();
  other.nonce_secret = "the previous process";
  digest_authenticator previous(other);
  auto old = parse_challenge(previous.challenges(false, t0)[0]);
  ASSERT_TRUE(old);
  EXPECT_EQ(verify(answer(*old, "wonderland"), alice_, t0), auth_outcome::stale);
  EXPECT_EQ(verify(answer(*old, "guess"), alice_, t0), auth_outcome::failed);
  auto forged = c;
  forged.nonce = "made-up";
  EXPECT_EQ(verify(answer(forged, "wonderland"), alice_, t0), auth_outcome::stale);
  EXPECT_EQ(verify(answer(forged, "guess"), alice_, t0), auth_outcome::failed);
}

TEST_F(authenticator_test, replayed_nonce_count) {
  auto c = challenge(digest_algorithm::md5, t0);
  auto first = answer(c, "wonderland", 1);
  EXPECT_EQ(verify(first, alice_, t0), auth_outcome::ok);
  EXPECT_EQ(verify(first, alice_, t0 + 1s), auth_outcome::stale);
  EXPECT_EQ(verify(answer(c, "wonderland", 2), alice_, t0 + 2s), auth_outcome::ok);
  EXPECT_EQ(verify(answer(c, "wonderland", 7), alice_, t0 + 3s), auth_outcome::ok);
  EXPECT_EQ(verify(answer(c, "wonderland", 5), alice_, t0 + 4s), auth_outcome::stale);
  EXPECT_EQ(auth_.tracked_nonces(), 1U);
}

TEST_F(authenticator_test, refused_parameters) {
  auto c = challenge(digest_algorithm::md5, t0);
  auto base = parse_credentials(answer(c, "wonderland"));
  ASSERT_TRUE(base);
  auto check = [&](auto change, auth_outcome expected, const char* what) {
    auto creds = *base;
    change(creds);
    EXPECT_EQ(auth_.verify(creds, "REGISTER", request_uri, alice_, t0), expected) << what;
  };
  check([](digest_credentials& d) { d.realm = "other"; }, auth_outcome::failed, "realm");
  check([](digest_credentials& d) { d.algorithm = "MD5-sess"; }, auth_outcome::failed, "sess");
  check([](digest_credentials& d) { d.qop = "auth-int"; }, auth_outcome::failed, "auth-int");
  check([](digest_credentials& d) { d.qop.reset(); }, auth_outcome::failed, "RFC 2069");
  check([](digest_credentials& d) { d.nc.reset(); }, auth_outcome::malformed, "no nc");
  check([](digest_credentials& d) { d.nc = "00000000"; }, auth_outcome::malformed, "nc 0");
  check([](digest_credentials& d) { d.cnonce.reset(); }, auth_outcome::malformed, "no cnonce");
  check([](digest_credentials& d) { d.response += "00"; }, auth_outcome::malformed, "length");
  check([](digest_credentials& d) { d.response[0] = d.response[0] == 'a' ? 'b' : 'a'; },
        auth_outcome::failed, "response");
  check([](digest_credentials&) {}, auth_outcome::ok, "unchanged");
  EXPECT_EQ(verify("Digest username=alice", alice_, t0), auth_outcome::malformed);
  EXPECT_EQ(verify("Basic YWxpY2U6d29uZGVybGFuZA==", alice_, t0), auth_outcome::malformed);
  // Another method hashes differently.
  EXPECT_EQ(auth_.verify(answer(c, "wonderland", 9), "INVITE", request_uri, alice_, t0),
            auth_outcome::failed);
}

TEST_F(authenticator_test, server_without_qop_is_answered_in_rfc2069_form_and_refused) {
  auto c = challenge(digest_algorithm::md5, t0);
  c.qop.clear();
  auto value = answer(c, "wonderland");
  EXPECT_EQ(value.find("qop"), std::string::npos);
  EXPECT_EQ(verify(value, alice_, t0), auth_outcome::failed);
}

TEST_F(authenticator_test, digest_uri_rule) {
  struct uri_case {
    std::string_view digest_uri;
    std::string_view request;
    auth_outcome expected;
  };
  const uri_case cases[] = {
      {"sip:pbx.example.com;transport=tcp", "sip:pbx.example.com", auth_outcome::ok},
      {"sip:PBX.Example.COM:5060", "sip:pbx.example.com", auth_outcome::ok},
      {"sips:pbx.example.com:5061", "sips:pbx.example.com", auth_outcome::ok},
      {"sip:1001@[2001:db8::1]", "sip:1001@[2001:DB8::1]:5060", auth_outcome::ok},
      {"/not/a/sip/uri", "/not/a/sip/uri", auth_outcome::ok},
      {"sip:other.example.com", "sip:pbx.example.com", auth_outcome::failed},
      {"sip:pbx.example.com:5070", "sip:pbx.example.com", auth_outcome::failed},
      {"sips:pbx.example.com", "sip:pbx.example.com", auth_outcome::failed},
      {"sip:1002@pbx.example.com", "sip:1001@pbx.example.com", auth_outcome::failed},
      // Only our address (what sipp sends): the server's URI still matches.
      {"sip:127.0.0.1:5070", "sip:8000@127.0.0.1:5070", auth_outcome::ok},
      {"sip:127.0.0.1:5070", "sip:8000@127.0.0.1:5080", auth_outcome::failed},
      {"sip:1001@pbx.example.com", "sip:pbx.example.com", auth_outcome::failed},
      {"sip:pbx.example.com", "not a uri", auth_outcome::failed},
  };
  for (const auto& test : cases) {
    auto value = answer(challenge(digest_algorithm::sha256, t0), "wonderland", 1, test.digest_uri);
    EXPECT_EQ(verify(value, alice_, t0, test.request), test.expected)
        << test.digest_uri << " vs " << test.request;
  }
}

TEST_F(authenticator_test, finds_credentials_for_our_realm) {
  auto request = sip_message::make_request("REGISTER", *parse_uri("sip:pbx.example.com"));
  auto none = auth_.find_credentials(request, "Authorization");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error(), make_error_code(auth_errc::no_credentials));

  request.add_header("Authorization", "Basic YWxpY2U=");
  request.add_header("Proxy-Authorization", answer(challenge(digest_algorithm::md5, t0), "x"));
  EXPECT_EQ(auth_.find_credentials(request, "Authorization").error(),
            make_error_code(auth_errc::no_credentials));

  request.add_header("authorization", "Digest username=\"a\", realm=\"callcenterd\"");
  EXPECT_EQ(auth_.find_credentials(request, "Authorization").error(),
            make_error_code(auth_errc::missing_param));

  auto theirs = challenge(digest_algorithm::md5, t0);
  theirs.realm = "carrier";
  request.add_header("Authorization", answer(theirs, "x"));
  request.add_header("Authorization", answer(challenge(digest_algorithm::sha256, t0), "x"));
  auto found = auth_.find_credentials(request, "Authorization");
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_EQ(found->realm, "callcenterd");
  EXPECT_EQ(found->algorithm, "SHA-256");
  auto proxy = auth_.find_credentials(request, "Proxy-Authorization");
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->algorithm, "MD5");
}

TEST(authenticator_settings, bounded_nonce_table) {
  digest_settings s = test_settings();
  s.max_tracked_nonces = 4;
  digest_authenticator auth(s);
  stored_ha1 bob{compute_ha1(digest_algorithm::md5, "bob", "callcenterd", "pw"), ""};
  std::vector<digest_challenge> used;
  for (int i = 0; i < 10; ++i) {
    auto c = parse_challenge(auth.challenges(false, t0 + std::chrono::seconds(i))[1]);
    ASSERT_TRUE(c);
    auto value = authorize(*c, {"bob", "pw"}, {"REGISTER", request_uri, 1}, random_cnonce);
    ASSERT_TRUE(value);
    EXPECT_EQ(auth.verify(*value, "REGISTER", request_uri, bob, t0 + 20s), auth_outcome::ok);
    EXPECT_LE(auth.tracked_nonces(), 4U);
    used.push_back(*c);
  }
  // The first nonce was forgotten: reusing it is answered stale, never accepted blindly.
  auto again = authorize(used[0], {"bob", "pw"}, {"REGISTER", request_uri, 2}, random_cnonce);
  EXPECT_EQ(auth.verify(*again, "REGISTER", request_uri, bob, t0 + 21s), auth_outcome::stale);
  auto recent = authorize(used[9], {"bob", "pw"}, {"REGISTER", request_uri, 2}, random_cnonce);
  EXPECT_EQ(auth.verify(*recent, "REGISTER", request_uri, bob, t0 + 21s), auth_outcome::ok);
}

TEST(authenticator_settings, refuses_bad_settings) {
  auto with = [](auto change) {
    digest_settings s;
    change(s);
    return s;
  };
  EXPECT_THROW(digest_authenticator(with([](digest_settings& s) { s.realm.clear(); })),
               std::invalid_argument);
  EXPECT_THROW(digest_authenticator(with([](digest_settings& s) { s.realm = "a\r\nb"; })),
               std::invalid_argument);
  EXPECT_THROW(digest_authenticator(with([](digest_settings& s) { s.nonce_lifetime = 0s; })),
               std::invalid_argument);
  EXPECT_THROW(digest_authenticator(with([](digest_settings& s) { s.max_tracked_nonces = 0; })),
               std::invalid_argument);
  EXPECT_THROW(digest_authenticator(with([](digest_settings& s) { s.algorithms.clear(); })),
               std::invalid_argument);
  // A random secret per instance: one instance's nonces are foreign to another.
  digest_authenticator a{digest_settings{}};
  digest_authenticator b{digest_settings{}};
  auto c = parse_challenge(a.challenges(false, t0)[0]);
  auto value = authorize(*c, {"bob", "pw"}, {"REGISTER", request_uri, 1}, random_cnonce);
  stored_ha1 bob{"", compute_ha1(digest_algorithm::sha256, "bob", "callcenterd", "pw")};
  EXPECT_EQ(a.verify(*value, "REGISTER", request_uri, bob, t0), auth_outcome::ok);
  EXPECT_EQ(b.verify(*value, "REGISTER", request_uri, bob, t0), auth_outcome::stale);
}

TEST(authenticator_settings, challenges_follow_the_configured_order_and_only_those_verify) {
  digest_settings settings = test_settings();
  settings.algorithms = {digest_algorithm::md5};
  digest_authenticator md5_only{settings};
  const auto values = md5_only.challenges(false, t0);
  ASSERT_EQ(values.size(), 1U);
  EXPECT_EQ(parse_challenge(values[0])->algorithm, "MD5");

  settings.algorithms = {digest_algorithm::md5, digest_algorithm::sha256};
  digest_authenticator md5_first{settings};
  const auto both = md5_first.challenges(false, t0);
  ASSERT_EQ(both.size(), 2U);
  EXPECT_EQ(parse_challenge(both[0])->algorithm, "MD5");
  EXPECT_EQ(parse_challenge(both[1])->algorithm, "SHA-256");

  // A SHA-256 answer is refused where SHA-256 was never offered, though the hash is right.
  const stored_ha1 bob{compute_ha1(digest_algorithm::md5, "bob", "callcenterd", "pw"),
                       compute_ha1(digest_algorithm::sha256, "bob", "callcenterd", "pw")};
  auto sha_challenge = parse_challenge(md5_first.challenges(false, t0)[1]);
  ASSERT_TRUE(sha_challenge);
  const auto value = authorize(*sha_challenge, {"bob", "pw"}, {"REGISTER", request_uri, 1},
                               [] { return std::string("0a4f113b"); });
  ASSERT_TRUE(value);
  EXPECT_EQ(md5_first.verify(*value, "REGISTER", request_uri, bob, t0), auth_outcome::ok);
  EXPECT_EQ(md5_only.verify(*value, "REGISTER", request_uri, bob, t0), auth_outcome::failed);
}

TEST(authenticator_settings, outcome_names) {
  EXPECT_EQ(to_string(auth_outcome::ok), "ok");
  EXPECT_EQ(to_string(auth_outcome::stale), "stale");
  EXPECT_EQ(to_string(auth_outcome::failed), "failed");
  EXPECT_EQ(to_string(auth_outcome::malformed), "malformed");
}

TEST(authenticator_threads, concurrent_verification) {
  digest_authenticator auth(test_settings());
  stored_ha1 carol{"", compute_ha1(digest_algorithm::sha256, "carol", "callcenterd", "pw")};
  std::vector<int> ok_counts(4, 0);
  std::vector<std::thread> threads;
  threads.reserve(ok_counts.size());
  for (auto& ok : ok_counts) {
    threads.emplace_back([&auth, &carol, &ok] {
      for (int i = 0; i < 100; ++i) {
        auto c = parse_challenge(auth.challenges(false, t0)[0]);
        auto value = authorize(*c, {"carol", "pw"}, {"REGISTER", request_uri, 1}, random_cnonce);
        if (auth.verify(*value, "REGISTER", request_uri, carol, t0) == auth_outcome::ok) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int ok : ok_counts) EXPECT_EQ(ok, 100);
}

}  // namespace
}  // namespace callcenterd::sip
