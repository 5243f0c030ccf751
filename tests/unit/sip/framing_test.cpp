#include <gtest/gtest.h>

#include "callcenterd/sip/error.hpp"
#include "callcenterd/sip/parser.hpp"
#include "fixtures.hpp"

namespace callcenterd::sip {
namespace {

using kind = frame_result::kind;

TEST(sip_framing, whole_message_with_body) {
  auto bytes = test::load_fixture("invite_sdp.sip");
  auto f = frame_message(bytes + "OPTIONS sip:next");
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->what, kind::message);
  EXPECT_EQ(f->skipped, 0U);
  EXPECT_EQ(f->size, bytes.size());
}

TEST(sip_framing, keep_alives_are_skipped_and_reported) {
  auto ping = frame_message("\r\n\r\n");
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->what, kind::keep_alive);
  EXPECT_EQ(ping->skipped, 4U);
  EXPECT_TRUE(ping->ping);

  auto pong = frame_message("\r\n");
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->what, kind::keep_alive);
  EXPECT_FALSE(pong->ping);

  auto empty = frame_message("");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->what, kind::need_more);

  auto bytes = test::load_fixture("bye.sip");
  auto after = frame_message("\r\n\r\n" + bytes);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->what, kind::message);
  EXPECT_EQ(after->skipped, 4U);
  EXPECT_TRUE(after->ping);
  EXPECT_EQ(after->size, bytes.size());
}

TEST(sip_framing, bare_lf_line_ends) {
  std::string text = "OPTIONS sip:h.example.com SIP/2.0\nl: 2\n\nab";
  auto f = frame_message(text + "xyz");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->what, kind::message);
  EXPECT_EQ(f->size, text.size());
}

TEST(sip_framing, content_length_is_required_on_streams) {
  auto f = frame_message("SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error(), make_error_code(sip_errc::bad_content_length));
}

TEST(sip_framing, limits_fail_early) {
  parse_limits limits;
  limits.max_message_size = 200;
  limits.max_header_line = 50;
  // An endless header line is refused before its end arrives.
  auto line =
      frame_message("OPTIONS sip:h.com SIP/2.0\r\nSubject: " + std::string(60, 'a'), limits);
  ASSERT_FALSE(line);
  EXPECT_EQ(line.error(), make_error_code(sip_errc::header_too_long));

  std::string headers = "OPTIONS sip:h.com SIP/2.0\r\n";
  while (headers.size() <= 200) headers += "X-A: b\r\n";
  auto big = frame_message(headers, limits);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), make_error_code(sip_errc::message_too_large));

  auto body = frame_message("SIP/2.0 200 OK\r\nl: 190\r\n\r\n", limits);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error(), make_error_code(sip_errc::message_too_large));
}

// Two messages back to back, the second preceded by a keep-alive: framing then consuming the
// front must give both messages exactly.
TEST(sip_framing, consecutive_messages) {
  auto a = test::load_fixture("register.sip");
  auto b = test::load_fixture("response_200_vias.sip");
  std::string stream = a + "\r\n\r\n" + b;
  std::vector<std::string> messages;
  std::string_view rest = stream;
  while (!rest.empty()) {
    auto f = frame_message(rest);
    ASSERT_TRUE(f);
    rest.remove_prefix(f->skipped);
    if (f->what != kind::message) break;
    messages.emplace_back(rest.substr(0, f->size));
    rest.remove_prefix(f->size);
  }
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0], a);
  EXPECT_EQ(messages[1], b);
  EXPECT_TRUE(parse_message(messages[1]));
}

// What a connection does with its buffer: drop the skipped keep-alive bytes, cut off each
// complete message, keep the rest for the next read.
struct stream_reader {
  std::string buffer;
  std::vector<std::string> messages;
  std::size_t skipped = 0;

  void feed(std::string_view chunk) {
    buffer.append(chunk);
    while (true) {
      auto f = frame_message(buffer);
      ASSERT_TRUE(f) << f.error().message();
      skipped += f->skipped;
      buffer.erase(0, f->skipped);
      if (f->what != kind::message) return;
      messages.push_back(buffer.substr(0, f->size));
      buffer.erase(0, f->size);
    }
  }
};

TEST(sip_framing, every_split_point_frames_like_the_whole) {
  for (const auto& name : test::valid_fixture_names()) {
    SCOPED_TRACE(name);
    auto message = test::load_fixture(name);
    auto bytes = "\r\n\r\n" + message;
    stream_reader whole;
    whole.feed(bytes);
    ASSERT_EQ(whole.messages.size(), 1U);
    EXPECT_EQ(whole.messages[0], message);
    EXPECT_EQ(whole.skipped, 4U);
    EXPECT_TRUE(whole.buffer.empty());
    for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
      stream_reader split;
      split.feed(std::string_view(bytes).substr(0, cut));
      if (cut < bytes.size()) {
        EXPECT_TRUE(split.messages.empty()) << "cut " << cut;
      }
      split.feed(std::string_view(bytes).substr(cut));
      EXPECT_EQ(split.messages, whole.messages) << "cut " << cut;
      EXPECT_EQ(split.skipped, whole.skipped) << "cut " << cut;
      EXPECT_TRUE(split.buffer.empty()) << "cut " << cut;
    }
  }
}

}  // namespace
}  // namespace callcenterd::sip
