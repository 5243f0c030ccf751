#include "callcenterd/sip/message.hpp"

#include <gtest/gtest.h>

namespace callcenterd::sip {
namespace {

TEST(sip_header_names, compact_forms_expand) {
  const std::pair<const char*, const char*> forms[] = {{"i", "Call-ID"},
                                                       {"m", "Contact"},
                                                       {"e", "Content-Encoding"},
                                                       {"l", "Content-Length"},
                                                       {"c", "Content-Type"},
                                                       {"f", "From"},
                                                       {"s", "Subject"},
                                                       {"k", "Supported"},
                                                       {"t", "To"},
                                                       {"v", "Via"},
                                                       {"o", "Event"},
                                                       {"r", "Refer-To"},
                                                       {"b", "Referred-By"},
                                                       {"x", "Session-Expires"},
                                                       {"u", "Allow-Events"}};
  for (const auto& [compact, full] : forms) {
    EXPECT_EQ(expand_header_name(compact), full);
    EXPECT_TRUE(same_header_name(compact, full));
    std::string upper(1, static_cast<char>(compact[0] - 'a' + 'A'));
    EXPECT_EQ(expand_header_name(upper), full);
  }
  EXPECT_EQ(expand_header_name("q"), "q");
  EXPECT_TRUE(same_header_name("CALL-id", "call-ID"));
  EXPECT_FALSE(same_header_name("To", "From"));
}

TEST(sip_header_list, splits_outside_quotes_and_angles) {
  auto parts =
      split_header_list(R"("Doe, John" <sip:j@x.com;a=b,c>;q=1 , <sip:k@y.com>,,sip:z@z.com)");
  ASSERT_EQ(parts.size(), 3U);
  EXPECT_EQ(parts[0], R"("Doe, John" <sip:j@x.com;a=b,c>;q=1)");
  EXPECT_EQ(parts[1], "<sip:k@y.com>");
  EXPECT_EQ(parts[2], "sip:z@z.com");

  auto escaped = split_header_list(R"("a \" , b" <sip:a@b>, x)");
  ASSERT_EQ(escaped.size(), 2U);
  EXPECT_EQ(escaped[1], "x");
}

TEST(sip_message_headers, lookup_and_concatenation) {
  auto m = sip_message::make_response(200, "OK");
  m.add_header("v", "SIP/2.0/UDP a.example.com;branch=z9hG4bK1");
  m.add_header("Call-ID", "abc");
  m.add_header("VIA", "SIP/2.0/UDP b.example.com;branch=z9hG4bK2, SIP/2.0/TCP c;branch=z9hG4bK3");
  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.header("via"), "SIP/2.0/UDP a.example.com;branch=z9hG4bK1");
  EXPECT_EQ(m.header("i"), "abc");
  EXPECT_FALSE(m.header("Contact"));
  auto vias = m.header_values("Via");
  ASSERT_EQ(vias.size(), 3U);
  EXPECT_EQ(vias[2], "SIP/2.0/TCP c;branch=z9hG4bK3");
  m.remove_headers("V");
  EXPECT_FALSE(m.header("Via"));
  EXPECT_EQ(m.headers().size(), 1U);
}

TEST(sip_message_serialize, writes_canonical_text_with_correct_length) {
  auto uri = parse_uri("sip:bob@example.com");
  ASSERT_TRUE(uri);
  auto m = sip_message::make_request("INFO", *uri);
  m.add_header("f", "<sip:a@example.com>;tag=1");
  m.add_header("Content-Length", "999");
  m.add_header("c", "application/dtmf-relay");
  m.set_body("Signal=5\r\nDuration=160\r\n");
  EXPECT_EQ(to_string(m),
            "INFO sip:bob@example.com SIP/2.0\r\n"
            "From: <sip:a@example.com>;tag=1\r\n"
            "Content-Type: application/dtmf-relay\r\n"
            "Content-Length: 24\r\n"
            "\r\n"
            "Signal=5\r\nDuration=160\r\n");
  EXPECT_EQ(to_string(sip_message::make_response(486, "Busy Here")),
            "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n");
}

TEST(sip_message_serialize, text_is_allocated_at_its_exact_size) {
  // Answers are held 32 s for retransmissions; spare capacity would be held with them.
  auto response = sip_message::make_response(200, "OK");
  for (int i = 0; i < 12; ++i) {
    response.add_header("Via", "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK.peer." +
                                   std::to_string(i) + ";received=198.51.100.7;rport=5060");
  }
  response.set_body(std::string(100, 'x'));
  const auto text = to_string(response);
  EXPECT_GT(text.size(), 700U);
  EXPECT_EQ(text.capacity(), text.size());
  auto uri = parse_uri("sip:bob@example.com");
  ASSERT_TRUE(uri);
  const auto request = to_string(sip_message::make_request("OPTIONS", *uri));
  EXPECT_EQ(request, "OPTIONS sip:bob@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(request.capacity(), request.size());
}

}  // namespace
}  // namespace callcenterd::sip
