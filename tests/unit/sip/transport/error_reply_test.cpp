#include "error_reply.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "callcenterd/sip/error.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/parser.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

flow source() {
  flow f;
  f.transport = transport_kind::udp;
  f.remote_address = boost::asio::ip::make_address("198.51.100.7");
  f.remote_port = 40000;
  return f;
}

const std::string bad_length =
    "INVITE sip:queue@pbx.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776;rport\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKfirst\r\n"
    "From: \"Alice\" <sip:alice@example.org>;tag=1928\r\n"
    "To: <sip:queue@pbx.example.com>\r\n"
    "Call-ID: a84b4c76e66710@192.0.2.10\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Length: many\r\n"
    "\r\n";

const error_status bad_request{400, "Missing or Bad Content-Length"};

sip_message parse_reply(const std::optional<std::string>& reply) {
  EXPECT_TRUE(reply);
  if (!reply) return {};
  auto parsed = parse_message(*reply);
  EXPECT_TRUE(parsed) << *reply;
  return parsed ? *parsed : sip_message{};
}

TEST(error_reply, copies_the_routing_headers_and_stamps_the_top_via) {
  const auto reply = parse_reply(build_error_reply(bad_length, bad_request, source()));
  EXPECT_EQ(reply.status(), 400);
  EXPECT_EQ(reply.reason(), "Missing or Bad Content-Length");
  const auto vias = reply.header_values("Via");
  ASSERT_EQ(vias.size(), 2u);
  auto top = parse_via(vias[0]);
  ASSERT_TRUE(top);
  EXPECT_EQ(find_param(top->params, "received"), "198.51.100.7");
  EXPECT_EQ(find_param(top->params, "rport"), "40000");
  EXPECT_EQ(top->branch(), "z9hG4bK776");
  EXPECT_EQ(vias[1], "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKfirst");
  EXPECT_EQ(reply.header("From"), "\"Alice\" <sip:alice@example.org>;tag=1928");
  EXPECT_EQ(reply.header("Call-ID"), "a84b4c76e66710@192.0.2.10");
  EXPECT_EQ(reply.header("CSeq"), "314159 INVITE");
  EXPECT_EQ(reply.header("Content-Length"), "0");
  auto to = parse_name_addr(*reply.header("To"));
  ASSERT_TRUE(to);
  EXPECT_TRUE(find_param(to->params, "tag"));
}

TEST(error_reply, same_request_same_to_tag) {
  EXPECT_EQ(build_error_reply(bad_length, bad_request, source()),
            build_error_reply(bad_length, bad_request, source()));
}

TEST(error_reply, keeps_an_existing_to_tag) {
  std::string text = bad_length;
  text.replace(text.find("To: <sip:queue@pbx.example.com>"), 31,
               "To: <sip:queue@pbx.example.com>;tag=xyz");
  const auto reply = parse_reply(build_error_reply(text, bad_request, source()));
  EXPECT_EQ(reply.header("To"), "<sip:queue@pbx.example.com>;tag=xyz");
}

TEST(error_reply, reads_compact_names_bare_line_feeds_and_folding) {
  const std::string text =
      "OPTIONS sip:x@y SIP/2.0\n"
      "v: SIP/2.0/TCP 192.0.2.10\n"
      "  ;branch=z9hG4bKfold\n"
      "f: <sip:a@b>;tag=9\n"
      "t: <sip:x@y>\n"
      "i: call-1\n"
      "cseq: 7 OPTIONS\n"
      "\n";
  const auto reply = parse_reply(build_error_reply(text, {400, "Bad"}, source()));
  auto top = parse_via(reply.header_values("Via").at(0));
  ASSERT_TRUE(top);
  EXPECT_EQ(top->branch(), "z9hG4bKfold");
  EXPECT_EQ(find_param(top->params, "received"), "198.51.100.7");
  EXPECT_FALSE(find_param(top->params, "rport"));
  EXPECT_EQ(reply.header("Call-ID"), "call-1");
  EXPECT_EQ(reply.header("CSeq"), "7 OPTIONS");
}

TEST(error_reply, nothing_for_unroutable_bytes) {
  const auto build = [](std::string_view raw) {
    return build_error_reply(raw, {400, "Bad"}, source());
  };
  EXPECT_FALSE(build(""));
  EXPECT_FALSE(build("\r\n\r\n"));
  EXPECT_FALSE(build("hello world\r\n\r\n"));
  EXPECT_FALSE(build("INVITE sip:a@b SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n"));  // no Via
  EXPECT_FALSE(build("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n"));
  EXPECT_FALSE(
      build("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
            "CSeq: 1 INVITE\r\nContent-Length: x\r\n\r\n"));
  EXPECT_FALSE(
      build("ACK sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
            "CSeq: 1 ACK\r\nContent-Length: x\r\n\r\n"));
  EXPECT_FALSE(build("ACK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 ACK\r\n\r\n"));
}

TEST(error_reply, control_characters_never_reach_the_reply) {
  std::string text = bad_length;
  text.replace(text.find("a84b4c76"), 8, std::string("a8\0\x01\x7f\r4c", 8));
  const auto reply = build_error_reply(text, bad_request, source());
  ASSERT_TRUE(reply);
  for (char c : reply->substr(0, reply->size() - 4)) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte >= 0x20 || c == '\r' || c == '\n') << int(byte);
  }
  EXPECT_EQ(parse_reply(reply).header("Call-ID"), "a84ce66710@192.0.2.10");
}

TEST(error_reply, overlong_lines_are_left_out) {
  std::string text = bad_length;
  text.insert(text.find("From:"), "Via: SIP/2.0/UDP " + std::string(9000, 'h') + "\r\n");
  const auto reply = parse_reply(build_error_reply(text, bad_request, source()));
  EXPECT_EQ(reply.header_values("Via").size(), 2u);
}

TEST(error_reply, status_for_maps_parse_errors) {
  EXPECT_EQ(status_for(make_error_code(sip_errc::bad_version)).code, 505);
  EXPECT_EQ(status_for(make_error_code(sip_errc::message_too_large)).code, 513);
  const auto length = status_for(make_error_code(sip_errc::bad_content_length));
  EXPECT_EQ(length.code, 400);
  EXPECT_EQ(length.reason, "Missing or Bad Content-Length");
  EXPECT_EQ(status_for(make_error_code(boost::system::errc::io_error)).code, 400);
}

// Whatever the bytes, the builder stays inside them (ASan watches) and any reply it makes is
// a message our own parser accepts.
void expect_sane(std::string_view raw) {
  const auto reply = build_error_reply(raw, bad_request, source());
  if (reply) {
    EXPECT_TRUE(parse_message(*reply)) << *reply;
  }
}

TEST(error_reply, every_truncation_is_handled) {
  for (std::size_t n = 0; n <= bad_length.size(); ++n) {
    // A heap copy of exactly n bytes, so a read past the end is caught.
    const std::string prefix = bad_length.substr(0, n);
    expect_sane(prefix);
  }
}

TEST(error_reply, random_mutations_are_handled) {
  std::mt19937 random(20240611);  // fixed seed: the same cases every run
  const std::string alphabet = "\r\n:;,<>\" \t\\=@vtfi\x01\x80\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string text = bad_length;
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits; ++e) {
      const auto at = random() % text.size();
      switch (random() % 3) {
        case 0:
          text[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1 + random() % 20);
          break;
        default:
          text.insert(at, 1 + random() % 4, alphabet[random() % alphabet.size()]);
      }
      if (text.empty()) text = "x";
    }
    expect_sane(text);
  }
}

}  // namespace
}  // namespace callcenterd::sip::transport_detail
