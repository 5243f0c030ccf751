#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/sip/flow.hpp"
#include "connection_table.hpp"
#include "write_queue.hpp"

namespace callcenterd::sip::transport_detail {

class transport_core;
struct live_counters;

using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;

// Connection ids: process-wide, from 1, never reused. Any thread.
std::uint64_t next_connection_id();

// What every stream connection (TCP, TLS, WS, WSS) shares, whatever its socket: the strand
// everything runs on, one write in flight with a bounded queue, the watchdog (connect and
// handshake deadline, then idle timeout, then linger), the error-reply-then-close rule, and
// leaving the connection table exactly once. Subclasses do the socket work and call the
// protected members from the strand. Its life is its pending operations (shared_from_this).
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(std::shared_ptr<transport_core> core, strand_type strand, transport_kind kind,
             const boost::asio::ip::tcp::endpoint& remote, bool outbound);
  virtual ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  [[nodiscard]] transport_kind transport() const noexcept { return kind_; }
  [[nodiscard]] remote_key key() const;
  [[nodiscard]] const boost::asio::ip::tcp::endpoint& remote() const noexcept { return remote_; }
  [[nodiscard]] bool outbound() const noexcept { return outbound_; }

  // Starts the connection: the handshake for an accepted socket, the connect for an outbound
  // one. Once; any thread.
  virtual void start() = 0;
  // Queues bytes for the peer. Any thread.
  void send(std::string bytes);
  // Closes at once, dropping what is queued. Any thread.
  void close(std::string_view why);

 protected:
  // All of these run on the strand.

  // Starts the watchdog; the first thing start() does on the strand.
  void arm_watchdog();
  // The connection is ready for messages: writes may start, reads should.
  void on_established(const boost::asio::ip::tcp::endpoint& local);
  // Bytes arrived; postpones the idle timeout. `count` adds to bytes_in.
  void note_received(std::size_t count);
  // Parses one message and passes it up, queuing an error reply if it is malformed.
  void deliver(std::string_view bytes);
  void queue_pong();
  // The byte stream can no longer be delimited: write `reply` if any, then close.
  void fail_stream(std::optional<std::string> reply, std::string_view why);
  void on_write_done(const boost::system::error_code& ec);
  void shut(std::string_view why);

  // True while messages read should be handled; false once closing (reads are discarded).
  [[nodiscard]] bool taking_input() const { return state_ == state::open; }
  [[nodiscard]] bool closed() const { return state_ == state::closed; }

  // Starts one async write of `bytes` (which stay valid until on_write_done).
  virtual void write_front(const std::string& bytes) = 0;
  // The TCP socket under any TLS or WebSocket layers.
  virtual boost::asio::ip::tcp::socket& socket() = 0;
  // Stops sending but keeps reading, so the peer can read our last reply before the close.
  void shutdown_send();
  void close_socket();

  const std::shared_ptr<transport_core> core_;
  const strand_type strand_;
  // The flow messages from this connection carry. Filled by on_established; strand only.
  flow flow_;
  live_counters& counters_;

 private:
  enum class state { connecting, open, draining, lingering, closed };

  void enqueue(std::string bytes, bool is_message);
  void flush();
  void on_watchdog(const boost::system::error_code& ec);
  void begin_linger();

  const transport_kind kind_;
  const std::uint64_t id_;
  const boost::asio::ip::tcp::endpoint remote_;
  const bool outbound_;
  boost::asio::steady_timer watchdog_;
  write_queue queue_;
  state state_ = state::connecting;
  bool writing_ = false;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::steady_clock::time_point last_activity_;
};

}  // namespace callcenterd::sip::transport_detail
