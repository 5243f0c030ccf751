#include "io_thread.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <thread>

namespace callcenterd::app {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs the loop on a thread of its own; the destructor stops it and joins.
class loop_thread {
 public:
  explicit loop_thread(std::chrono::microseconds coalesce)
      : work_(asio::make_work_guard(io)), thread_([this, coalesce] {
          run_io_thread(io, coalesce);
          returned = true;
        }) {}
  ~loop_thread() { stop(); }
  loop_thread(const loop_thread&) = delete;
  loop_thread& operator=(const loop_thread&) = delete;

  void stop() {
    work_.reset();
    io.stop();
    if (thread_.joinable()) thread_.join();
  }

  asio::io_context io;
  std::atomic<bool> returned = false;

 private:
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

class io_thread : public testing::TestWithParam<std::chrono::microseconds> {};

TEST_P(io_thread, runs_work_posted_from_another_thread_after_a_quiet_spell) {
  loop_thread loop(GetParam());
  std::this_thread::sleep_for(20ms);  // the loop is blocked waiting, not polling
  std::promise<std::thread::id> ran;
  asio::post(loop.io, [&] { ran.set_value(std::this_thread::get_id()); });
  auto future = ran.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_NE(future.get(), std::this_thread::get_id());
}

TEST_P(io_thread, runs_every_handler_of_a_burst_and_the_handlers_they_post) {
  loop_thread loop(GetParam());
  constexpr int burst = 1000;
  std::atomic<int> done = 0;
  std::promise<void> all;
  for (int i = 0; i < burst; ++i) {
    asio::post(loop.io, [&] {
      asio::post(loop.io, [&] {
        if (++done == burst) all.set_value();
      });
    });
  }
  ASSERT_EQ(all.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(done.load(), burst);
}

TEST_P(io_thread, fires_timers) {
  loop_thread loop(GetParam());
  asio::steady_timer timer(loop.io, 30ms);
  std::promise<void> fired;
  const auto armed = std::chrono::steady_clock::now();
  timer.async_wait([&](const boost::system::error_code&) { fired.set_value(); });
  ASSERT_EQ(fired.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_GE(std::chrono::steady_clock::now() - armed, 30ms);
}

TEST_P(io_thread, returns_once_the_context_is_stopped) {
  loop_thread loop(GetParam());
  // Keep it busy so that the stop arrives while it polls or sleeps, not only while it waits.
  std::atomic<bool> busy = true;
  std::function<void()> again = [&] {
    if (busy) asio::post(loop.io, again);
  };
  asio::post(loop.io, again);
  std::this_thread::sleep_for(10ms);
  loop.stop();
  busy = false;
  EXPECT_TRUE(loop.returned.load());
}

INSTANTIATE_TEST_SUITE_P(coalescing, io_thread, testing::Values(0us, 2000us),
                         [](const testing::TestParamInfo<std::chrono::microseconds>& info) {
                           return info.param.count() == 0 ? std::string("off") : std::string("on");
                         });

}  // namespace
}  // namespace callcenterd::app
