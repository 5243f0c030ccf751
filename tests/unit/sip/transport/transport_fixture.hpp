#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "callcenterd/sip/transport_manager.hpp"
#include "test_peers.hpp"

namespace callcenterd::sip::test {

// Records what the transports hand up; waits have deadlines.
class recording_listener : public transport_listener {
 public:
  void on_message(received_message message) override;
  void on_connection_closed(const flow& connection) override;

  bool wait_messages(std::size_t count, std::chrono::steady_clock::duration timeout = wait_timeout);
  bool wait_closed(std::size_t count, std::chrono::steady_clock::duration timeout = wait_timeout);
  std::vector<received_message> messages();
  std::vector<flow> closed();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<received_message> messages_;
  std::vector<flow> closed_;
};

// A transport_manager on an io_context run by two threads. Tear-down stops the manager,
// releases the work guard and checks that the threads' run() returns: every test thereby
// checks that stop() leaves no work behind.
class transport_fixture : public ::testing::Test {
 protected:
  transport_fixture();
  ~transport_fixture() override;

  // 127.0.0.1, port 0, for each kind; short idle timeout left at the default.
  static transport_settings settings_for(std::initializer_list<transport_kind> kinds);
  // Constructs and starts the manager; fails the test when start() fails.
  void start(transport_settings settings);
  // The bound listener of `kind` (the first one).
  [[nodiscard]] flow bound(transport_kind kind) const;
  [[nodiscard]] std::uint16_t port(transport_kind kind) const { return bound(kind).local_port; }
  [[nodiscard]] transport_counters counters(transport_kind kind) const {
    return manager_->stats().of(kind);
  }
  // Polls `condition` until true or the deadline; for counters that change on I/O threads.
  static bool eventually(const std::function<bool()>& condition,
                         std::chrono::steady_clock::duration timeout = wait_timeout);
  // Stops the manager and waits (with a deadline) until the io threads return.
  bool stop_and_join();

  boost::asio::io_context io_;
  recording_listener listener_;
  std::optional<transport_manager> manager_;

 private:
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::atomic<int> finished_{0};
};

// A minimal valid request from 127.0.0.1:`port` over `transport` ("UDP", "TCP", ...).
std::string make_request(std::string_view method, std::string_view transport, std::uint16_t port,
                         std::string_view branch = "z9hG4bK1", std::string_view body = {});
// A 200 response to make_request()'s request.
std::string make_response(std::string_view transport, std::uint16_t port,
                          std::string_view branch = "z9hG4bK1");

}  // namespace callcenterd::sip::test
