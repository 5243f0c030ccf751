#include "connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <utility>

#include "stats_counters.hpp"
#include "transport_core.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

std::atomic<std::uint64_t> connection_ids{1};

// After a final error reply, how long the peer gets to read it before we close for good.
constexpr std::chrono::steady_clock::duration max_linger = std::chrono::seconds(2);

std::chrono::steady_clock::time_point now() { return std::chrono::steady_clock::now(); }

}  // namespace

std::uint64_t next_connection_id() {
  return connection_ids.fetch_add(1, std::memory_order_relaxed);
}

connection::connection(std::shared_ptr<transport_core> core, strand_type strand,
                       transport_kind kind, const boost::asio::ip::tcp::endpoint& remote,
                       bool outbound)
    : core_(std::move(core)),
      strand_(std::move(strand)),
      counters_(core_->counters(kind)),
      kind_(kind),
      id_(next_connection_id()),
      remote_(remote),
      outbound_(outbound),
      watchdog_(strand_),
      queue_(core_->settings().max_queued_bytes_per_connection),
      deadline_(now() + core_->settings().connect_timeout),
      last_activity_(now()) {
  flow_.transport = kind;
  flow_.remote_address = remote.address();
  flow_.remote_port = remote.port();
  flow_.connection_id = id_;
}

connection::~connection() {
  // Only a connection that never ran (turned away, or its io_context died) is still listed.
  if (state_ != state::closed) core_->forget(id_, key());
}

remote_key connection::key() const { return {kind_, remote_.address(), remote_.port()}; }

void connection::send(std::string bytes) {
  boost::asio::post(strand_, [self = shared_from_this(), bytes = std::move(bytes)]() mutable {
    self->enqueue(std::move(bytes), true);
  });
}

void connection::close(std::string_view why) {
  boost::asio::post(strand_,
                    [self = shared_from_this(), why = std::string(why)] { self->shut(why); });
}

void connection::on_established(const boost::asio::ip::tcp::endpoint& local) {
  if (state_ != state::connecting) return;
  state_ = state::open;
  flow_.local_address = local.address();
  flow_.local_port = local.port();
  last_activity_ = now();
  if (outbound_) bump(counters_.connections_opened);
  spdlog::debug("sip: {} established", to_string(flow_));
  arm_watchdog();  // from the handshake deadline to the idle timeout
  flush();
}

void connection::note_received(std::size_t count) {
  bump(counters_.bytes_in, count);
  last_activity_ = now();
}

void connection::deliver(std::string_view bytes) {
  if (auto reply = core_->handle_inbound(flow_, bytes)) enqueue(std::move(*reply), true);
}

void connection::queue_pong() {
  bump(counters_.pongs_sent);
  enqueue("\r\n", false);
}

void connection::fail_stream(std::optional<std::string> reply, std::string_view why) {
  spdlog::debug("sip: {}: {}; closing", to_string(flow_), why);
  if (!reply || state_ != state::open) {
    shut(why);
    return;
  }
  enqueue(std::move(*reply), true);
  if (state_ != state::open) return;
  state_ = state::draining;
  if (!writing_) begin_linger();
}

void connection::enqueue(std::string bytes, bool is_message) {
  if (state_ != state::connecting && state_ != state::open) {
    if (is_message) bump(counters_.send_failures);
    return;
  }
  if (!queue_.push(std::move(bytes), is_message)) {
    bump(counters_.queue_overflows);
    bump(counters_.send_failures);
    spdlog::warn("sip: {}: more than {} bytes waiting to be written; closing", to_string(flow_),
                 core_->settings().max_queued_bytes_per_connection);
    shut("write queue overflow");
    return;
  }
  flush();
}

void connection::flush() {
  const bool can_write = state_ == state::open || state_ == state::draining;
  if (!can_write || writing_ || queue_.empty()) return;
  writing_ = true;
  write_front(queue_.front().bytes);
}

void connection::on_write_done(const boost::system::error_code& ec) {
  writing_ = false;
  if (state_ == state::closed) {
    bump(counters_.send_failures, queue_.clear());
    return;
  }
  if (ec) {
    shut(ec.message());
    return;
  }
  const auto& sent = queue_.front();
  bump(counters_.bytes_out, sent.bytes.size());
  if (sent.is_message) bump(counters_.messages_out);
  queue_.pop();
  last_activity_ = now();
  if (state_ == state::draining && queue_.empty()) {
    begin_linger();
    return;
  }
  flush();
}

void connection::begin_linger() {
  state_ = state::lingering;
  shutdown_send();
  deadline_ = now() + std::min<std::chrono::steady_clock::duration>(max_linger,
                                                                    core_->settings().idle_timeout);
  arm_watchdog();
}

void connection::shut(std::string_view why) {
  if (state_ == state::closed) return;
  state_ = state::closed;
  watchdog_.cancel();
  close_socket();
  // A write in flight still uses the front entry; on_write_done drops the rest later.
  if (!writing_) bump(counters_.send_failures, queue_.clear());
  core_->connection_closed(*this, flow_, why);
}

void connection::arm_watchdog() {
  if (state_ == state::closed) return;
  const bool idle_rule = state_ == state::open || state_ == state::draining;
  watchdog_.expires_at(idle_rule ? last_activity_ + core_->settings().idle_timeout : deadline_);
  watchdog_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_watchdog(ec); });
}

void connection::on_watchdog(const boost::system::error_code& ec) {
  if (ec == boost::asio::error::operation_aborted || state_ == state::closed) return;
  const auto t = now();
  switch (state_) {
    case state::connecting:
      if (t >= deadline_) return shut("connect or handshake timed out");
      break;
    case state::open:
    case state::draining:
      if (t - last_activity_ >= core_->settings().idle_timeout) return shut("idle timeout");
      break;
    case state::lingering:
      if (t >= deadline_) return shut("closed after error reply");
      break;
    case state::closed:
      return;
  }
  arm_watchdog();
}

void connection::shutdown_send() {
  boost::system::error_code ignored;
  socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

void connection::close_socket() {
  boost::system::error_code ignored;
  socket().close(ignored);
}

}  // namespace callcenterd::sip::transport_detail
