// db_pool against an address where nothing listens: errors, executors and stop, without a
// database.
#include "callcenterd/store/db_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <future>

#include "unreachable.hpp"

namespace callcenterd::store {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using namespace std::chrono_literals;

db_pool_settings unreachable_settings() { return {testing::unreachable_conninfo(), 1, 2s, 200ms}; }

TEST(db_pool_unreachable, job_fails_unavailable_on_the_callers_strand_without_running) {
  asio::io_context ctx;
  auto strand = asio::make_strand(ctx);
  db_pool pool(unreachable_settings());
  bool job_ran = false;
  bool finished = false;
  bool resumed_on_strand = false;
  error_code result;
  int value = -1;
  asio::co_spawn(
      strand,
      [&]() -> asio::awaitable<void> {
        std::tie(result, value) = co_await pool.async_run<int>(
            [&](pqxx::connection&) {
              job_ran = true;
              return 7;
            },
            asio::as_tuple(asio::use_awaitable));
        resumed_on_strand = strand.running_in_this_thread();
        finished = true;
      },
      asio::detached);
  ctx.run();  // returns only once the job completed: the pending job keeps ctx busy
  ASSERT_TRUE(finished);
  EXPECT_EQ(result, db_errc::unavailable);
  EXPECT_EQ(value, 0);
  EXPECT_FALSE(job_ran);
  EXPECT_TRUE(resumed_on_strand);
  EXPECT_EQ(pool.stats().jobs_failed_total.load(), 1U);
  EXPECT_EQ(pool.stats().connections_open.load(), 0);
  EXPECT_EQ(pool.stats().jobs_queued.load(), 0);
  const store_error last = pool.last_error();
  EXPECT_EQ(last.code, db_errc::unavailable);
  EXPECT_NE(last.message.find("cannot connect to PostgreSQL"), std::string::npos) << last.message;
}

TEST(db_pool_unreachable, use_awaitable_reports_the_error_as_system_error) {
  asio::io_context ctx;
  db_pool pool(unreachable_settings());
  error_code caught;
  asio::co_spawn(
      ctx,
      [&]() -> asio::awaitable<void> {
        try {
          co_await pool.async_run<std::string>([](pqxx::connection&) { return std::string("x"); },
                                               asio::use_awaitable);
        } catch (const boost::system::system_error& e) {
          caught = e.code();
        }
      },
      asio::detached);
  ctx.run();
  EXPECT_EQ(caught, db_errc::unavailable);
}

TEST(db_pool_unreachable, every_job_fails_while_the_server_stays_away) {
  db_pool pool(unreachable_settings());
  for (int i = 0; i < 5; ++i) {
    std::promise<error_code> done;
    pool.async_run<void>([](pqxx::connection&) {}, [&](error_code ec) { done.set_value(ec); });
    EXPECT_EQ(done.get_future().get(), db_errc::unavailable);
  }
  EXPECT_EQ(pool.stats().jobs_failed_total.load(), 5U);
  EXPECT_EQ(pool.stats().reconnects_total.load(), 0U);
}

TEST(db_pool_stop, jobs_after_stop_complete_with_stopped) {
  db_pool pool(unreachable_settings());
  pool.stop();
  pool.stop();  // idempotent
  std::promise<error_code> done;
  pool.async_run<int>([](pqxx::connection&) { return 1; },
                      [&](error_code ec, int) { done.set_value(ec); });
  EXPECT_EQ(done.get_future().get(), db_errc::stopped);
}

}  // namespace
}  // namespace callcenterd::store
