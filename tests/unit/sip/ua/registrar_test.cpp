#include "callcenterd/sip/registrar.hpp"

#include <gtest/gtest.h>

#include "callcenterd/sip/digest_client.hpp"
#include "callcenterd/sip/parser.hpp"

namespace callcenterd::sip {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::make_address;

const std::string realm = "callcenterd";

sip_account account(const std::string& extension, const std::string& password) {
  return {extension,
          {compute_ha1(digest_algorithm::md5, extension, realm, password),
           compute_ha1(digest_algorithm::sha256, extension, realm, password)},
          "",
          false};
}

class registrar_test : public ::testing::Test {
 protected:
  registrar_test() { accounts_.replace({account("1001", "secret1"), account("1002", "secret2")}); }

  static flow udp_from(const char* address, std::uint16_t port = 5062) {
    return flow{
        transport_kind::udp, make_address("127.0.0.1"), 5060, make_address(address), port, 0};
  }

  // A REGISTER for `extension`; `authorization` answers an earlier challenge when not empty.
  received_message request(const std::string& extension, std::uint32_t cseq,
                           const std::string& contact_headers,
                           const std::string& authorization = {},
                           flow source = udp_from("192.0.2.1"),
                           const std::string& call_id = "call-1") {
    std::string text =
        "REGISTER sip:pbx.example SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK" +
        std::to_string(cseq) + "\r\nFrom: <sip:" + extension +
        "@pbx.example>;tag=f\r\nTo: <sip:" + extension + "@pbx.example>\r\nCall-ID: " + call_id +
        "\r\nCSeq: " + std::to_string(cseq) + " REGISTER\r\n" + contact_headers;
    if (!authorization.empty()) text += "Authorization: " + authorization + "\r\n";
    text += "Content-Length: 0\r\n\r\n";
    auto parsed = parse_message(text);
    EXPECT_TRUE(parsed) << text;
    return {parsed ? *parsed : sip_message{}, source, now_};
  }

  // Answers the challenge of `algorithm` in `challenge_response` with `password`.
  static std::string answer(const sip_message& challenge_response, const std::string& user,
                            const std::string& password, std::string_view algorithm = "MD5") {
    for (const auto& value : challenge_values(challenge_response)) {
      const auto parsed = parse_challenge(value);
      if (!parsed || parsed->algorithm != algorithm) continue;
      const auto header = authorize(*parsed, {user, password}, {"REGISTER", "sip:pbx.example", 1},
                                    [] { return std::string("c0ffee"); });
      EXPECT_TRUE(header);
      return header ? *header : std::string{};
    }
    ADD_FAILURE() << "no " << algorithm << " challenge";
    return {};
  }

  // Registers `contact_headers` for `extension` through a challenge; returns the final answer.
  sip_message register_through_challenge(const std::string& extension, const std::string& password,
                                         const std::string& contact_headers, std::uint32_t cseq,
                                         flow source = udp_from("192.0.2.1"),
                                         std::string_view algorithm = "MD5") {
    const auto challenge =
        registrar_.handle_register(request(extension, cseq, contact_headers, {}, source), wall_);
    EXPECT_TRUE(challenge && challenge->status() == 401);
    const auto credentials = answer(*challenge, extension, password, algorithm);
    const auto final_response = registrar_.handle_register(
        request(extension, cseq + 1, contact_headers, credentials, source), wall_);
    EXPECT_TRUE(final_response);
    return final_response ? *final_response : sip_message{};
  }

  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::time_point{} + 100h;
  std::chrono::system_clock::time_point wall_ = std::chrono::system_clock::now();
  account_directory accounts_;
  digest_authenticator digest_{[] {
    digest_settings settings;
    settings.nonce_secret = "test secret";
    return settings;
  }()};
  auth_throttle throttle_{throttle_settings{3, 60s, 300s, 100}};
  request_authenticator auth_{digest_, throttle_, accounts_, "callcenterd"};
  std::vector<binding_changes> kept_;
  registrar registrar_{registrar_settings{}, auth_,
                       [this](binding_changes changes) { kept_.push_back(std::move(changes)); }};
};

TEST_F(registrar_test, an_unauthenticated_register_is_challenged_sha256_first) {
  const auto response = registrar_.handle_register(
      request("1001", 1, "Contact: <sip:1001@192.0.2.1:5062>\r\n"), wall_);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 401);
  const auto values = challenge_values(*response);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(parse_challenge(values[0])->algorithm, "SHA-256");
  EXPECT_EQ(parse_challenge(values[1])->algorithm, "MD5");
  EXPECT_NE(response->header("To")->find(";tag="), std::string_view::npos);
  EXPECT_TRUE(registrar_.lookup("1001", wall_).empty());
}

TEST_F(registrar_test, md5_and_sha256_answers_register_and_keep_the_flow) {
  const auto md5 =
      register_through_challenge("1001", "secret1", "Contact: <sip:1001@192.0.2.1:5062>\r\n", 1);
  EXPECT_EQ(md5.status(), 200);
  EXPECT_EQ(md5.header("Contact").value_or(""), "<sip:1001@192.0.2.1:5062>;expires=600");
  const auto sha =
      register_through_challenge("1002", "secret2", "Contact: <sip:1002@192.0.2.9:5070>\r\n", 1,
                                 udp_from("192.0.2.9", 5070), "SHA-256");
  EXPECT_EQ(sha.status(), 200);

  const auto bindings = registrar_.lookup("1002", wall_);
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].contact, "sip:1002@192.0.2.9:5070");
  EXPECT_EQ(bindings[0].path, udp_from("192.0.2.9", 5070));
  EXPECT_EQ(bindings[0].expires_at, wall_ + 600s);
  ASSERT_EQ(kept_.size(), 2u) << "each change goes to the sink";
  EXPECT_EQ(kept_[1].upserts.size(), 1u);
  EXPECT_EQ(registrar_.stats().bindings, 2u);
}

TEST_F(registrar_test, wrong_password_and_unknown_user_get_the_same_answer) {
  const auto wrong =
      register_through_challenge("1001", "guess", "Contact: <sip:1001@192.0.2.1>\r\n", 1);
  const auto unknown =
      register_through_challenge("4040", "guess", "Contact: <sip:4040@192.0.2.1>\r\n", 1);
  EXPECT_EQ(wrong.status(), 403);
  EXPECT_EQ(unknown.status(), wrong.status());
  EXPECT_EQ(unknown.reason(), wrong.reason());
  EXPECT_EQ(unknown.headers().size(), wrong.headers().size());
  EXPECT_TRUE(kept_.empty());
  EXPECT_EQ(registrar_.stats().auth_failures, 2u);
}

TEST_F(registrar_test, a_throttled_source_gets_no_answer_while_others_do) {
  for (int i = 0; i < 3; ++i) {
    register_through_challenge("1001", "guess", "Contact: <sip:1001@192.0.2.1>\r\n",
                               10 + 2 * static_cast<std::uint32_t>(i));
  }
  EXPECT_FALSE(
      registrar_.handle_register(request("1001", 50, "Contact: <sip:1001@192.0.2.1>\r\n"), wall_))
      << "blocked: nothing is sent";
  EXPECT_EQ(register_through_challenge("1002", "secret2", "Contact: <sip:1002@192.0.2.7>\r\n", 1,
                                       udp_from("192.0.2.7"))
                .status(),
            200);
  EXPECT_EQ(registrar_.stats().throttled_drops, 1u);
}

TEST_F(registrar_test, credentials_of_another_extension_are_refused) {
  const auto challenge =
      registrar_.handle_register(request("1002", 1, "Contact: <sip:1002@192.0.2.1>\r\n"), wall_);
  ASSERT_TRUE(challenge);
  const auto credentials = answer(*challenge, "1001", "secret1");
  const auto response = registrar_.handle_register(
      request("1002", 2, "Contact: <sip:1002@192.0.2.1>\r\n", credentials), wall_);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 403);
  EXPECT_TRUE(registrar_.lookup("1002", wall_).empty());
}

TEST_F(registrar_test, too_brief_is_423_with_min_expires) {
  const auto response = register_through_challenge(
      "1001", "secret1", "Contact: <sip:1001@192.0.2.1>;expires=5\r\n", 1);
  EXPECT_EQ(response.status(), 423);
  EXPECT_EQ(response.header("Min-Expires").value_or(""), "60");
}

TEST_F(registrar_test, refresh_reorder_unregister_and_wildcard) {
  const std::string contact = "Contact: <sip:1001@192.0.2.1:5062>\r\n";
  ASSERT_EQ(register_through_challenge("1001", "secret1", contact, 1).status(), 200);
  // A second contact from another phone, same extension.
  ASSERT_EQ(register_through_challenge("1001", "secret1", "Contact: <sip:1001@192.0.2.2>\r\n", 10,
                                       udp_from("192.0.2.2"))
                .status(),
            200);
  EXPECT_EQ(registrar_.lookup("1001", wall_).size(), 2u);

  // An older CSeq on the same Call-ID must not roll the first binding back.
  const auto challenge = registrar_.handle_register(request("1001", 1, contact), wall_);
  const auto stale_credentials = answer(*challenge, "1001", "secret1");
  const auto reordered =
      registrar_.handle_register(request("1001", 1, contact, stale_credentials), wall_);
  ASSERT_TRUE(reordered);
  EXPECT_EQ(reordered->status(), 500);

  const auto removed = register_through_challenge(
      "1001", "secret1", "Contact: <sip:1001@192.0.2.1:5062>;expires=0\r\n", 20);
  EXPECT_EQ(removed.status(), 200);
  EXPECT_EQ(registrar_.lookup("1001", wall_).size(), 1u);
  EXPECT_EQ(kept_.back().removals.size(), 1u);

  const auto all = register_through_challenge("1001", "secret1", "Contact: *\r\nExpires: 0\r\n", 30,
                                              udp_from("192.0.2.2"));
  EXPECT_EQ(all.status(), 200);
  EXPECT_FALSE(all.header("Contact"));
  EXPECT_TRUE(registrar_.lookup("1001", wall_).empty());
  EXPECT_EQ(registrar_.stats().bindings, 0u);
}

TEST_F(registrar_test, max_contacts_refuses_without_changing_anything) {
  registrar limited{registrar_settings{60s, 3600s, 600s, 1, "callcenterd"}, auth_, {}};
  const auto first = registrar_.handle_register(
      request("1001", 1, "Contact: <sip:1001@192.0.2.1>, <sip:1001@192.0.2.2>\r\n"), wall_);
  ASSERT_TRUE(first);
  const auto credentials = answer(*first, "1001", "secret1");
  const auto response = limited.handle_register(
      request("1001", 2, "Contact: <sip:1001@192.0.2.1>, <sip:1001@192.0.2.2>\r\n", credentials),
      wall_);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 403);
  EXPECT_TRUE(limited.lookup("1001", wall_).empty());
}

TEST_F(registrar_test, expiry_and_closed_websockets_remove_bindings) {
  ASSERT_EQ(register_through_challenge("1001", "secret1",
                                       "Contact: <sip:1001@192.0.2.1>;expires=60\r\n", 1)
                .status(),
            200);
  flow ws = udp_from("192.0.2.5", 40000);
  ws.transport = transport_kind::ws;
  ws.connection_id = 42;
  ASSERT_EQ(register_through_challenge(
                "1002", "secret2", "Contact: <sip:x@df7jal23ls0d.invalid;transport=ws>\r\n", 1, ws)
                .status(),
            200);
  flow tcp = ws;
  tcp.transport = transport_kind::tcp;
  registrar_.connection_closed(tcp);
  EXPECT_EQ(registrar_.lookup("1002", wall_).size(), 1u) << "only WebSocket bindings die with it";
  registrar_.connection_closed(ws);
  EXPECT_TRUE(registrar_.lookup("1002", wall_).empty());

  EXPECT_EQ(registrar_.lookup("1001", wall_ + 59s).size(), 1u);
  EXPECT_TRUE(registrar_.lookup("1001", wall_ + 61s).empty()) << "lookup hides expired bindings";
  registrar_.expire(wall_ + 61s);
  EXPECT_EQ(registrar_.stats().expired, 1u);
  EXPECT_EQ(registrar_.stats().bindings, 0u);
  EXPECT_EQ(kept_.back().removals,
            (std::vector<std::pair<std::string, std::string>>{{"1001", "sip:1001@192.0.2.1"}}));
}

TEST_F(registrar_test, restore_skips_expired_bindings) {
  binding live{"1001", "sip:1001@192.0.2.1", udp_from("192.0.2.1"), "c", 1, "", 0, 1000,
               "",     wall_ - 10s,          wall_ + 100s};
  binding dead = live;
  dead.contact = "sip:1001@192.0.2.2";
  dead.expires_at = wall_ - 1s;
  registrar_.restore({live, dead}, wall_);
  const auto found = registrar_.lookup("1001", wall_);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], live);
}

}  // namespace
}  // namespace callcenterd::sip
