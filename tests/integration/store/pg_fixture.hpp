#pragma once

#include <gtest/gtest.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "callcenterd/store/event_log.hpp"

namespace callcenterd::store::testing {

/// An io_context run by `threads` threads for the duration of a test.
class running_context {
 public:
  explicit running_context(int threads = 2) : work_(boost::asio::make_work_guard(ctx_)) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ctx_.run(); });
  }
  running_context(const running_context&) = delete;
  running_context& operator=(const running_context&) = delete;
  ~running_context() {
    work_.reset();
    for (auto& t : threads_) t.join();
  }
  boost::asio::io_context& context() noexcept { return ctx_; }
  boost::asio::any_io_executor executor() { return ctx_.get_executor(); }

 private:
  boost::asio::io_context ctx_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

/// Polls `condition` every 20 ms until it holds or `limit` passes; returns whether it held.
/// A generous limit only bounds a hang: nothing asserts how fast the condition arrives.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

/// One value from one query, on a fresh connection (the test's own view of the database).
template <class T>
T query_value(const std::string& conninfo, const std::string& sql) {
  pqxx::connection connection(conninfo);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<T>();
}

/// A temporary directory for a spool file, removed with its contents.
class spool_dir {
 public:
  spool_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cc-spool-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~spool_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::filesystem::path file() const { return path_ / "events.spool"; }

 private:
  std::filesystem::path path_;
};

/// Event log settings that flush and retry quickly, so tests wait milliseconds, not seconds.
inline event_log_settings fast_event_log_settings(
    const spool_dir& dir, std::string node, std::size_t batch_size,
    std::size_t max_memory_events = event_log_settings{}.max_memory_events) {
  using namespace std::chrono_literals;
  event_log_settings s;
  s.spool_path = dir.file();
  s.node = std::move(node);
  s.batch_size = batch_size;
  s.max_memory_events = max_memory_events;
  s.flush_interval = 5ms;
  s.retry_initial_backoff = 20ms;
  s.retry_max_backoff = 400ms;
  return s;
}

// Checks the table against what was produced: every id once, nothing else, and for each
// producer its sequence numbers in log_position order equal production order.
inline void expect_exactly_once_in_order(const std::string& conninfo,
                                         const std::map<int, std::vector<std::string>>& produced) {
  std::size_t total = 0;
  std::set<std::string> expected_ids;
  for (const auto& [producer, ids] : produced) {
    total += ids.size();
    expected_ids.insert(ids.begin(), ids.end());
  }
  ASSERT_EQ(expected_ids.size(), total) << "the test produced duplicate ids";

  pqxx::connection connection(conninfo);
  pqxx::nontransaction tx(connection);
  const auto counts = tx.exec1("SELECT count(*), count(DISTINCT id) FROM events");
  EXPECT_EQ(counts[0].as<std::size_t>(), total);
  EXPECT_EQ(counts[1].as<std::size_t>(), total);

  std::map<int, std::vector<std::string>> stored;
  std::set<std::string> stored_ids;
  for (const auto& row : tx.exec("SELECT id::text, (payload->>'producer')::int FROM events"
                                 " ORDER BY log_position")) {
    stored[row[1].as<int>()].push_back(row[0].as<std::string>());
    stored_ids.insert(row[0].as<std::string>());
  }
  EXPECT_EQ(stored_ids, expected_ids);
  for (const auto& [producer, ids] : produced) {
    EXPECT_EQ(stored[producer], ids) << "producer " << producer << " out of order";
  }
}

}  // namespace callcenterd::store::testing
