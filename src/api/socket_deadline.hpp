#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

namespace callcenterd::api::detail {

// Cancels whatever is pending on a socket when a deadline passes, leaving the socket open so
// that the owner can still say why (408) before closing. Unlike a timeout that closes the
// socket, the owner decides what a timeout means. Lives on the socket's strand.
class socket_deadline {
 public:
  explicit socket_deadline(boost::asio::ip::tcp::socket& socket);
  ~socket_deadline();
  socket_deadline(const socket_deadline&) = delete;
  socket_deadline& operator=(const socket_deadline&) = delete;

  // Starts (or restarts) the countdown and clears expired().
  void arm(std::chrono::steady_clock::duration timeout);
  void disarm();
  // True when the last armed deadline passed and cancelled the socket's operations.
  [[nodiscard]] bool expired() const noexcept;

 private:
  // Shared with pending waits so that a wait completing after our destruction touches nothing.
  struct watch {
    boost::asio::ip::tcp::socket* socket = nullptr;
    std::uint64_t generation = 0;
    bool expired = false;
  };

  boost::asio::steady_timer timer_;
  std::shared_ptr<watch> watch_;
};

}  // namespace callcenterd::api::detail
