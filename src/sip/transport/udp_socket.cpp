#include "udp_socket.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <functional>
#include <mutex>
#include <system_error>
#include <utility>

#include "inbound.hpp"
#include "stats_counters.hpp"
#include "transport_core.hpp"

namespace callcenterd::sip::transport_detail {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

// Datagrams read per wake-up of the receive loop before it yields to other work: enough to
// empty a burst, few enough that one busy socket cannot starve the rest of the io_context.
constexpr int receive_batch = 64;

// Which parse lane a sender's datagrams take: the same sender always gets the same lane.
std::size_t lane_of(const udp::endpoint& sender, std::size_t lanes) {
  std::size_t h = std::hash<unsigned short>{}(sender.port());
  if (sender.address().is_v4()) {
    h ^= std::hash<std::uint32_t>{}(sender.address().to_v4().to_uint()) * 31;
  } else {
    for (const auto byte : sender.address().to_v6().to_bytes()) h = h * 131 + byte;
  }
  return h % lanes;
}

}  // namespace

udp_socket::udp_socket(std::shared_ptr<transport_core> core, strand_type strand)
    : core_(std::move(core)), strand_(std::move(strand)), socket_(strand_) {
  parse_lanes_.reserve(parse_lane_count);
  for (std::size_t i = 0; i < parse_lane_count; ++i) {
    parse_lanes_.push_back(asio::make_strand(core_->io()));
  }
}

boost::system::error_code udp_socket::open(const udp::endpoint& endpoint) {
  boost::system::error_code ec;
  socket_.open(endpoint.protocol(), ec);
  if (!ec) {
    // One receive loop per socket: bursts queue in the kernel while the loop's completion
    // waits its turn on the io_context. The default buffer (about 200 KiB, some 170 SIP
    // datagrams) overflows within milliseconds at 10,000 requests/s, and each overflow costs a
    // phone a 500 ms retransmission. Ask for 4 MiB; the kernel caps it at net.core.rmem_max.
    boost::system::error_code ignored;
    socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20), ignored);
    socket_.bind(endpoint, ec);
  }
  // Non-blocking, so the receive loop can drain without waiting and send_now never blocks.
  if (!ec) socket_.non_blocking(true, ec);
  udp::endpoint bound;
  if (!ec) bound = socket_.local_endpoint(ec);
  if (ec) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    return ec;
  }
  local_.transport = transport_kind::udp;
  local_.local_address = bound.address();
  local_.local_port = bound.port();
  open_for_direct_sends_ = true;
  return {};
}

void udp_socket::start() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->do_receive(); });
}

void udp_socket::close() {
  asio::post(strand_, [self = shared_from_this()] {
    const std::unique_lock lock(self->descriptor_mutex_);
    self->open_for_direct_sends_ = false;
    self->closed_ = true;
    boost::system::error_code ignored;
    self->socket_.close(ignored);
  });
}

void udp_socket::do_receive() {
  socket_.async_receive_from(
      asio::buffer(receive_buffer_), sender_,
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t received) {
        self->on_receive(ec, received);
      });
}

void udp_socket::on_receive(const boost::system::error_code& ec, std::size_t received) {
  if (closed_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    // ICMP errors for earlier sends and the like concern one peer, not the socket.
    spdlog::debug("sip: udp receive on port {}: {}", local_.local_port, ec.message());
  } else {
    dispatch_datagram(received);
    for (int more = 1; more < receive_batch; ++more) {
      boost::system::error_code next_ec;
      const auto next = socket_.receive_from(asio::buffer(receive_buffer_), sender_, 0, next_ec);
      if (next_ec) break;  // would_block: drained; anything else: the async receive reports it
      dispatch_datagram(next);
    }
  }
  do_receive();
}

void udp_socket::dispatch_datagram(std::size_t received) {
  auto& counters = core_->counters(transport_kind::udp);
  bump(counters.bytes_in, received);
  std::string bytes(receive_buffer_.data(), received);
  if (is_keep_alive(bytes)) {
    bump(counters.keep_alives_in);
    return;
  }
  flow source = local_;
  source.remote_address = sender_.address();
  source.remote_port = sender_.port();
  // Parsing and the listener run wherever the io_context finds a free thread; this strand
  // only moves bytes. One sender's datagrams keep their order through a lane of their own,
  // though: a phone's 183 handed to one thread and its 200 to another could otherwise reach
  // the call the wrong way round, and the caller would never hear the early media.
  const auto& lane = parse_lanes_[lane_of(sender_, parse_lanes_.size())];
  asio::post(lane, [self = shared_from_this(), source, bytes = std::move(bytes)] {
    if (auto reply = self->core_->handle_inbound(source, bytes)) {
      self->send_to({source.remote_address, source.remote_port}, std::move(*reply));
    }
  });
}

void udp_socket::send_to(const udp::endpoint& to, std::string bytes) {
  if (send_now(to, bytes)) return;
  waiting_.fetch_add(1, std::memory_order_acq_rel);
  asio::post(strand_, [self = shared_from_this(), d = datagram{to, std::move(bytes)}]() mutable {
    self->enqueue(std::move(d));
  });
}

bool udp_socket::send_now(const udp::endpoint& to, const std::string& bytes) {
  if (waiting_.load(std::memory_order_acquire) != 0) return false;
  const std::shared_lock lock(descriptor_mutex_);
  if (!open_for_direct_sends_.load(std::memory_order_relaxed)) return false;
  // A datagram socket's sendto is atomic in the kernel, so threads may send side by side.
  const auto sent = ::sendto(socket_.native_handle(), bytes.data(), bytes.size(),
                             MSG_DONTWAIT | MSG_NOSIGNAL, to.data(), to.size());
  auto& counters = core_->counters(transport_kind::udp);
  if (sent >= 0) {
    bump(counters.messages_out);
    bump(counters.bytes_out, bytes.size());
    return true;
  }
  const int error = errno;
  if (error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS || error == EINTR) {
    return false;  // the kernel's buffer is full for now: the strand's queue waits for room
  }
  bump(counters.send_failures);
  spdlog::debug("sip: udp send to {}: {}", to.address().to_string(),
                std::generic_category().message(error));
  return true;
}

void udp_socket::enqueue(datagram d) {
  auto& counters = core_->counters(transport_kind::udp);
  if (closed_) {
    waiting_.fetch_sub(1, std::memory_order_acq_rel);
    bump(counters.send_failures);
    return;
  }
  const auto limit = core_->settings().max_queued_bytes_per_connection;
  if (d.bytes.size() > limit || queued_bytes_ > limit - d.bytes.size()) {
    // A datagram is lost either way; dropping the newest keeps the socket serving others.
    waiting_.fetch_sub(1, std::memory_order_acq_rel);
    bump(counters.queue_overflows);
    bump(counters.send_failures);
    warn_dropped(d.to);
    return;
  }
  queued_bytes_ += d.bytes.size();
  queue_.push_back(std::move(d));
  if (!sending_) do_send();
}

void udp_socket::warn_dropped(const udp::endpoint& to) {
  ++unreported_drops_;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_drop_warning_ < std::chrono::seconds(1)) return;
  spdlog::warn("sip: udp port {}: send queue full; {} datagram(s) dropped, the last to {}",
               local_.local_port, unreported_drops_, to.address().to_string());
  unreported_drops_ = 0;
  last_drop_warning_ = now;
}

void udp_socket::do_send() {
  sending_ = true;
  const auto& next = queue_.front();
  socket_.async_send_to(asio::buffer(next.bytes), next.to,
                        [self = shared_from_this()](const boost::system::error_code& ec,
                                                    std::size_t) { self->on_sent(ec); });
}

void udp_socket::on_sent(const boost::system::error_code& ec) {
  sending_ = false;
  auto& counters = core_->counters(transport_kind::udp);
  const auto& sent = queue_.front();
  if (ec) {
    bump(counters.send_failures);
    spdlog::debug("sip: udp send to {}: {}", sent.to.address().to_string(), ec.message());
  } else {
    bump(counters.messages_out);
    bump(counters.bytes_out, sent.bytes.size());
  }
  queued_bytes_ -= sent.bytes.size();
  queue_.pop_front();
  waiting_.fetch_sub(1, std::memory_order_acq_rel);
  if (closed_) {
    bump(counters.send_failures, queue_.size());
    waiting_.fetch_sub(queue_.size(), std::memory_order_acq_rel);
    queue_.clear();
    queued_bytes_ = 0;
    return;
  }
  if (!queue_.empty()) do_send();
}

}  // namespace callcenterd::sip::transport_detail
