#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "callcenterd/api/http_server.hpp"
#include "callcenterd/api/router.hpp"
#include "callcenterd/core/metrics.hpp"

namespace callcenterd::api::test {

// A real server on 127.0.0.1, an ephemeral port and two io threads, with a router that has a
// few test routes: GET /hello, GET /after/{ms} (answers {ms} after a timer), POST /echo,
// GET /boom (throws) and GET /gate (waits until release_gate()).
class server_fixture : public ::testing::Test {
 protected:
  server_fixture();
  ~server_fixture() override;

  // Short timeouts so that timeout tests finish quickly; tests adjust before start_server().
  static http_server_settings short_settings();
  void start_server(http_server_settings settings = short_settings());
  // Starts with a custom handler instead of the router.
  void start_server(http_server_settings settings, request_handler handler);

  // Stops the server and waits (with a hang guard) until every connection is gone.
  bool stop_and_wait_drained();
  void release_gate() { gate_open_ = true; }
  bool wait_gate_entered();

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }

  core::metrics_registry metrics_{core::metrics_registry::process_metrics::exclude};
  router router_{metrics_};
  boost::asio::io_context io_;
  std::optional<http_server> server_;
  // Given to the server's on_upgrade() by start_server() when set.
  upgrade_handler upgrade_;
  std::atomic<bool> gate_entered_{false};
  std::atomic<bool> gate_open_{false};

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

}  // namespace callcenterd::api::test
