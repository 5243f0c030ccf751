#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <memory>

#include "callcenterd/sip/flow.hpp"
#include "connection.hpp"

namespace callcenterd::sip::transport_detail {

// A TCP, TLS, WS or WSS listener: accepts sockets, each onto its own strand, and hands them to
// the transport core, which makes the connection. The accept loop runs on its own strand.
class stream_acceptor : public std::enable_shared_from_this<stream_acceptor> {
 public:
  stream_acceptor(std::shared_ptr<transport_core> core, transport_kind kind);

  // Opens, binds and listens; the transport layer's start() only.
  boost::system::error_code open(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound address and actual port. Any thread after open().
  [[nodiscard]] const flow& local() const { return local_; }
  // Starts accepting. Once, after open().
  void start();
  // Stops accepting. Any thread.
  void close();

 private:
  void do_accept();
  void on_accept(const boost::system::error_code& ec, strand_type strand,
                 boost::asio::ip::tcp::socket socket);

  const std::shared_ptr<transport_core> core_;
  const transport_kind kind_;
  const strand_type strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  flow local_;
  bool closed_ = false;
};

}  // namespace callcenterd::sip::transport_detail
