#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string_view>

namespace callcenterd::app {

/// The sd_notify side of a Type=notify unit: READY, STATUS, STOPPING and watchdog pings.
/// Without NOTIFY_SOCKET (not under systemd) every call is a no-op. The watchdog ping runs on
/// the shared io_context, so a stalled event loop stops the pings and systemd restarts us.
class systemd_notifier {
 public:
  explicit systemd_notifier(boost::asio::io_context& io);

  void ready(std::string_view status);
  void status(std::string_view status);
  void stopping(std::string_view status);

  /// Starts pinging at half the interval systemd asked for (WATCHDOG_USEC), if it asked.
  void start_watchdog();
  void stop_watchdog();

 private:
  void schedule_ping();

  boost::asio::steady_timer timer_;
  std::chrono::microseconds interval_{0};
  bool watchdog_running_ = false;
};

}  // namespace callcenterd::app
