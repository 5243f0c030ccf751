#include "socket_deadline.hpp"

namespace callcenterd::api::detail {

socket_deadline::socket_deadline(boost::asio::ip::tcp::socket& socket)
    : timer_(socket.get_executor()), watch_(std::make_shared<watch>(watch{&socket, 0, false})) {}

socket_deadline::~socket_deadline() { watch_->socket = nullptr; }

void socket_deadline::arm(std::chrono::steady_clock::duration timeout) {
  watch_->expired = false;
  const std::uint64_t generation = ++watch_->generation;
  timer_.expires_after(timeout);
  timer_.async_wait([watched = watch_, generation](const boost::system::error_code& ec) {
    // A newer arm() or a disarm() makes this wait stale even if it completed without error.
    if (ec || watched->socket == nullptr || watched->generation != generation) return;
    watched->expired = true;
    boost::system::error_code ignored;
    watched->socket->cancel(ignored);
  });
}

void socket_deadline::disarm() {
  ++watch_->generation;
  timer_.cancel();
}

bool socket_deadline::expired() const noexcept { return watch_->expired; }

}  // namespace callcenterd::api::detail
