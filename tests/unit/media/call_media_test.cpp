#include "callcenterd/media/call_media.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

#include "callcenterd/media/g711.hpp"
#include "callcenterd/media/telephone_event.hpp"

namespace callcenterd::media {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using namespace std::chrono_literals;

const auto loopback = asio::ip::make_address("127.0.0.1");

struct events final : call_media_listener {
  std::vector<std::pair<std::size_t, char>> keys;
  std::vector<std::pair<std::size_t, bool>> playbacks;
  void on_dtmf(std::size_t leg, dtmf_key key, dtmf_source /*source*/) override {
    keys.emplace_back(leg, to_char(key));
  }
  void on_playback_done(std::size_t leg, bool interrupted) override {
    playbacks.emplace_back(leg, interrupted);
  }
};

// A phone: a plain UDP socket on 127.0.0.1 that sends RTP and keeps what it receives.
class phone {
 public:
  explicit phone(asio::io_context& io) : socket_(io, udp::endpoint(loopback, 0)) {
    socket_.non_blocking(true);
  }
  udp::endpoint address() const { return socket_.local_endpoint(); }

  void send(std::uint16_t port, std::uint8_t payload_type, std::span<const std::uint8_t> payload,
            bool marker = false, std::optional<std::uint32_t> timestamp = std::nullopt) {
    rtp_header header;
    header.payload_type = payload_type;
    header.marker = marker;
    header.sequence = sequence_++;
    header.timestamp = timestamp.value_or(header.sequence * 160U);
    header.ssrc = 0xCAFE;
    std::array<std::uint8_t, 512> out{};
    const auto size = write_rtp(header, payload, out);
    socket_.send_to(asio::buffer(out.data(), size), udp::endpoint(loopback, port));
  }

  // Everything that arrived so far, parsed.
  std::vector<std::vector<std::uint8_t>> drain() {
    std::vector<std::vector<std::uint8_t>> out;
    while (true) {
      std::array<std::uint8_t, 2048> buffer{};
      udp::endpoint from;
      boost::system::error_code ec;
      const auto size = socket_.receive_from(asio::buffer(buffer), from, 0, ec);
      if (ec) return out;
      out.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
    }
  }

 private:
  udp::socket socket_;
  std::uint16_t sequence_ = 100;
};

class call_media_test : public ::testing::Test {
 protected:
  call_media_test() : engine_(settings()) {}

  static media_engine_settings settings() {
    media_engine_settings s;
    s.address = loopback;
    s.first_port = 42000;
    s.last_port = 42099;
    s.endpoint.rtcp_interval = 0ms;
    return s;
  }

  std::shared_ptr<call_media> make() {
    auto media = call_media::create(asio::make_strand(io_), engine_);
    media->set_listener(&events_);
    return media;
  }

  std::uint16_t open(call_media& media, std::size_t leg, const phone& peer, g711_law law,
                     std::optional<std::uint8_t> events = 101) {
    const auto port = media.open_leg(leg);
    EXPECT_TRUE(port);
    leg_config config;
    config.remote = peer.address();
    config.format = {law, events};
    media.configure_leg(leg, config);
    return *port;
  }

  void run_for(std::chrono::milliseconds time) {
    io_.run_for(time);
    io_.restart();
  }

  void run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 2000ms) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) run_for(5ms);
  }

  asio::io_context io_;
  media_engine engine_;
  events events_;
};

TEST_F(call_media_test, a_bridge_relays_audio_converting_the_law_for_the_other_leg) {
  auto media = make();
  phone caller(io_);
  phone agent(io_);
  const auto caller_port = open(*media, 0, caller, g711_law::ulaw);
  open(*media, 1, agent, g711_law::alaw);
  media->connect(0, 1);
  std::array<std::uint8_t, 160> speech{};
  speech.fill(encode_ulaw(1000));
  // The first packet of a source is its probation; from the second on, audio flows.
  std::vector<std::vector<std::uint8_t>> heard;
  for (int i = 0; i < 5; ++i) {
    caller.send(caller_port, 0, speech);
    run_for(20ms);
    for (auto& p : agent.drain()) heard.push_back(std::move(p));
  }
  run_until([&] {
    for (auto& p : agent.drain()) heard.push_back(std::move(p));
    return heard.size() >= 4;
  });
  ASSERT_GE(heard.size(), 4U);
  const auto packet = parse_rtp(heard.back());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payload_type, 8);
  ASSERT_EQ(packet->payload.size(), 160U);
  EXPECT_EQ(packet->payload[0], ulaw_to_alaw(encode_ulaw(1000)));
  media->close();
}

// Three phones in the mix, each sending a constant level; what each hears is read from the
// packets it receives (µ-law keeps levels within a few per cent).
class call_media_mix_test : public call_media_test {
 protected:
  // Legs 0, 1 and 2, µ-law, one phone each; their ports.
  std::array<std::uint16_t, 3> open_three(call_media& media) {
    return {open(media, 0, phones_[0], g711_law::ulaw), open(media, 1, phones_[1], g711_law::ulaw),
            open(media, 2, phones_[2], g711_law::ulaw)};
  }

  std::array<int, 3> heard_levels(call_media& media, std::array<std::uint16_t, 3> ports) {
    std::array<std::vector<int>, 3> heard{};
    for (int frame = 0; frame < 20; ++frame) {
      for (std::size_t i = 0; i < 3; ++i) {
        std::array<std::uint8_t, 160> speech{};
        speech.fill(encode_ulaw(static_cast<std::int16_t>(1000 << i)));  // 1000, 2000, 4000
        phones_.at(i).send(ports.at(i), 0, speech);
      }
      run_for(20ms);
      for (std::size_t i = 0; i < 3; ++i) {
        for (auto& p : phones_.at(i).drain()) {
          const auto packet = parse_rtp(p);
          EXPECT_TRUE(packet && packet->payload.size() == 160U);
          if (packet && !packet->payload.empty()) {
            heard[i].push_back(decode_ulaw(packet->payload[packet->payload.size() / 2]));
          }
        }
      }
    }
    media.close();
    // The median of the last ten frames: a packet read just after a tick joins the next mix,
    // so a frame now and then lacks one party.
    std::array<int, 3> levels{};
    for (std::size_t i = 0; i < 3; ++i) {
      if (heard[i].size() < 10) continue;
      std::vector<int> last(heard[i].end() - 10, heard[i].end());
      std::sort(last.begin(), last.end());
      levels[i] = last[5];
    }
    return levels;
  }

  std::array<phone, 3> phones_{phone(io_), phone(io_), phone(io_)};
};

// Each leg's level within 5% of what it should hear.
::testing::AssertionResult heard_about(std::array<int, 3> levels, std::array<int, 3> expected) {
  for (std::size_t i = 0; i < 3; ++i) {
    if (levels.at(i) <= expected.at(i) * 95 / 100 || levels.at(i) >= expected.at(i) * 105 / 100) {
      return ::testing::AssertionFailure()
             << "leg " << i << " heard " << levels.at(i) << ", not about " << expected.at(i);
    }
  }
  return ::testing::AssertionSuccess();
}

TEST_F(call_media_mix_test, each_party_hears_the_other_two_and_not_itself) {
  auto media = make();
  const auto ports = open_three(*media);
  media->connect(0, 1);
  EXPECT_FALSE(media->join_mix(3)) << "a leg nobody configured cannot join";
  for (std::size_t leg = 0; leg < 3; ++leg) EXPECT_TRUE(media->join_mix(leg));
  EXPECT_FALSE(media->partner(0)) << "joining the mix ends the bridge";
  EXPECT_TRUE(media->mixing(2));
  EXPECT_TRUE(heard_about(heard_levels(*media, ports), {6000, 5000, 3000}));
}

TEST_F(call_media_mix_test, a_silent_monitor_is_heard_by_nobody) {
  auto media = make();
  const auto ports = open_three(*media);
  EXPECT_TRUE(media->join_mix(0));
  EXPECT_FALSE(media->join_mix(2, party_role::whisper, 1)) << "the whisper's target is not in";
  EXPECT_FALSE(media->mixing(2)) << "a refused join leaves the leg out";
  EXPECT_TRUE(media->join_mix(1));
  EXPECT_TRUE(media->join_mix(2, party_role::listen));
  EXPECT_FALSE(media->join_mix(2, party_role::whisper, 2)) << "nobody whispers to themselves";
  EXPECT_TRUE(heard_about(heard_levels(*media, ports), {2000, 1000, 3000}));
}

TEST_F(call_media_mix_test, a_whisper_is_heard_by_its_target_only) {
  auto media = make();
  const auto ports = open_three(*media);
  media->join_mix(0);
  media->join_mix(1);
  EXPECT_TRUE(media->join_mix(2, party_role::whisper, 1));
  EXPECT_TRUE(heard_about(heard_levels(*media, ports), {2000, 5000, 3000}))
      << "the caller must not hear the coaching";
}

TEST_F(call_media_test, a_prompt_is_paced_replaces_the_relay_and_reports_its_end) {
  auto media = make();
  phone caller(io_);
  open(*media, 0, caller, g711_law::ulaw);
  // 100 ms of audio: five frames, one every 20 ms.
  media->play(0, prompt::from_samples(std::vector<std::int16_t>(800, 2000)), false, false);
  EXPECT_TRUE(media->playing(0));
  const auto started = std::chrono::steady_clock::now();
  run_until([&] { return !events_.playbacks.empty(); });
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(events_.playbacks.size(), 1U);
  EXPECT_EQ(events_.playbacks[0], std::make_pair(std::size_t{0}, false));
  EXPECT_GE(took, 80ms);
  const auto packets = caller.drain();
  ASSERT_EQ(packets.size(), 5U);
  for (std::size_t i = 1; i < packets.size(); ++i) {
    const auto before = parse_rtp(packets[i - 1]);
    const auto after = parse_rtp(packets[i]);
    EXPECT_EQ(static_cast<std::uint16_t>(after->sequence - before->sequence), 1);
    EXPECT_EQ(after->timestamp - before->timestamp, 160U);
  }
  media->close();
}

TEST_F(call_media_test, a_key_stops_a_prompt_and_reaches_the_call_once_whichever_way_it_came) {
  auto media = make();
  phone caller(io_);
  const auto port = open(*media, 0, caller, g711_law::ulaw);
  media->play(0, prompt::from_samples(std::vector<std::int16_t>(8000 * 5, 0)), false, true);
  // One press of 7: a start, two updates, three end packets, all with one timestamp; the
  // first packet of the source is its probation, so the press is sent after a voice packet.
  const std::array<std::uint8_t, 160> silence{};
  caller.send(port, 0, silence);
  for (int i = 0; i < 6; ++i) {
    std::array<std::uint8_t, telephone_event_size> payload{};
    write_telephone_event({7, i >= 3, 10, static_cast<std::uint16_t>(160 * (i + 1))}, payload);
    caller.send(port, 101, payload, i == 0, 48000);
  }
  run_until([&] { return !events_.keys.empty(); });
  // The same key by INFO right after is the same press.
  media->on_info_dtmf(0, dtmf_key::seven);
  run_for(50ms);
  ASSERT_EQ(events_.keys.size(), 1U);
  EXPECT_EQ(events_.keys[0], std::make_pair(std::size_t{0}, '7'));
  ASSERT_EQ(events_.playbacks.size(), 1U);
  EXPECT_TRUE(events_.playbacks[0].second) << "barge-in ends the prompt as interrupted";
  // Another key by INFO is another press, and so is the same key pressed again by INFO.
  media->on_info_dtmf(0, dtmf_key::hash);
  media->on_info_dtmf(0, dtmf_key::hash);
  ASSERT_EQ(events_.keys.size(), 3U);
  EXPECT_EQ(events_.keys[1].second, '#');
  EXPECT_EQ(events_.keys[2].second, '#');
  media->close();
}

TEST_F(call_media_test, a_key_by_info_reaches_the_other_leg_as_rfc4733_events) {
  auto media = make();
  phone caller(io_);
  phone agent(io_);
  open(*media, 0, caller, g711_law::ulaw);
  open(*media, 1, agent, g711_law::alaw, 96);
  media->connect(0, 1);
  media->on_info_dtmf(0, dtmf_key::five);
  std::vector<rtp_header> events;
  std::vector<std::vector<std::uint8_t>> packets;
  run_until([&] {
    for (auto& p : agent.drain()) packets.push_back(std::move(p));
    return packets.size() >= 7;
  });
  run_for(100ms);
  for (auto& p : agent.drain()) packets.push_back(std::move(p));
  std::vector<telephone_event> blocks;
  for (const auto& bytes : packets) {
    const auto packet = parse_rtp(bytes);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->payload_type, 96) << "the agent leg's own telephone-event type";
    events.push_back(*packet);
    blocks.push_back(*parse_telephone_event(packet->payload));
  }
  // Four updates, then the end at 100 ms three times, all of one press.
  ASSERT_EQ(events.size(), 7U);
  EXPECT_TRUE(events.front().marker);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].timestamp, events.front().timestamp);
    EXPECT_EQ(static_cast<std::uint16_t>(events[i].sequence - events.front().sequence), i);
    EXPECT_EQ(blocks[i].event, 5);
    EXPECT_EQ(blocks[i].end, i >= 4) << i;
  }
  EXPECT_EQ(events_.keys.size(), 1U) << "the call hears the key once too";
  EXPECT_FALSE(media->send_dtmf(2, dtmf_key::one)) << "a leg without telephone-event";
  media->close();
}

TEST_F(call_media_test, close_gives_every_port_back) {
  auto media = make();
  phone caller(io_);
  open(*media, 0, caller, g711_law::ulaw);
  open(*media, 1, caller, g711_law::ulaw);
  EXPECT_EQ(engine_.ports().in_use(), 2U);
  media->close();
  EXPECT_EQ(engine_.ports().in_use(), 0U);
  EXPECT_FALSE(media->open_leg(2)) << "a closed call opens nothing";
}

}  // namespace
}  // namespace callcenterd::media
