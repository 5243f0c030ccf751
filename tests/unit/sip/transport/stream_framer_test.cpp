#include "stream_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "callcenterd/sip/error.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

const std::string invite =
    "INVITE sip:queue@pbx.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK776\r\n"
    "From: <sip:alice@example.org>;tag=1\r\n"
    "To: <sip:queue@pbx.example.com>\r\n"
    "Call-ID: abc@192.0.2.10\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 29\r\n"
    "\r\n"
    "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n";

const std::string bye =
    "BYE sip:queue@pbx.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK777\r\n"
    "Call-ID: abc@192.0.2.10\r\n"
    "CSeq: 2 BYE\r\n"
    "l: 0\r\n"
    "\r\n";

// What a framer produces for `pieces` fed in order: message texts, "<ping>", "<error>".
// Keep-alives without a ping are left out: how many there are depends on the split.
std::vector<std::string> events_for(const std::vector<std::string>& pieces,
                                    const parse_limits& limits = {}) {
  stream_framer framer(limits);
  std::vector<std::string> out;
  for (const auto& piece : pieces) {
    framer.append(piece);
    while (auto event = framer.next()) {
      switch (event->what) {
        case stream_event::kind::message:
          out.push_back(event->bytes);
          break;
        case stream_event::kind::ping:
          out.emplace_back("<ping>");
          break;
        case stream_event::kind::keep_alive:
          break;
        case stream_event::kind::error:
          out.emplace_back("<error>");
          break;
      }
    }
  }
  return out;
}

TEST(stream_framer, two_messages_in_one_piece) {
  EXPECT_EQ(events_for({invite + bye}), (std::vector<std::string>{invite, bye}));
}

TEST(stream_framer, every_split_offset_gives_the_same_messages) {
  // A ping first, a message with a body, a ping between messages, another message.
  const std::string stream = "\r\n\r\n" + invite + "\r\n\r\n" + bye;
  const std::vector<std::string> expected{"<ping>", invite, "<ping>", bye};
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    EXPECT_EQ(events_for({stream.substr(0, split), stream.substr(split)}), expected)
        << "split at " << split;
  }
}

TEST(stream_framer, one_byte_at_a_time) {
  const std::string stream = "\r\n\r\n" + invite + bye;
  std::vector<std::string> pieces;
  for (char c : stream) pieces.emplace_back(1, c);
  EXPECT_EQ(events_for(pieces), (std::vector<std::string>{"<ping>", invite, bye}));
}

TEST(stream_framer, lone_crlf_is_a_keep_alive_not_a_ping) {
  stream_framer framer({});
  framer.append("\r\n");
  EXPECT_FALSE(framer.next());  // could still become a ping
  framer.append(bye);
  auto keep_alive = framer.next();
  ASSERT_TRUE(keep_alive);
  EXPECT_EQ(keep_alive->what, stream_event::kind::keep_alive);
  auto event = framer.next();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->what, stream_event::kind::message);
  EXPECT_EQ(event->bytes, bye);
}

TEST(stream_framer, crlf_runs_are_consumed_as_keep_alives) {
  stream_framer framer({});
  framer.append("\n\r\n");
  auto event = framer.next();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->what, stream_event::kind::keep_alive);
  EXPECT_EQ(framer.pending(), "\r\n");
}

TEST(stream_framer, missing_content_length_fails_for_good) {
  const std::string headless =
      "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n";
  stream_framer framer({});
  framer.append("\r\n\r\n" + headless);
  auto ping = framer.next();
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->what, stream_event::kind::ping);
  auto error = framer.next();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->what, stream_event::kind::error);
  EXPECT_EQ(error->error, make_error_code(sip_errc::bad_content_length));
  EXPECT_EQ(framer.pending(), headless);
  EXPECT_TRUE(framer.failed());
  framer.append(bye);
  EXPECT_FALSE(framer.next());
}

TEST(stream_framer, header_block_over_the_limit_fails_before_it_ends) {
  parse_limits limits;
  limits.max_message_size = 256;
  stream_framer framer(limits);
  framer.append("INVITE sip:a@b SIP/2.0\r\n");
  EXPECT_FALSE(framer.next());
  framer.append("X-Filler: " + std::string(300, 'x'));
  auto event = framer.next();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->what, stream_event::kind::error);
}

TEST(stream_framer, waits_for_the_whole_body) {
  stream_framer framer({});
  framer.append(invite.substr(0, invite.size() - 1));
  EXPECT_FALSE(framer.next());
  framer.append(invite.substr(invite.size() - 1));
  auto event = framer.next();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->bytes, invite);
  EXPECT_TRUE(framer.pending().empty());
}

}  // namespace
}  // namespace callcenterd::sip::transport_detail
