#include "stream_acceptor.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <utility>

#include "transport_core.hpp"

namespace callcenterd::sip::transport_detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Accepting again at once after EMFILE and the like would spin; a pause lets fds free up.
constexpr std::chrono::milliseconds accept_retry_delay{100};

}  // namespace

stream_acceptor::stream_acceptor(std::shared_ptr<transport_core> core, transport_kind kind)
    : core_(std::move(core)),
      kind_(kind),
      strand_(asio::make_strand(core_->io())),
      acceptor_(strand_),
      retry_(strand_) {}

boost::system::error_code stream_acceptor::open(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  tcp::endpoint bound;
  if (!ec) bound = acceptor_.local_endpoint(ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return ec;
  }
  local_.transport = kind_;
  local_.local_address = bound.address();
  local_.local_port = bound.port();
  return {};
}

void stream_acceptor::start() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->do_accept(); });
}

void stream_acceptor::close() {
  asio::post(strand_, [self = shared_from_this()] {
    self->closed_ = true;
    self->retry_.cancel();
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void stream_acceptor::do_accept() {
  if (closed_) return;
  auto strand = asio::make_strand(core_->io());
  acceptor_.async_accept(strand, [self = shared_from_this(), strand](
                                     const boost::system::error_code& ec, tcp::socket socket) {
    self->on_accept(ec, strand, std::move(socket));
  });
}

void stream_acceptor::on_accept(const boost::system::error_code& ec, strand_type strand,
                                tcp::socket socket) {
  if (closed_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    spdlog::warn("sip: {} accept on port {} failed: {}", config_name(kind_), local_.local_port,
                 ec.message());
    retry_.expires_after(accept_retry_delay);
    retry_.async_wait([self = shared_from_this()](const boost::system::error_code& wait_ec) {
      if (!wait_ec) self->do_accept();
    });
    return;
  }
  core_->adopt(kind_, std::move(strand), std::move(socket));
  do_accept();
}

}  // namespace callcenterd::sip::transport_detail
