#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/udp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "callcenterd/sip/flow.hpp"
#include "connection.hpp"

namespace callcenterd::sip::transport_detail {

// One UDP listener: a receive loop that hands every datagram to the io_context, so parsing
// and dispatch spread over all worker threads, and a send path. Datagrams from one sender
// are parsed in the order they came, on one of a fixed set of lanes (strands) chosen by the
// sender's address and port; different senders spread over the threads.
//
// Receiving: each wake-up of the loop drains what the kernel holds (up to a batch), because
// the loop's next completion waits its turn behind the parsing and transaction work queued on
// the same io_context; one datagram per turn lets the kernel buffer overflow under load.
//
// Sending: the calling thread sends at once with a non-blocking sendto when nothing is queued;
// only when the kernel pushes back (or earlier datagrams wait) does a datagram go to the queue,
// drained on the socket's strand one send at a time.
class udp_socket : public std::enable_shared_from_this<udp_socket> {
 public:
  udp_socket(std::shared_ptr<transport_core> core, strand_type strand);

  // Opens and binds; the transport layer's start() only.
  boost::system::error_code open(const boost::asio::ip::udp::endpoint& endpoint);
  // The bound address and actual port. Any thread after open().
  [[nodiscard]] const flow& local() const { return local_; }
  // Starts receiving. Once, after open().
  void start();
  // Queues one datagram for `to`. Any thread.
  void send_to(const boost::asio::ip::udp::endpoint& to, std::string bytes);
  // Closes the socket; pending operations end. Any thread.
  void close();

 private:
  struct datagram {
    boost::asio::ip::udp::endpoint to;
    std::string bytes;
  };

  void do_receive();
  void on_receive(const boost::system::error_code& ec, std::size_t received);
  // Hands one received datagram (in receive_buffer_, from sender_) to the io_context.
  void dispatch_datagram(std::size_t received);
  // The non-blocking send from the caller's thread; false when the datagram must be queued.
  bool send_now(const boost::asio::ip::udp::endpoint& to, const std::string& bytes);
  void enqueue(datagram d);
  void do_send();
  void on_sent(const boost::system::error_code& ec);
  /// Logs a datagram dropped on a full send queue, at most one line a second with the count:
  /// under overload a line per datagram would add to the load that caused it.
  void warn_dropped(const boost::asio::ip::udp::endpoint& to);

  // Enough lanes that busy peers rarely share one, few enough to cost nothing per socket.
  static constexpr std::size_t parse_lane_count = 32;

  const std::shared_ptr<transport_core> core_;
  const strand_type strand_;
  std::vector<strand_type> parse_lanes_;
  boost::asio::ip::udp::socket socket_;
  flow local_;
  // Large enough for any UDP payload, so no datagram is ever truncated.
  std::array<char, 65536> receive_buffer_{};
  boost::asio::ip::udp::endpoint sender_;
  std::deque<datagram> queue_;
  std::size_t queued_bytes_ = 0;
  bool sending_ = false;
  bool closed_ = false;
  // Datagrams handed to the strand and not yet sent: while any wait, send_now stays out of
  // the way so a peer's datagrams are not reordered behind its back.
  std::atomic<std::size_t> waiting_{0};
  // Shared by send_now, exclusive by close(): the descriptor is never used once closed.
  std::shared_mutex descriptor_mutex_;
  std::atomic<bool> open_for_direct_sends_{false};
  std::uint64_t unreported_drops_ = 0;
  std::chrono::steady_clock::time_point last_drop_warning_{};
};

}  // namespace callcenterd::sip::transport_detail
