#include "demo_exposure.hpp"

#include <boost/asio/ip/address.hpp>

namespace callcenterd::app {

bool is_loopback_address(const std::string& address) {
  if (address == "localhost") return true;
  boost::system::error_code ec;
  const auto parsed = boost::asio::ip::make_address(address, ec);
  // Unparseable names and the wildcard (0.0.0.0, ::) count as reachable from outside.
  return !ec && parsed.is_loopback();
}

std::vector<std::string> exposed_addresses(const std::vector<std::string>& listen_addresses) {
  std::vector<std::string> exposed;
  for (const auto& address : listen_addresses) {
    if (!is_loopback_address(address)) exposed.push_back(address);
  }
  return exposed;
}

}  // namespace callcenterd::app
