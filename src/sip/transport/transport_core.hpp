#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/sip/transport_manager.hpp"
#include "connection.hpp"
#include "connection_table.hpp"
#include "stats_counters.hpp"

namespace callcenterd::sip::transport_detail {

class udp_socket;
class stream_acceptor;

// Everything the transports share; the transport_manager facade owns one, and every socket,
// listener and connection holds a reference, so nothing outlives what it uses. Thread-safe:
// listeners and bound flows are guarded by mutex_, connections by their table, counters are
// atomics, and the TLS contexts and settings are read-only once start() has returned.
class transport_core : public std::enable_shared_from_this<transport_core> {
 public:
  transport_core(boost::asio::io_context& io, transport_settings settings,
                 transport_listener& listener);

  // The transport_manager's members.
  boost::system::error_code start();
  std::string last_error_detail() const;
  void stop();
  void send(const flow& destination, std::string bytes);
  std::vector<flow> bound() const;
  transport_stats stats() const { return stats_.snapshot(); }

  // For sockets and connections, from any thread.
  boost::asio::io_context& io() { return io_; }
  const transport_settings& settings() const { return settings_; }
  live_counters& counters(transport_kind kind) { return stats_.at(kind); }
  boost::asio::ssl::context& server_tls() { return *server_tls_; }
  boost::asio::ssl::context& client_tls() { return *client_tls_; }

  // Parses, counts and traces one message from `source` and passes it to the listener; the
  // error reply to send back when it was malformed and a reply can be routed.
  std::optional<std::string> handle_inbound(const flow& source, std::string_view bytes);
  // Counts a stream that can no longer be framed; the error reply for what is left of it.
  std::optional<std::string> refuse_stream(const flow& source, std::string_view pending,
                                           const boost::system::error_code& why);
  // Makes, registers and starts the connection for an accepted socket, or turns it away.
  void adopt(transport_kind kind, strand_type strand, boost::asio::ip::tcp::socket socket);
  // A connection ended (on its strand): leaves the table, counts, tells the listener.
  void connection_closed(const connection& c, const flow& which, std::string_view why);
  // Drops a connection that never ran from the table.
  void forget(std::uint64_t id, const remote_key& key) { table_.remove(id, key); }

 private:
  boost::system::error_code load_tls();
  boost::system::error_code open_listener(const listen_endpoint& endpoint);
  void close_listeners();
  std::shared_ptr<udp_socket> udp_for(const flow& destination) const;
  void send_stream(const flow& destination, std::string bytes);

  boost::asio::io_context& io_;
  const transport_settings settings_;
  transport_listener& listener_;
  stats_counters stats_;
  connection_table table_;
  std::unique_ptr<boost::asio::ssl::context> server_tls_;
  std::unique_ptr<boost::asio::ssl::context> client_tls_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mutex_;
  bool started_ = false;
  std::string detail_;
  std::vector<std::shared_ptr<udp_socket>> udp_;
  std::vector<std::shared_ptr<stream_acceptor>> acceptors_;
  std::vector<flow> bound_;
};

}  // namespace callcenterd::sip::transport_detail
