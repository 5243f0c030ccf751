#include "callcenterd/media/dtmf_info.hpp"

#include <gtest/gtest.h>

#include <string>

namespace callcenterd::media {
namespace {

using std::chrono::milliseconds;

dtmf_info info(dtmf_key key, std::optional<milliseconds> duration = std::nullopt) {
  return {key, duration};
}

TEST(dtmf_key, maps_characters_and_event_codes_both_ways) {
  const std::string keys = "0123456789*#ABCD";
  for (std::size_t code = 0; code < keys.size(); ++code) {
    const auto key = dtmf_key_from_char(keys[code]);
    ASSERT_TRUE(key) << keys[code];
    EXPECT_EQ(to_event_code(*key), code);
    EXPECT_EQ(to_char(*key), keys[code]);
    EXPECT_EQ(dtmf_key_from_event_code(static_cast<std::uint8_t>(code)), key);
  }
  EXPECT_EQ(dtmf_key_from_char('c'), dtmf_key::c);
  EXPECT_FALSE(dtmf_key_from_char('E'));
  EXPECT_FALSE(dtmf_key_from_char(' '));
  EXPECT_FALSE(dtmf_key_from_event_code(16));
  EXPECT_FALSE(dtmf_key_from_event_code(255));
}

TEST(dtmf_relay, signal_and_duration) {
  EXPECT_EQ(parse_dtmf_relay("Signal=5\r\nDuration=160\r\n"),
            info(dtmf_key::five, milliseconds(160)));
  EXPECT_EQ(parse_dtmf_relay("Signal=5\nDuration=160\n"), info(dtmf_key::five, milliseconds(160)));
  EXPECT_EQ(parse_dtmf_relay("Signal=5\rDuration=160"), info(dtmf_key::five, milliseconds(160)));
  EXPECT_EQ(parse_dtmf_relay("Duration=250\r\nSignal=9"), info(dtmf_key::nine, milliseconds(250)));
  EXPECT_EQ(parse_dtmf_relay("Signal=1"), info(dtmf_key::one));
}

TEST(dtmf_relay, blanks_and_case) {
  EXPECT_EQ(parse_dtmf_relay("  Signal = 3 \r\n\tDuration=\t100 \r\n\r\n"),
            info(dtmf_key::three, milliseconds(100)));
  EXPECT_EQ(parse_dtmf_relay("SIGNAL=4\r\nduration=90\r\n"),
            info(dtmf_key::four, milliseconds(90)));
  EXPECT_EQ(parse_dtmf_relay("signal=d\r\n"), info(dtmf_key::d));
}

TEST(dtmf_relay, every_key_as_character_and_the_numeric_forms) {
  const std::string keys = "0123456789*#ABCD";
  for (const char c : keys) {
    const auto parsed = parse_dtmf_relay(std::string("Signal=") + c + "\r\nDuration=100\r\n");
    ASSERT_TRUE(parsed) << c;
    EXPECT_EQ(to_char(parsed->key), c);
  }
  EXPECT_EQ(parse_dtmf_relay("Signal=10\r\n"), info(dtmf_key::star));
  EXPECT_EQ(parse_dtmf_relay("Signal=11\r\n"), info(dtmf_key::hash));
  EXPECT_EQ(parse_dtmf_relay("Signal=12\r\n"), info(dtmf_key::a));
  EXPECT_EQ(parse_dtmf_relay("Signal=15\r\n"), info(dtmf_key::d));
}

TEST(dtmf_relay, unusable_duration_keeps_the_key) {
  EXPECT_EQ(parse_dtmf_relay("Signal=2\r\nDuration=abc\r\n"), info(dtmf_key::two));
  EXPECT_EQ(parse_dtmf_relay("Signal=2\r\nDuration=\r\n"), info(dtmf_key::two));
  EXPECT_EQ(parse_dtmf_relay("Signal=2\r\nDuration=-5\r\n"), info(dtmf_key::two));
  EXPECT_EQ(parse_dtmf_relay("Signal=2\r\nDuration=99999999999999999999\r\n"), info(dtmf_key::two));
  EXPECT_EQ(parse_dtmf_relay("Signal=2\r\nDuration=600000\r\n"), info(dtmf_key::two));
  EXPECT_EQ(parse_dtmf_relay("Signal=2\r\nVolume=10\r\n"), info(dtmf_key::two));
}

TEST(dtmf_relay, garbage) {
  for (const char* body : {"", "\r\n", "hello", "Signal=", "Signal=E", "Signal=16", "Signal=55",
                           "Signal=5x", "Signal=5 5", "Signal:5", "Duration=100",
                           "Signal=1\r\nSignal=2", "Signal=1\r\njunk", "=5", "Signal==5"}) {
    EXPECT_FALSE(parse_dtmf_relay(body)) << body;
  }
  EXPECT_FALSE(parse_dtmf_relay("Signal=5\r\n" + std::string(2000, ' ')));
}

TEST(application_dtmf, key_alone) {
  EXPECT_EQ(parse_application_dtmf("5"), info(dtmf_key::five));
  EXPECT_EQ(parse_application_dtmf(" 7\r\n"), info(dtmf_key::seven));
  EXPECT_EQ(parse_application_dtmf("*"), info(dtmf_key::star));
  EXPECT_EQ(parse_application_dtmf("#"), info(dtmf_key::hash));
  EXPECT_EQ(parse_application_dtmf("11"), info(dtmf_key::hash));
  EXPECT_EQ(parse_application_dtmf("10"), info(dtmf_key::star));
  EXPECT_EQ(parse_application_dtmf("a"), info(dtmf_key::a));
}

TEST(application_dtmf, garbage) {
  for (const char* body : {"", " ", "x", "55", "16", "5 5", "Signal=5", "-1"}) {
    EXPECT_FALSE(parse_application_dtmf(body)) << body;
  }
}

TEST(dtmf_info, chooses_by_content_type) {
  EXPECT_EQ(parse_dtmf_info("application/dtmf-relay", "Signal=#\r\nDuration=200\r\n"),
            info(dtmf_key::hash, milliseconds(200)));
  EXPECT_EQ(parse_dtmf_info(" Application/DTMF-Relay ; charset=utf-8", "Signal=1"),
            info(dtmf_key::one));
  EXPECT_EQ(parse_dtmf_info("application/dtmf", "4"), info(dtmf_key::four));
  EXPECT_FALSE(parse_dtmf_info("application/dtmf", "Signal=4"));
  EXPECT_FALSE(parse_dtmf_info("text/plain", "4"));
  EXPECT_FALSE(parse_dtmf_info("", "Signal=4"));
}

}  // namespace
}  // namespace callcenterd::media
