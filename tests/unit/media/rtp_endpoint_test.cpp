#include "callcenterd/media/rtp_endpoint.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

namespace callcenterd::media {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using namespace std::chrono_literals;

const auto loopback = asio::ip::make_address("127.0.0.1");

struct recorder final : rtp_endpoint_listener {
  std::vector<std::uint16_t> sequences;
  void on_rtp(const rtp_header& packet, std::chrono::steady_clock::time_point) override {
    sequences.push_back(packet.sequence);
  }
};

// A phone's side of the stream: a plain UDP socket on 127.0.0.1.
class peer {
 public:
  explicit peer(asio::io_context& io) : socket_(io, udp::endpoint(loopback, 0)) {}
  udp::endpoint address() const { return socket_.local_endpoint(); }

  void send(std::uint16_t port, std::uint16_t sequence, std::uint32_t ssrc = 0x1234) {
    rtp_header header;
    header.sequence = sequence;
    header.timestamp = sequence * 160U;
    header.ssrc = ssrc;
    const std::array<std::uint8_t, 160> payload{};
    std::array<std::uint8_t, 256> out{};
    const auto size = write_rtp(header, payload, out);
    socket_.send_to(asio::buffer(out.data(), size), udp::endpoint(loopback, port));
  }

  // The next datagram within a second, parsed as RTP.
  std::optional<std::vector<std::uint8_t>> receive() {
    socket_.non_blocking(true);
    const auto deadline = std::chrono::steady_clock::now() + 1s;
    while (std::chrono::steady_clock::now() < deadline) {
      std::array<std::uint8_t, 2048> buffer{};
      udp::endpoint from;
      boost::system::error_code ec;
      const auto size = socket_.receive_from(asio::buffer(buffer), from, 0, ec);
      if (!ec) return std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + size);
      std::this_thread::sleep_for(1ms);
    }
    return std::nullopt;
  }

 private:
  udp::socket socket_;
};

class rtp_endpoint_test : public ::testing::Test {
 protected:
  std::shared_ptr<rtp_endpoint> open_endpoint(rtp_endpoint_settings settings = {}) {
    boost::system::error_code ec;
    auto endpoint = rtp_endpoint::open(asio::make_strand(io_), loopback, pool_, settings, ec);
    EXPECT_FALSE(ec) << ec.message();
    if (endpoint) endpoint->start(listener_);
    return endpoint;
  }

  // Runs the loop until `done` holds or a second passes.
  void run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 1s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.run_for(5ms);
      io_.restart();
    }
  }

  asio::io_context io_;
  rtp_port_pool pool_{47000, 47199};
  recorder listener_;
};

TEST_F(rtp_endpoint_test, latches_onto_a_source_after_two_sequential_packets) {
  auto endpoint = open_endpoint();
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->port() % 2, 0);
  peer phone(io_);
  phone.send(endpoint->port(), 10);
  run_until([&] { return endpoint->ignored() == 1; });
  EXPECT_TRUE(listener_.sequences.empty());  // on probation
  EXPECT_FALSE(endpoint->latched());
  phone.send(endpoint->port(), 11);
  phone.send(endpoint->port(), 12);
  run_until([&] { return listener_.sequences.size() == 2; });
  EXPECT_EQ(listener_.sequences, (std::vector<std::uint16_t>{11, 12}));
  ASSERT_TRUE(endpoint->latched());
  EXPECT_EQ(endpoint->destination(), phone.address());

  // Our packets go where the phone really sends from, though no SDP address was given.
  rtp_header header;
  header.payload_type = 8;
  header.sequence = 500;
  header.ssrc = 0xABCD;
  const std::array<std::uint8_t, 3> payload{1, 2, 3};
  endpoint->send(header, payload);
  const auto got = phone.receive();
  ASSERT_TRUE(got);
  const auto parsed = parse_rtp(*got);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->sequence, 500);
  EXPECT_EQ(parsed->payload_type, 8);
  EXPECT_EQ(std::vector<std::uint8_t>(parsed->payload.begin(), parsed->payload.end()),
            (std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_EQ(endpoint->statistics().received(), 1);  // 12: 11 ended probation
  endpoint->close();
}

TEST_F(rtp_endpoint_test, another_source_cannot_take_over_a_talking_leg) {
  auto endpoint = open_endpoint();
  ASSERT_TRUE(endpoint);
  peer phone(io_);
  peer stranger(io_);
  phone.send(endpoint->port(), 1);
  phone.send(endpoint->port(), 2);
  run_until([&] { return endpoint->latched(); });
  for (std::uint16_t seq = 100; seq < 105; ++seq) stranger.send(endpoint->port(), seq, 0x9999);
  phone.send(endpoint->port(), 3);
  run_until([&] { return listener_.sequences.size() == 2; });
  EXPECT_EQ(listener_.sequences, (std::vector<std::uint16_t>{2, 3}));
  EXPECT_EQ(endpoint->destination(), phone.address());
  EXPECT_EQ(endpoint->ignored(), 6U);  // the phone's first packet and the stranger's five
  endpoint->close();
}

TEST_F(rtp_endpoint_test, the_sdp_address_takes_the_leg_over_from_a_stray_stream) {
  auto endpoint = open_endpoint();
  ASSERT_TRUE(endpoint);
  peer stray(io_);  // still sending to the port from an earlier call
  peer phone(io_);
  endpoint->set_remote(phone.address());
  stray.send(endpoint->port(), 1, 0x9999);
  stray.send(endpoint->port(), 2, 0x9999);
  run_until([&] { return endpoint->latched(); });
  EXPECT_EQ(endpoint->destination(), stray.address());
  // The signalled peer's first packet is delivered and the stray's are ignored from then on.
  phone.send(endpoint->port(), 50);
  stray.send(endpoint->port(), 3, 0x9999);
  phone.send(endpoint->port(), 51);
  run_until([&] { return listener_.sequences.size() == 3; });
  EXPECT_EQ(listener_.sequences, (std::vector<std::uint16_t>{2, 50, 51}));
  EXPECT_EQ(endpoint->destination(), phone.address());
  endpoint->close();
}

TEST_F(rtp_endpoint_test, a_silent_source_gives_way_to_a_new_one) {
  rtp_endpoint_settings settings;
  settings.relatch_after = 50ms;
  auto endpoint = open_endpoint(settings);
  ASSERT_TRUE(endpoint);
  peer before(io_);
  peer after(io_);  // the same phone behind a NAT that picked a new port
  before.send(endpoint->port(), 1);
  before.send(endpoint->port(), 2);
  run_until([&] { return endpoint->latched(); });
  std::this_thread::sleep_for(80ms);
  after.send(endpoint->port(), 3);
  after.send(endpoint->port(), 4);
  run_until([&] { return listener_.sequences.size() == 2; });
  EXPECT_EQ(endpoint->destination(), after.address());
  endpoint->close();
}

TEST_F(rtp_endpoint_test, sends_to_the_sdp_address_until_a_source_latches) {
  auto endpoint = open_endpoint();
  ASSERT_TRUE(endpoint);
  rtp_header header;
  const std::array<std::uint8_t, 1> payload{0xFF};
  endpoint->send(header, payload);  // nowhere to send yet: dropped
  EXPECT_EQ(endpoint->sent(), 0U);
  peer phone(io_);
  endpoint->set_remote(phone.address());
  endpoint->send(header, payload);
  EXPECT_EQ(endpoint->sent(), 1U);
  EXPECT_TRUE(phone.receive());
  endpoint->close();
}

TEST_F(rtp_endpoint_test, two_endpoints_report_to_each_other_over_rtcp) {
  // Two legs in one process stand in for us and a phone: each sends RTP to the other, then
  // a report round (A's SR, B's report with LSR/DLSR about A) gives A the round trip.
  rtp_endpoint_settings settings;
  settings.rtcp_interval = std::chrono::milliseconds(0);  // reports only when asked
  auto a = open_endpoint(settings);
  recorder b_heard;
  boost::system::error_code ec;
  auto b = rtp_endpoint::open(asio::make_strand(io_), loopback, pool_, settings, ec);
  ASSERT_TRUE(a && b);
  b->start(b_heard);
  a->set_remote({loopback, b->port()});
  b->set_remote({loopback, a->port()});
  const std::array<std::uint8_t, 160> payload{};
  for (std::uint16_t seq = 1; seq <= 20; ++seq) {
    rtp_header header;
    header.sequence = seq;
    header.timestamp = seq * 160U;
    header.ssrc = 0xA;
    if (seq != 10) a->send(header, payload);  // one packet lost on the way
    header.ssrc = 0xB;
    b->send(header, payload);
  }
  run_until([&] { return listener_.sequences.size() == 19 && b_heard.sequences.size() == 18; });
  EXPECT_EQ(b->statistics().cumulative_lost(), 1);

  ASSERT_TRUE(a->send_report());
  run_until([&] { return b->peer_view().has_value() || b->ignored() > 1; });
  ASSERT_TRUE(b->send_report());
  run_until([&] { return a->round_trip().has_value(); });
  ASSERT_TRUE(a->peer_view());
  EXPECT_EQ(a->peer_view()->ssrc, 0xAU);
  EXPECT_EQ(a->peer_view()->cumulative_lost, 1);  // B saw packet 10 of ours go missing
  EXPECT_GT(a->peer_view()->fraction_lost, 0);
  EXPECT_NE(a->peer_view()->last_sr, 0U);  // B echoed our SR's time
  ASSERT_TRUE(a->round_trip());
  EXPECT_LT(*a->round_trip(), std::chrono::seconds(1));
  const auto quality = a->quality();
  EXPECT_EQ(quality.loss_fraction, 0);  // what A received from B was complete
  EXPECT_TRUE(quality.round_trip_ms);
  EXPECT_GT(quality.mos, 4.0);

  b->close();  // sends RTCP BYE
  run_until([&] { return a->peer_left(); });
  EXPECT_TRUE(a->peer_left());
  a->close();
}

TEST_F(rtp_endpoint_test, ports_go_back_to_the_pool_and_an_empty_pool_is_an_error) {
  rtp_port_pool small(48000, 48003);  // two pairs
  boost::system::error_code ec;
  auto first = rtp_endpoint::open(asio::make_strand(io_), loopback, small, {}, ec);
  auto second = rtp_endpoint::open(asio::make_strand(io_), loopback, small, {}, ec);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(small.in_use(), 2U);
  auto third = rtp_endpoint::open(asio::make_strand(io_), loopback, small, {}, ec);
  EXPECT_FALSE(third);
  EXPECT_TRUE(ec);
  first->close();
  first->close();  // idempotent
  EXPECT_EQ(small.in_use(), 1U);
  second.reset();  // never started, never closed: the destructor gives the port back
  EXPECT_EQ(small.in_use(), 0U);
}

}  // namespace
}  // namespace callcenterd::media
