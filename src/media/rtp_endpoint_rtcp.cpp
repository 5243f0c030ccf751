// The RTCP half of an RTP endpoint (RFC 3550 §6): reports about what we receive and what we
// send, the peer's reports about our stream (its view of loss, and the round trip), BYE.
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/error.hpp>
#include <chrono>

#include "callcenterd/media/rtp_endpoint.hpp"

namespace callcenterd::media {

namespace asio = boost::asio;

bool rtp_endpoint::send_report(bool bye) {
  if (closed_) return false;
  std::optional<udp::endpoint> to = rtcp_source_;
  if (!to) {
    const auto rtp = destination();
    if (!rtp) return false;
    to = udp::endpoint(rtp->address(), static_cast<std::uint16_t>(rtp->port() + 1));
  }
  const auto now = std::chrono::steady_clock::now();
  const auto block = statistics_.take_report_block(now);
  rtcp_report report;
  report.ssrc = our_ssrc_;
  if (sent_since_report_) {
    // The RTP timestamp of this instant, extrapolated from the last packet sent (§6.4.1).
    const auto since =
        std::chrono::duration_cast<std::chrono::microseconds>(now - last_rtp_sent_at_);
    const auto ticks = static_cast<std::uint64_t>(since.count()) * settings_.clock_rate / 1'000'000;
    report.sender = sender_info{to_ntp_timestamp(std::chrono::system_clock::now()),
                                last_rtp_timestamp_ + static_cast<std::uint32_t>(ticks),
                                static_cast<std::uint32_t>(sent_), octets_sent_};
  }
  if (block) report.blocks = std::span(&*block, 1);
  report.cname = settings_.cname;
  report.bye = bye;
  const auto size = write_rtcp_compound(report, rtcp_send_buffer_);
  if (size == 0) return false;
  boost::system::error_code ec;
  rtcp_socket_.send_to(asio::buffer(rtcp_send_buffer_.data(), size), *to, 0, ec);
  sent_since_report_ = false;
  return !ec;
}

void rtp_endpoint::arm_report_timer() {
  if (settings_.rtcp_interval.count() <= 0 || closed_) return;
  std::uniform_real_distribution<double> spread(0.5, 1.5);
  report_timer_.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(
      settings_.rtcp_interval * spread(jitter_random_)));
  report_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    self->send_report();
    self->arm_report_timer();
  });
}

void rtp_endpoint::do_receive_rtcp() {
  rtcp_socket_.async_receive_from(
      asio::buffer(rtcp_receive_buffer_), rtcp_sender_,
      asio::bind_executor(strand_, [self = shared_from_this()](const boost::system::error_code& ec,
                                                               std::size_t size) {
        self->on_receive_rtcp(ec, size);
      }));
}

void rtp_endpoint::on_receive_rtcp(const boost::system::error_code& ec, std::size_t size) {
  if (closed_ || ec == asio::error::operation_aborted) return;
  const auto compound =
      ec ? std::nullopt
         : parse_rtcp_compound(std::span<const std::uint8_t>(rtcp_receive_buffer_.data(), size));
  // Only the host the media comes from may report on it; once its RTP latched, its RTCP
  // source is where our reports go (symmetric RTCP, RFC 4961).
  const bool trusted = !latched_ || rtcp_sender_.address() == source_.address();
  if (compound && trusted) {
    const auto arrival = std::chrono::steady_clock::now();
    if (latched_) rtcp_source_ = rtcp_sender_;
    if (compound->sender && statistics_.valid() && compound->sender_ssrc == statistics_.ssrc()) {
      statistics_.on_sender_report(compound->sender->ntp, arrival);
    }
    for (const auto& block : compound->report_blocks()) {
      if (sent_ == 0 || block.ssrc != our_ssrc_) continue;
      peer_view_ = block;
      if (auto rtt = round_trip_time(block, to_ntp_timestamp(std::chrono::system_clock::now()))) {
        round_trip_ = rtt;
      }
    }
    if (compound->bye) peer_left_ = true;
  } else {
    ++ignored_;
  }
  do_receive_rtcp();
}

leg_quality rtp_endpoint::quality() const {
  leg_quality q;
  const auto expected = statistics_.expected();
  if (expected > 0) {
    q.loss_fraction =
        static_cast<double>(std::max<std::int64_t>(statistics_.cumulative_lost(), 0)) /
        static_cast<double>(expected);
  }
  q.jitter_ms = statistics_.jitter_ms();
  if (round_trip_) q.round_trip_ms = static_cast<double>(round_trip_->count()) / 1000.0;
  q.mos = estimate_mos(q.loss_fraction, q.jitter_ms, q.round_trip_ms.value_or(0));
  return q;
}

}  // namespace callcenterd::media
