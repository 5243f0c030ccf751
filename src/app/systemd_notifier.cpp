#include "systemd_notifier.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <string>

namespace callcenterd::app {
namespace {

void notify(const std::string& state) {
  // unset_environment = 0: children and later calls still see NOTIFY_SOCKET.
  const int rc = sd_notify(0, state.c_str());
  if (rc < 0) spdlog::warn("sd_notify failed: {}", rc);
}

}  // namespace

systemd_notifier::systemd_notifier(boost::asio::io_context& io) : timer_(io) {}

void systemd_notifier::ready(std::string_view status) {
  notify("READY=1\nSTATUS=" + std::string(status));
}

void systemd_notifier::status(std::string_view status) { notify("STATUS=" + std::string(status)); }

void systemd_notifier::stopping(std::string_view status) {
  notify("STOPPING=1\nSTATUS=" + std::string(status));
}

void systemd_notifier::start_watchdog() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
  interval_ = std::chrono::microseconds(usec / 2);
  watchdog_running_ = true;
  spdlog::info("systemd watchdog: pinging every {} ms", interval_.count() / 1000);
  notify("WATCHDOG=1");
  schedule_ping();
}

void systemd_notifier::stop_watchdog() {
  watchdog_running_ = false;
  timer_.cancel();
}

void systemd_notifier::schedule_ping() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || !watchdog_running_) return;
    notify("WATCHDOG=1");
    schedule_ping();
  });
}

}  // namespace callcenterd::app
