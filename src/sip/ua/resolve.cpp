#include "callcenterd/sip/resolve.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <memory>

namespace callcenterd::sip {

namespace asio = boost::asio;

void resolve_peer(const asio::any_io_executor& executor, const std::string& host,
                  std::uint16_t port,
                  std::function<void(boost::system::error_code, asio::ip::address)> done) {
  boost::system::error_code ec;
  const auto literal = asio::ip::make_address(host, ec);
  if (!ec) {
    asio::post(executor, [done = std::move(done), literal] { done({}, literal); });
    return;
  }
  auto resolver = std::make_shared<asio::ip::udp::resolver>(executor);
  resolver->async_resolve(
      host, std::to_string(port),
      [resolver, done = std::move(done)](boost::system::error_code error,
                                         const asio::ip::udp::resolver::results_type& found) {
        if (!error && found.empty()) error = asio::error::host_not_found;
        done(error, error ? asio::ip::address() : found.begin()->endpoint().address());
      });
}

}  // namespace callcenterd::sip
