#include "callcenterd/media/rtp_endpoint.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/error.hpp>

namespace callcenterd::media {

namespace asio = boost::asio;

std::shared_ptr<rtp_endpoint> rtp_endpoint::open(strand_type strand,
                                                 const asio::ip::address& address,
                                                 rtp_port_pool& pool,
                                                 const rtp_endpoint_settings& settings,
                                                 boost::system::error_code& error) {
  std::shared_ptr<rtp_endpoint> endpoint(new rtp_endpoint(std::move(strand), pool, settings));
  error = asio::error::address_in_use;
  // Another process may hold some ports of the range; a few tries find a free pair.
  for (int attempt = 0; attempt < 16; ++attempt) {
    const auto port = pool.take();
    if (!port) {
      error = asio::error::no_buffer_space;  // every pair of the range is in use
      return nullptr;
    }
    const auto ec = endpoint->bind_pair(address, *port);
    if (!ec) {
      endpoint->port_ = *port;
      error = {};
      return endpoint;
    }
    pool.give_back(*port);
    error = ec;
    if (ec != asio::error::address_in_use && ec != asio::error::access_denied) return nullptr;
  }
  return nullptr;
}

boost::system::error_code rtp_endpoint::bind_pair(const asio::ip::address& address,
                                                  std::uint16_t port) {
  const auto protocol = address.is_v6() ? udp::v6() : udp::v4();
  boost::system::error_code ec;
  socket_.open(protocol, ec);
  if (!ec) socket_.bind({address, port}, ec);
  if (!ec) rtcp_socket_.open(protocol, ec);
  if (!ec) rtcp_socket_.bind({address, static_cast<std::uint16_t>(port + 1)}, ec);
  if (ec) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    rtcp_socket_.close(ignored);
  }
  return ec;
}

rtp_endpoint::rtp_endpoint(strand_type strand, rtp_port_pool& pool,
                           const rtp_endpoint_settings& settings)
    : strand_(std::move(strand)),
      socket_(strand_),
      rtcp_socket_(strand_),
      report_timer_(strand_),
      pool_(pool),
      settings_(settings),
      jitter_random_(std::random_device{}()) {}

rtp_endpoint::~rtp_endpoint() {
  // Normally close() ran on the strand; the port must go back in any case.
  if (port_ != 0) pool_.give_back(port_);
}

void rtp_endpoint::set_remote(const udp::endpoint& from_sdp) { remote_from_sdp_ = from_sdp; }

void rtp_endpoint::unlatch() {
  latched_ = false;
  candidate_.reset();
}

void rtp_endpoint::start(rtp_endpoint_listener& listener) {
  listener_ = &listener;
  do_receive();
  do_receive_rtcp();
  arm_report_timer();
}

void rtp_endpoint::close() {
  if (closed_) return;
  if (sent_ > 0 || statistics_.valid()) send_report(true);  // RFC 3550 §6.6
  closed_ = true;
  listener_ = nullptr;
  report_timer_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
  rtcp_socket_.close(ignored);
  if (port_ != 0) pool_.give_back(port_);
  port_ = 0;
}

std::optional<rtp_endpoint::udp::endpoint> rtp_endpoint::destination() const {
  if (latched_) return source_;
  return remote_from_sdp_;
}

void rtp_endpoint::send(const rtp_header& header, std::span<const std::uint8_t> payload) {
  const auto to = destination();
  if (closed_ || !to) return;
  const auto size = write_rtp(header, payload, send_buffer_);
  if (size == 0) return;
  // A datagram socket never blocks a whole packet for long: a full kernel buffer drops it,
  // which RTP tolerates better than late audio.
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(send_buffer_.data(), size), *to, 0, ec);
  if (ec) return;
  ++sent_;
  our_ssrc_ = header.ssrc;
  octets_sent_ += static_cast<std::uint32_t>(payload.size());
  last_rtp_timestamp_ = header.timestamp;
  last_rtp_sent_at_ = std::chrono::steady_clock::now();
  sent_since_report_ = true;
}

void rtp_endpoint::do_receive() {
  socket_.async_receive_from(
      asio::buffer(receive_buffer_), sender_,
      asio::bind_executor(
          strand_, [self = shared_from_this()](const boost::system::error_code& ec,
                                               std::size_t size) { self->on_receive(ec, size); }));
}

void rtp_endpoint::on_receive(const boost::system::error_code& ec, std::size_t size) {
  if (closed_ || ec == asio::error::operation_aborted) return;
  if (!ec) {
    const auto arrival = std::chrono::steady_clock::now();
    const std::span<const std::uint8_t> bytes(receive_buffer_.data(), size);
    const auto packet = classify(bytes) == packet_kind::rtp ? parse_rtp(bytes) : std::nullopt;
    if (packet && admit(*packet, arrival)) {
      statistics_.on_packet(*packet, arrival, settings_.clock_rate);
      if (listener_ != nullptr) listener_->on_rtp(*packet, arrival);
    } else {
      ++ignored_;
    }
  }
  // An error (an ICMP unreachable for an earlier send) concerns one datagram, not the socket.
  do_receive();
}

bool rtp_endpoint::admit(const rtp_header& packet, std::chrono::steady_clock::time_point arrival) {
  if (remote_from_sdp_ && sender_ == *remote_from_sdp_ && !(latched_ && sender_ == source_)) {
    // The address the peer's SDP gave is the peer's own: it wins at once over a source that
    // latched first, which can only be a stray stream still aimed at this port (a port freed
    // by an earlier call and bound again for this one), or a forger.
    latched_ = true;
    source_ = sender_;
    candidate_.reset();
  }
  if (latched_ && sender_ == source_) {
    last_from_source_ = arrival;
    return true;
  }
  if (latched_ && arrival - last_from_source_ < settings_.relatch_after) return false;
  if (candidate_ && *candidate_ == sender_ && packet.ssrc == candidate_ssrc_ &&
      packet.sequence == candidate_next_sequence_) {
    latched_ = true;
    source_ = sender_;
    last_from_source_ = arrival;
    candidate_.reset();
    return true;
  }
  candidate_ = sender_;
  candidate_ssrc_ = packet.ssrc;
  candidate_next_sequence_ = static_cast<std::uint16_t>(packet.sequence + 1);
  return false;
}

}  // namespace callcenterd::media
