#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "connection.hpp"

namespace callcenterd::sip::transport_detail {

// A TCP or TLS connection for an accepted socket (whose executor is `strand`). Registered by
// the caller; start() begins the TLS handshake or the reading. On the accept loop's strand.
std::shared_ptr<connection> make_accepted_stream(std::shared_ptr<transport_core> core,
                                                 strand_type strand, transport_kind kind,
                                                 boost::asio::ip::tcp::socket socket);

// A TCP or TLS connection to `remote`, dialled when started; sends queue meanwhile. Any
// thread.
std::shared_ptr<connection> make_outbound_stream(std::shared_ptr<transport_core> core,
                                                 transport_kind kind,
                                                 const boost::asio::ip::tcp::endpoint& remote);

}  // namespace callcenterd::sip::transport_detail
