#include "inbound.hpp"

#include <gtest/gtest.h>

#include "callcenterd/sip/header_values.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

using boost::asio::ip::make_address;

via_value via(std::string_view text) {
  auto parsed = parse_via(text);
  EXPECT_TRUE(parsed) << text;
  return parsed ? *parsed : via_value{};
}

TEST(stamp_via, host_name_gets_received) {
  auto v = via("SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK1");
  EXPECT_TRUE(stamp_via(v, make_address("192.0.2.4"), 5060));
  EXPECT_EQ(to_string(v), "SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK1;received=192.0.2.4");
}

TEST(stamp_via, matching_address_without_rport_is_left_alone) {
  auto v = via("SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1");
  EXPECT_FALSE(stamp_via(v, make_address("192.0.2.4"), 6000));
  EXPECT_EQ(to_string(v), "SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1");
}

TEST(stamp_via, empty_rport_is_filled_and_received_always_added) {
  auto v = via("SIP/2.0/UDP 192.0.2.4:5060;rport;branch=z9hG4bK1");
  EXPECT_TRUE(stamp_via(v, make_address("192.0.2.4"), 6000));
  EXPECT_EQ(to_string(v),
            "SIP/2.0/UDP 192.0.2.4:5060;rport=6000;branch=z9hG4bK1;received=192.0.2.4");
}

TEST(stamp_via, rport_with_a_value_is_kept) {
  auto v = via("SIP/2.0/UDP 10.0.0.1;rport=1234;branch=z9hG4bK1");
  EXPECT_TRUE(stamp_via(v, make_address("192.0.2.4"), 6000));
  EXPECT_EQ(find_param(v.params, "rport"), "1234");
  EXPECT_EQ(find_param(v.params, "received"), "192.0.2.4");
}

TEST(stamp_via, a_forged_received_is_replaced) {
  auto v = via("SIP/2.0/UDP 10.0.0.1;received=1.1.1.1;branch=z9hG4bK1");
  EXPECT_TRUE(stamp_via(v, make_address("192.0.2.4"), 6000));
  EXPECT_EQ(to_string(v), "SIP/2.0/UDP 10.0.0.1;received=192.0.2.4;branch=z9hG4bK1");
}

TEST(stamp_via, ipv6_addresses_compare_by_value) {
  auto same = via("SIP/2.0/UDP [2001:db8:0::1]:5060;branch=z9hG4bK1");
  EXPECT_FALSE(stamp_via(same, make_address("2001:db8::1"), 5060));
  auto other = via("SIP/2.0/UDP [2001:db8::2];branch=z9hG4bK1");
  EXPECT_TRUE(stamp_via(other, make_address("2001:db8::1"), 5060));
  EXPECT_EQ(find_param(other.params, "received"), "2001:db8::1");
}

TEST(is_keep_alive, only_line_breaks) {
  EXPECT_TRUE(is_keep_alive("\r\n\r\n"));
  EXPECT_TRUE(is_keep_alive("\r\n"));
  EXPECT_FALSE(is_keep_alive(""));
  EXPECT_FALSE(is_keep_alive("\r\nx"));
}

flow from(std::string_view address, std::uint16_t port) {
  flow f;
  f.transport = transport_kind::udp;
  f.remote_address = make_address(address);
  f.remote_port = port;
  return f;
}

const std::string request =
    "MESSAGE sip:agent@pbx SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKtop;rport, SIP/2.0/UDP "
    "10.0.0.9;branch=z9hG4bK2\r\n"
    "Via: SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK3\r\n"
    "From: <sip:a@b>;tag=1\r\n"
    "To: <sip:agent@pbx>\r\n"
    "Call-ID: c1\r\n"
    "CSeq: 5 MESSAGE\r\n"
    "X-Custom: kept\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

TEST(process_inbound, request_top_via_is_stamped_and_the_rest_kept) {
  const auto now = std::chrono::steady_clock::now();
  auto result = process_inbound(request, from("203.0.113.9", 41000), {}, now);
  ASSERT_TRUE(result.message) << result.problem;
  const auto& m = result.message->message;
  EXPECT_EQ(m.method(), "MESSAGE");
  EXPECT_EQ(m.header_values("Via"),
            (std::vector<std::string>{
                "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKtop;rport=41000;received=203.0.113.9",
                "SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK2", "SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK3"}));
  EXPECT_EQ(m.headers().size(), 8u);
  EXPECT_EQ(m.headers()[6].name, "X-Custom");
  EXPECT_EQ(m.body(), "hello");
  EXPECT_EQ(result.message->source, from("203.0.113.9", 41000));
  EXPECT_EQ(result.message->received_at, now);
  EXPECT_FALSE(result.reply);
}

TEST(process_inbound, responses_pass_unchanged) {
  const std::string response =
      "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1;rport\r\n"
      "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  auto result = process_inbound(response, from("203.0.113.9", 41000), {}, {});
  ASSERT_TRUE(result.message);
  EXPECT_EQ(result.message->message.header("Via"), "SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1;rport");
}

TEST(process_inbound, request_without_call_id_is_answered) {
  std::string text = request;
  text.erase(text.find("Call-ID: c1\r\n"), 13);
  auto result = process_inbound(text, from("203.0.113.9", 41000), {}, {});
  EXPECT_FALSE(result.message);
  EXPECT_EQ(result.problem, "Missing Call-ID");
  ASSERT_TRUE(result.reply);
  EXPECT_EQ(result.reply->substr(0, 29), "SIP/2.0 400 Missing Call-ID\r\n");
}

TEST(process_inbound, cseq_method_must_match) {
  std::string text = request;
  text.replace(text.find("5 MESSAGE"), 9, "5 INVITE");
  auto result = process_inbound(text, from("203.0.113.9", 41000), {}, {});
  EXPECT_FALSE(result.message);
  EXPECT_EQ(result.problem, "CSeq Method Mismatch");
  EXPECT_TRUE(result.reply);
}

TEST(process_inbound, wrong_version_gets_505) {
  std::string text = request;
  text.replace(text.find("SIP/2.0\r\n"), 7, "SIP/3.0");
  auto result = process_inbound(text, from("203.0.113.9", 41000), {}, {});
  ASSERT_TRUE(result.reply);
  EXPECT_EQ(result.reply->substr(0, 34), "SIP/2.0 505 Version Not Supported\r");
}

TEST(process_inbound, malformed_response_is_dropped_silently) {
  const std::string response = "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
  auto result = process_inbound(response, from("203.0.113.9", 41000), {}, {});
  EXPECT_FALSE(result.message);
  EXPECT_FALSE(result.reply);
  EXPECT_FALSE(result.problem.empty());
}

TEST(process_inbound, limits_apply) {
  parse_limits limits;
  limits.max_message_size = 100;
  auto result = process_inbound(request, from("203.0.113.9", 41000), limits, {});
  EXPECT_FALSE(result.message);
  ASSERT_TRUE(result.reply);
  EXPECT_EQ(result.reply->substr(0, 11), "SIP/2.0 513");
}

}  // namespace
}  // namespace callcenterd::sip::transport_detail
