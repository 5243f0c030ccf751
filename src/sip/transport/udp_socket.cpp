#include "udp_socket.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <utility>

#include "inbound.hpp"
#include "stats_counters.hpp"
#include "transport_core.hpp"

namespace callcenterd::sip::transport_detail {

namespace asio = boost::asio;
using udp = asio::ip::udp;

udp_socket::udp_socket(std::shared_ptr<transport_core> core, strand_type strand)
    : core_(std::move(core)), strand_(std::move(strand)), socket_(strand_) {}

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
  return {};
}

void udp_socket::start() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->do_receive(); });
}

void udp_socket::close() {
  asio::post(strand_, [self = shared_from_this()] {
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
    auto& counters = core_->counters(transport_kind::udp);
    bump(counters.bytes_in, received);
    std::string bytes(receive_buffer_.data(), received);
    if (is_keep_alive(bytes)) {
      bump(counters.keep_alives_in);
    } else {
      flow source = local_;
      source.remote_address = sender_.address();
      source.remote_port = sender_.port();
      // Parsing and the listener run wherever the io_context finds a free thread; this
      // strand only moves bytes.
      asio::post(core_->io(), [self = shared_from_this(), source, bytes = std::move(bytes)] {
        if (auto reply = self->core_->handle_inbound(source, bytes)) {
          self->send_to({source.remote_address, source.remote_port}, std::move(*reply));
        }
      });
    }
  }
  do_receive();
}

void udp_socket::send_to(const udp::endpoint& to, std::string bytes) {
  asio::post(strand_, [self = shared_from_this(), d = datagram{to, std::move(bytes)}]() mutable {
    self->enqueue(std::move(d));
  });
}

void udp_socket::enqueue(datagram d) {
  auto& counters = core_->counters(transport_kind::udp);
  if (closed_) {
    bump(counters.send_failures);
    return;
  }
  const auto limit = core_->settings().max_queued_bytes_per_connection;
  if (d.bytes.size() > limit || queued_bytes_ > limit - d.bytes.size()) {
    // A datagram is lost either way; dropping the newest keeps the socket serving others.
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
  if (closed_) {
    bump(counters.send_failures, queue_.size());
    queue_.clear();
    queued_bytes_ = 0;
    return;
  }
  if (!queue_.empty()) do_send();
}

}  // namespace callcenterd::sip::transport_detail
