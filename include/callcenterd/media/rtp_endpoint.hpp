#pragma once

// One call leg's RTP socket on the shared io_context: a port pair from the pool, a receive
// loop into a preallocated buffer, and sends to where the peer really is. Packets are parsed
// and handed to a listener; nothing is allocated per packet.
//
// Symmetric RTP (RFC 4961 behaviour, as phones behind NAT need it): the SDP address is only a
// first guess. The endpoint latches onto a source once it has sent two consecutive packets of
// one SSRC, sends there from then on, and ignores other sources, so a stray or forged stream
// cannot take the leg over. A latched source that falls silent for `relatch_after` may be
// replaced the same way (a NAT binding that changed mid-call). The first packet of a source
// on probation is not delivered: 20 ms of audio against a leg anyone could hijack. Packets
// from the very address and port of the SDP need no probation and take the leg over from any
// other source: a port freed by an earlier call may still receive that call's stream when it
// is bound again, and must not keep the new peer out.

#include <array>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "callcenterd/media/rtcp_packet.hpp"
#include "callcenterd/media/rtp_packet.hpp"
#include "callcenterd/media/rtp_port_pool.hpp"
#include "callcenterd/media/rtp_statistics.hpp"

namespace callcenterd::media {

/// What an endpoint reports, on its strand. Must outlive the endpoint's receiving: call
/// rtp_endpoint::close() before the listener goes away.
class rtp_endpoint_listener {
 public:
  /// An RTP packet from the latched source. `packet`'s spans point into the endpoint's
  /// buffer and are valid only during the call.
  virtual void on_rtp(const rtp_header& packet, std::chrono::steady_clock::time_point arrival) = 0;

 protected:
  ~rtp_endpoint_listener() = default;
};

struct rtp_endpoint_settings {
  /// Silence of the latched source after which another source may latch.
  std::chrono::milliseconds relatch_after{1000};
  /// Clock rate of the payload, for jitter: 8000 for G.711.
  std::uint32_t clock_rate = 8000;
  /// Mean RTCP report interval; each wait is drawn from 0.5 to 1.5 times it (RFC 3550 §6.2
  /// keeps 5 s as the minimum for a two-party session). Zero sends no reports by timer.
  std::chrono::milliseconds rtcp_interval{5000};
  /// The SDES CNAME of our reports (RFC 7022: unique per endpoint is enough).
  std::string cname = "callcenterd";
};

/// How one leg sounds, from our receive statistics and the peer's reports about our stream.
struct leg_quality {
  double loss_fraction = 0;             ///< lost / expected of what we received, 0..1
  double jitter_ms = 0;                 ///< interarrival jitter of what we received
  std::optional<double> round_trip_ms;  ///< from the peer's last report about our stream
  double mos = 0;                       ///< estimate_mos() of the above
};

class rtp_endpoint : public std::enable_shared_from_this<rtp_endpoint> {
 public:
  using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;
  using udp = boost::asio::ip::udp;

  /// Binds an RTP socket on `address` to a port from `pool`, trying further pairs while the
  /// port is taken by another process. Null with `error` set when none could be bound.
  /// Any thread; the endpoint then lives on `strand`.
  static std::shared_ptr<rtp_endpoint> open(strand_type strand,
                                            const boost::asio::ip::address& address,
                                            rtp_port_pool& pool,
                                            const rtp_endpoint_settings& settings,
                                            boost::system::error_code& error);
  ~rtp_endpoint();
  rtp_endpoint(const rtp_endpoint&) = delete;
  rtp_endpoint& operator=(const rtp_endpoint&) = delete;

  /// The bound RTP port (RTCP is the next one up). Any thread.
  [[nodiscard]] std::uint16_t port() const { return port_; }

  /// Where to send until a source latches: the address and port of the peer's SDP. Strand.
  void set_remote(const udp::endpoint& from_sdp);
  /// Forgets the latched source, so that the next one to pass probation latches at once: the
  /// peer changed (a transfer, a new SDP address), and waiting out relatch_after would cut
  /// the first second of its audio. Strand.
  void unlatch();
  /// Starts receiving. Once. Strand. The pending receive holds the endpoint: from here on it
  /// lives until close().
  void start(rtp_endpoint_listener& listener);
  /// Sends one RTP packet with `header` (no CSRCs) and `payload` to the latched source, or to
  /// the SDP address before one latched; dropped when there is neither. Our reports describe
  /// the stream under the SSRC of the last packet sent. Strand.
  void send(const rtp_header& header, std::span<const std::uint8_t> payload);
  /// Sends an RTCP compound now: SR when we sent RTP since the last report, else RR; a report
  /// block about the latched source once it passed probation; SDES CNAME; BYE when `bye`.
  /// It goes to where the peer's RTCP comes from, else to the RTP destination's port + 1.
  /// The timer calls it; close() sends the BYE. False when there was nowhere to send. Strand.
  bool send_report(bool bye = false);
  /// Stops receiving, closes the socket and gives the port back. Strand; idempotent.
  void close();

  /// Where packets go now: the latched source, else the SDP address. Strand.
  [[nodiscard]] std::optional<udp::endpoint> destination() const;
  [[nodiscard]] bool latched() const { return latched_; }
  /// Receive statistics of the latched source. Strand.
  [[nodiscard]] const rtp_receive_statistics& statistics() const { return statistics_; }
  /// Datagrams ignored: not RTP, unparsable, or from a source other than the latched one.
  [[nodiscard]] std::uint64_t ignored() const { return ignored_; }
  [[nodiscard]] std::uint64_t sent() const { return sent_; }
  /// The peer's last report block about our stream, and the round-trip time it gave. Strand.
  [[nodiscard]] const std::optional<report_block>& peer_view() const { return peer_view_; }
  [[nodiscard]] std::optional<std::chrono::microseconds> round_trip() const { return round_trip_; }
  /// True once the peer sent an RTCP BYE. Strand.
  [[nodiscard]] bool peer_left() const { return peer_left_; }
  /// Loss, jitter, round trip and MOS of this leg now. Strand.
  [[nodiscard]] leg_quality quality() const;

 private:
  rtp_endpoint(strand_type strand, rtp_port_pool& pool, const rtp_endpoint_settings& settings);

  // Binds the RTP socket to `port` and the RTCP socket to `port` + 1.
  boost::system::error_code bind_pair(const boost::asio::ip::address& address, std::uint16_t port);
  void do_receive();
  void on_receive(const boost::system::error_code& ec, std::size_t size);
  // RTCP (rtp_endpoint_rtcp.cpp).
  void do_receive_rtcp();
  void on_receive_rtcp(const boost::system::error_code& ec, std::size_t size);
  void arm_report_timer();
  /// True when `packet` from sender_ may pass: it comes from the latched source, or it
  /// completes the probation of a candidate that latches now.
  bool admit(const rtp_header& packet, std::chrono::steady_clock::time_point arrival);

  strand_type strand_;
  udp::socket socket_;
  udp::socket rtcp_socket_;
  boost::asio::steady_timer report_timer_;
  rtp_port_pool& pool_;
  rtp_endpoint_settings settings_;
  std::uint16_t port_ = 0;
  rtp_endpoint_listener* listener_ = nullptr;
  bool closed_ = false;

  std::array<std::uint8_t, 2048> receive_buffer_{};
  std::array<std::uint8_t, 2048> send_buffer_{};
  udp::endpoint sender_;

  std::optional<udp::endpoint> remote_from_sdp_;
  bool latched_ = false;
  udp::endpoint source_;
  std::chrono::steady_clock::time_point last_from_source_{};
  // A source on probation: its address, SSRC and the sequence it must send next.
  std::optional<udp::endpoint> candidate_;
  std::uint32_t candidate_ssrc_ = 0;
  std::uint16_t candidate_next_sequence_ = 0;

  rtp_receive_statistics statistics_;
  std::uint64_t ignored_ = 0;
  std::uint64_t sent_ = 0;

  // What our reports say about our own stream.
  std::uint32_t our_ssrc_ = 0;
  std::uint32_t octets_sent_ = 0;
  std::uint32_t last_rtp_timestamp_ = 0;
  std::chrono::steady_clock::time_point last_rtp_sent_at_{};
  bool sent_since_report_ = false;

  std::array<std::uint8_t, 1500> rtcp_receive_buffer_{};
  std::array<std::uint8_t, 1500> rtcp_send_buffer_{};
  udp::endpoint rtcp_sender_;
  std::optional<udp::endpoint> rtcp_source_;
  std::optional<report_block> peer_view_;
  std::optional<std::chrono::microseconds> round_trip_;
  bool peer_left_ = false;
  std::minstd_rand jitter_random_;  // spreads report times; not security relevant
};

}  // namespace callcenterd::media
