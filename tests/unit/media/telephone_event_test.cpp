#include "callcenterd/media/telephone_event.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace callcenterd::media {
namespace {

using payload = std::array<std::uint8_t, telephone_event_size>;

payload block(std::uint8_t event, bool end, std::uint16_t duration, std::uint8_t volume = 10) {
  payload out{};
  write_telephone_event(telephone_event{event, end, volume, duration}, out);
  return out;
}

// Everything the receiver said, as text: "+5@1000" for a press, "-5@1000/800" for a release.
class recorder : public telephone_event_listener {
 public:
  void on_key_pressed(dtmf_key key, std::uint32_t rtp_timestamp) override {
    log.push_back(std::string("+") + to_char(key) + "@" + std::to_string(rtp_timestamp));
    keys += to_char(key);
  }
  void on_key_released(dtmf_key key, std::uint32_t rtp_timestamp, std::uint32_t duration) override {
    log.push_back(std::string("-") + to_char(key) + "@" + std::to_string(rtp_timestamp) + "/" +
                  std::to_string(duration));
  }

  std::vector<std::string> log;
  std::string keys;
};

struct packet {
  std::uint32_t timestamp;
  bool marker;
  payload bytes;
};

// What a well-behaved phone sends for one press: start with the marker, updates every 160
// units, the end three times.
std::vector<packet> press(std::uint8_t event, std::uint32_t timestamp, int updates) {
  std::vector<packet> out;
  std::uint16_t duration = 160;
  out.push_back({timestamp, true, block(event, false, duration)});
  for (int i = 0; i < updates; ++i) {
    duration += 160;
    out.push_back({timestamp, false, block(event, false, duration)});
  }
  duration += 160;
  for (int i = 0; i < 3; ++i) out.push_back({timestamp, false, block(event, true, duration)});
  return out;
}

void deliver(telephone_event_receiver& receiver, const std::vector<packet>& packets) {
  for (const auto& p : packets) EXPECT_TRUE(receiver.on_packet(p.timestamp, p.marker, p.bytes));
}

TEST(telephone_event_payload, reads_fields_byte_by_byte) {
  const std::array<std::uint8_t, 4> bytes = {0x05, 0x8A, 0x03, 0x20};
  const auto event = parse_telephone_event(bytes);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->event, 5);
  EXPECT_TRUE(event->end);
  EXPECT_EQ(event->volume, 10);
  EXPECT_EQ(event->duration, 800);

  // The reserved bit is ignored, not mistaken for E or volume.
  const std::array<std::uint8_t, 4> reserved = {0x0B, 0x7F, 0xFF, 0xFF};
  const auto hash = parse_telephone_event(reserved);
  ASSERT_TRUE(hash);
  EXPECT_EQ(*hash, (telephone_event{11, false, 63, 0xFFFF}));
}

TEST(telephone_event_payload, writes_fields_byte_by_byte) {
  payload out{};
  write_telephone_event(telephone_event{11, true, 10, 0x0320}, out);
  EXPECT_EQ(out, (payload{0x0B, 0x8A, 0x03, 0x20}));
  write_telephone_event(telephone_event{15, false, 200, 0xABCD}, out);
  EXPECT_EQ(out, (payload{0x0F, 0x3F, 0xAB, 0xCD}));  // volume clamped to 63, R written 0
  write_telephone_event(telephone_event{0, false, 0, 0}, out);
  EXPECT_EQ(out, (payload{0, 0, 0, 0}));
}

TEST(telephone_event_payload, round_trips) {
  for (const telephone_event e : {telephone_event{0, false, 0, 0}, telephone_event{9, true, 7, 1},
                                  telephone_event{16, true, 63, 0xFFFF}}) {
    payload out{};
    write_telephone_event(e, out);
    EXPECT_EQ(parse_telephone_event(out), e);
  }
}

TEST(telephone_event_payload, rejects_partial_blocks) {
  const std::array<std::uint8_t, 9> bytes = {1, 0x80, 0, 160, 2, 0x80, 0, 160, 0};
  EXPECT_FALSE(parse_telephone_event(std::span(bytes).first(0)));
  EXPECT_FALSE(parse_telephone_event(std::span(bytes).first(3)));
  EXPECT_FALSE(parse_telephone_event(std::span(bytes).first(5)));
  EXPECT_FALSE(parse_telephone_event(bytes));
  const auto first = parse_telephone_event(std::span(bytes).first(8));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->event, 1);
}

TEST(telephone_event_receiver, typical_press_is_reported_once) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto packets = press(5, 1000, 5);
  ASSERT_EQ(packets.size(), 9U);
  receiver.on_packet(packets[0].timestamp, packets[0].marker, packets[0].bytes);
  // Reported on the first packet, not when the press ends.
  EXPECT_EQ(r.log, (std::vector<std::string>{"+5@1000"}));
  deliver(receiver, std::vector(packets.begin() + 1, packets.end()));
  EXPECT_EQ(r.log, (std::vector<std::string>{"+5@1000", "-5@1000/1120"}));
}

TEST(telephone_event_receiver, lost_start_still_reports_once) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto packets = press(7, 2000, 5);
  deliver(receiver, std::vector(packets.begin() + 2, packets.end()));
  EXPECT_EQ(r.log, (std::vector<std::string>{"+7@2000", "-7@2000/1120"}));
}

TEST(telephone_event_receiver, end_packets_alone_report_once) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto packets = press(10, 3000, 5);
  deliver(receiver, std::vector(packets.end() - 3, packets.end()));
  EXPECT_EQ(r.log, (std::vector<std::string>{"+*@3000", "-*@3000/1120"}));
}

TEST(telephone_event_receiver, late_end_copies_after_next_press_are_ignored) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto first = press(1, 1000, 3);
  const auto second = press(2, 2000, 3);
  // The first press's end copies arrive while the second is under way.
  deliver(receiver, std::vector(first.begin(), first.end() - 2));
  deliver(receiver, std::vector(second.begin(), second.begin() + 2));
  deliver(receiver, std::vector(first.end() - 2, first.end()));
  deliver(receiver, std::vector(second.begin() + 2, second.end()));
  // And once more after everything.
  deliver(receiver, first);
  EXPECT_EQ(r.keys, "12");
  EXPECT_EQ(r.log, (std::vector<std::string>{"+1@1000", "-1@1000/800", "+2@2000", "-2@2000/800"}));
}

TEST(telephone_event_receiver, same_key_twice_is_two_presses) {
  recorder r;
  telephone_event_receiver receiver(r);
  deliver(receiver, press(5, 1000, 2));
  deliver(receiver, press(5, 1800, 2));
  EXPECT_EQ(r.keys, "55");
}

TEST(telephone_event_receiver, same_key_twice_with_both_ends_and_second_start_lost) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto first = press(5, 1000, 4);
  const auto second = press(5, 2400, 4);
  deliver(receiver, std::vector(first.begin(), first.end() - 3));
  deliver(receiver, std::vector(second.begin() + 1, second.end()));
  EXPECT_EQ(r.log, (std::vector<std::string>{"+5@1000", "-5@1000/800", "+5@2400", "-5@2400/960"}));
}

TEST(telephone_event_receiver, lost_end_is_inferred_when_the_next_press_starts) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto first = press(3, 1000, 5);
  deliver(receiver, std::vector(first.begin(), first.end() - 3));
  EXPECT_EQ(r.log, (std::vector<std::string>{"+3@1000"}));
  deliver(receiver, press(4, 3000, 1));
  EXPECT_EQ(r.log, (std::vector<std::string>{"+3@1000", "-3@1000/960", "+4@3000", "-4@3000/480"}));
}

TEST(telephone_event_receiver, press_seen_only_after_a_later_one_is_reported_late) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto early = press(8, 1000, 2);
  const auto later = press(9, 2000, 5);
  deliver(receiver, std::vector(later.begin(), later.begin() + 3));
  deliver(receiver, std::vector(early.end() - 3, early.end()));  // reordered far
  deliver(receiver, std::vector(later.begin() + 3, later.end()));
  EXPECT_EQ(r.keys, "98");
  EXPECT_EQ(r.log, (std::vector<std::string>{"+9@2000", "+8@1000", "-8@1000/640", "-9@2000/1120"}));
}

TEST(telephone_event_receiver, timestamps_wrap) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto first = press(1, 0xFFFFFF00U, 3);
  deliver(receiver, first);
  deliver(receiver, press(2, 0x00000200U, 3));
  deliver(receiver, first);
  EXPECT_EQ(r.keys, "12");
}

TEST(telephone_event_receiver, ignores_other_events_and_bad_payloads) {
  recorder r;
  telephone_event_receiver receiver(r);
  deliver(receiver, press(32, 1000, 2));  // a fax tone event, not a key
  const std::array<std::uint8_t, 3> short_payload = {5, 0x80, 0};
  EXPECT_FALSE(receiver.on_packet(2000, true, short_payload));
  EXPECT_TRUE(r.log.empty());
}

TEST(telephone_event_receiver, reads_consecutive_events_packed_in_one_packet) {
  recorder r;
  telephone_event_receiver receiver(r);
  std::array<std::uint8_t, 8> bytes{};
  write_telephone_event(telephone_event{1, true, 10, 800}, std::span(bytes).first<4>());
  write_telephone_event(telephone_event{2, false, 10, 320}, std::span(bytes).last<4>());
  EXPECT_TRUE(receiver.on_packet(5000, true, bytes));
  EXPECT_TRUE(receiver.on_packet(5000, true, bytes));  // a copy changes nothing
  EXPECT_EQ(r.log, (std::vector<std::string>{"+1@5000", "-1@5000/800", "+2@5800"}));
}

TEST(telephone_event_receiver, reset_forgets_events) {
  recorder r;
  telephone_event_receiver receiver(r);
  const auto packets = press(6, 1000, 1);
  deliver(receiver, packets);
  receiver.reset();
  deliver(receiver, packets);
  EXPECT_EQ(r.keys, "66");
}

std::vector<packet> send(dtmf_key key, std::uint32_t timestamp, std::uint32_t duration,
                         const telephone_event_sender_settings& settings = {}) {
  telephone_event_sender sender(key, timestamp, duration, settings);
  std::vector<packet> out;
  payload bytes{};
  while (const auto p = sender.next(bytes)) {
    out.push_back({p->rtp_timestamp, p->marker, bytes});
    EXPECT_EQ(p->last, sender.done());
    if (out.size() > 10000) break;
  }
  EXPECT_TRUE(sender.done());
  EXPECT_FALSE(sender.next(bytes));
  return out;
}

TEST(telephone_event_sender, marker_growing_updates_and_three_ends) {
  const auto packets = send(dtmf_key::hash, 4242, 800);
  ASSERT_EQ(packets.size(), 7U);
  const std::vector<std::uint16_t> durations = {160, 320, 480, 640, 800, 800, 800};
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const auto e = parse_telephone_event(packets[i].bytes);
    ASSERT_TRUE(e);
    EXPECT_EQ(packets[i].timestamp, 4242U);
    EXPECT_EQ(packets[i].marker, i == 0) << i;
    EXPECT_EQ(e->event, 11);
    EXPECT_EQ(e->volume, 10);
    EXPECT_EQ(e->duration, durations[i]) << i;
    EXPECT_EQ(e->end, i >= 4) << i;
  }
}

TEST(telephone_event_sender, press_shorter_than_one_interval) {
  const auto packets = send(dtmf_key::one, 0, 100);
  ASSERT_EQ(packets.size(), 3U);
  EXPECT_TRUE(packets[0].marker);
  for (const auto& p : packets) {
    EXPECT_EQ(parse_telephone_event(p.bytes), (telephone_event{1, true, 10, 100}));
  }
}

TEST(telephone_event_sender, settings) {
  telephone_event_sender_settings settings;
  settings.packet_interval = 400;  // 50 ms
  settings.end_packets = 1;
  settings.volume = 99;
  const auto packets = send(dtmf_key::d, 7, 1000, settings);
  ASSERT_EQ(packets.size(), 3U);
  EXPECT_EQ(parse_telephone_event(packets[0].bytes), (telephone_event{15, false, 63, 400}));
  EXPECT_EQ(parse_telephone_event(packets[1].bytes), (telephone_event{15, false, 63, 800}));
  EXPECT_EQ(parse_telephone_event(packets[2].bytes), (telephone_event{15, true, 63, 1000}));

  settings = {};
  settings.packet_interval = 0;
  settings.end_packets = 0;
  EXPECT_EQ(send(dtmf_key::d, 7, 320, settings).size(), 2U);  // 160, then the end once
}

TEST(telephone_event_sender, long_press_continues_in_segments) {
  const std::uint32_t start = 0xFFFF8000U;  // the second segment's timestamp wraps
  const std::uint32_t duration = 80'000;    // 10 s
  const auto packets = send(dtmf_key::zero, start, duration);
  ASSERT_EQ(packets.size(), 500U + 2);  // one every 160 units, then two more end copies
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const auto e = parse_telephone_event(packets[i].bytes);
    ASSERT_TRUE(e);
    EXPECT_EQ(packets[i].marker, i == 0);
    EXPECT_EQ(e->event, 0);
    const auto elapsed =
        std::min<std::uint32_t>(160 * (static_cast<std::uint32_t>(i) + 1), duration);
    if (i < 409) {
      EXPECT_EQ(packets[i].timestamp, start) << i;
      EXPECT_EQ(e->duration, elapsed) << i;
    } else if (i == 409) {
      // 65440 + 160 would not fit: the first segment ends at the largest duration.
      EXPECT_EQ(packets[i].timestamp, start) << i;
      EXPECT_EQ(*e, (telephone_event{0, false, 10, 0xFFFF}));
    } else {
      // The second segment keeps time with the first: its durations count from 0xFFFF.
      EXPECT_EQ(packets[i].timestamp, start + 0xFFFF) << i;
      EXPECT_EQ(e->duration, elapsed - 0xFFFF) << i;
      EXPECT_EQ(e->end, packets.size() - i <= 3) << i;
    }
  }
  EXPECT_EQ(parse_telephone_event(packets.back().bytes),
            (telephone_event{0, true, 10, duration - 0xFFFF}));

  recorder r;
  telephone_event_receiver receiver(r);
  deliver(receiver, packets);
  deliver(receiver, std::vector(packets.begin() + 400, packets.begin() + 420));  // stragglers
  EXPECT_EQ(r.log, (std::vector<std::string>{"+0@4294934528", "-0@4294934528/80000"}));
}

TEST(telephone_event_receiver, long_press_survives_a_lost_rollover) {
  const auto packets = send(dtmf_key::b, 1000, 70'000);
  ASSERT_EQ(parse_telephone_event(packets[409].bytes)->duration, 0xFFFF);
  recorder r;
  telephone_event_receiver receiver(r);
  deliver(receiver, std::vector(packets.begin(), packets.begin() + 400));
  deliver(receiver, std::vector(packets.begin() + 415, packets.end()));
  EXPECT_EQ(r.log, (std::vector<std::string>{"+B@1000", "-B@1000/70000"}));
}

TEST(telephone_event_sender, round_trip_through_the_receiver) {
  const std::string keys = "1234567890*#ABCD";
  recorder r;
  telephone_event_receiver receiver(r);
  std::uint32_t timestamp = 123456;
  for (const char c : keys) {
    const auto packets = send(*dtmf_key_from_char(c), timestamp, 800);
    deliver(receiver, packets);
    deliver(receiver, packets);  // every packet twice
    timestamp += 1600;
  }
  EXPECT_EQ(r.keys, keys);
  EXPECT_EQ(r.log.size(), keys.size() * 2);
}

TEST(telephone_event_sender, round_trip_with_losses) {
  // Drop a different part of each press: the start, every end, all but one end, all but the
  // last packet. Each key still arrives once.
  recorder r;
  telephone_event_receiver receiver(r);
  std::uint32_t timestamp = 0;
  for (int pattern = 0; pattern < 4; ++pattern) {
    for (const char c : std::string("55")) {
      auto packets = send(*dtmf_key_from_char(c), timestamp, 960);
      timestamp += 2000;
      if (pattern == 0) packets.erase(packets.begin());
      if (pattern == 1) packets.erase(packets.end() - 3, packets.end());
      if (pattern == 2) packets.erase(packets.end() - 2, packets.end());
      if (pattern == 3) packets.erase(packets.begin(), packets.end() - 1);
      deliver(receiver, packets);
    }
  }
  EXPECT_EQ(r.keys, "55555555");
}

}  // namespace
}  // namespace callcenterd::media
