#include "nonce_codec.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <set>
#include <thread>
#include <vector>

#include "auth_text.hpp"

namespace callcenterd::sip::auth_detail {
namespace {

using namespace std::chrono_literals;
using clock = nonce_codec::clock;

const clock::time_point t0 = clock::time_point{} + 1000h;

TEST(nonce_codec, fresh_until_lifetime_then_stale) {
  nonce_codec codec("secret", 300s);
  auto nonce = codec.issue(t0);
  EXPECT_EQ(nonce.size(), nonce_codec::nonce_length);
  for (auto [offset, expected] : {std::pair{0s, nonce_state::fresh},
                                  {299s, nonce_state::fresh},
                                  {300s, nonce_state::fresh},
                                  {301s, nonce_state::stale},
                                  {100000s, nonce_state::stale}}) {
    auto checked = codec.check(nonce, t0 + offset);
    EXPECT_EQ(checked.state, expected) << offset.count();
    EXPECT_EQ(checked.issued_at, t0);
  }
  // A caller whose clock reading is older than the issuer's still sees a fresh nonce.
  EXPECT_EQ(codec.check(nonce, t0 - 5s).state, nonce_state::fresh);
}

TEST(nonce_codec, the_mac_is_hmac_sha256_of_the_payload_under_the_secret) {
  const std::string secret = "a secret of the process";
  nonce_codec codec(secret, 300s);
  for (int i = 0; i < 3; ++i) {  // the keyed context is copied, never used up
    auto bytes = base64url_decode(codec.issue(t0 + std::chrono::seconds(i)));
    ASSERT_TRUE(bytes);
    ASSERT_EQ(bytes->size(), 36U);
    std::array<unsigned char, EVP_MAX_MD_SIZE> expected{};
    unsigned int length = 0;
    ASSERT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), bytes->data(), 20,
                   expected.data(), &length),
              nullptr);
    EXPECT_TRUE(std::equal(bytes->begin() + 20, bytes->end(), expected.begin()));
  }
}

TEST(nonce_codec, only_our_secret_verifies) {
  nonce_codec ours("secret", 300s);
  nonce_codec theirs("other secret", 300s);
  auto nonce = theirs.issue(t0);
  EXPECT_EQ(theirs.check(nonce, t0).state, nonce_state::fresh);
  EXPECT_EQ(ours.check(nonce, t0).state, nonce_state::invalid);
}

TEST(nonce_codec, any_changed_character_is_invalid) {
  nonce_codec codec("secret", 300s);
  auto nonce = codec.issue(t0);
  for (std::size_t i = 0; i < nonce.size(); ++i) {
    auto changed = nonce;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(codec.check(changed, t0).state, nonce_state::invalid) << i;
  }
  const std::string longer = nonce + "A";
  for (std::string_view bad : {std::string_view{}, std::string_view("abc"),
                               std::string_view(nonce).substr(1), std::string_view(longer)}) {
    EXPECT_EQ(codec.check(bad, t0).state, nonce_state::invalid) << bad;
  }
  auto with_padding = nonce;
  with_padding.back() = '=';
  EXPECT_EQ(codec.check(with_padding, t0).state, nonce_state::invalid);
}

TEST(nonce_codec, unique_and_url_safe_across_threads) {
  nonce_codec codec(random_secret(), 300s);
  std::vector<std::vector<std::string>> issued(4);
  std::vector<std::thread> threads;
  threads.reserve(issued.size());
  for (auto& out : issued) {
    threads.emplace_back([&codec, &out] {
      for (int i = 0; i < 500; ++i) out.push_back(codec.issue(t0));
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& out : issued) {
    for (const auto& nonce : out) {
      EXPECT_EQ(nonce.find_first_not_of(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                std::string::npos);
      EXPECT_EQ(codec.check(nonce, t0).state, nonce_state::fresh);
      all.insert(nonce);
    }
  }
  EXPECT_EQ(all.size(), 2000U);
}

TEST(nonce_codec, random_secrets_differ) {
  auto a = random_secret();
  EXPECT_EQ(a.size(), 32U);
  EXPECT_NE(a, random_secret());
}

}  // namespace
}  // namespace callcenterd::sip::auth_detail
