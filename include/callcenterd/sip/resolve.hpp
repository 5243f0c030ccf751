#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <functional>
#include <string>

namespace callcenterd::sip {

/// The address of a peer configured by host (a trunk): an IP literal as it is, a name
/// through the system resolver, looked up afresh on every call so a carrier that moves is
/// followed. `done` runs on `executor` with the first address found, or with an error (the
/// resolver's, or host_not_found when it found none). Any thread.
void resolve_peer(const boost::asio::any_io_executor& executor, const std::string& host,
                  std::uint16_t port,
                  std::function<void(boost::system::error_code, boost::asio::ip::address)> done);

}  // namespace callcenterd::sip
