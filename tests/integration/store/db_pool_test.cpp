#include "callcenterd/store/db_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

#include "pg_fixture.hpp"
#include "support/private_cluster.hpp"
#include "support/test_database.hpp"

namespace callcenterd::store {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using namespace std::chrono_literals;
using test_support::test_database;
using testing::eventually;
using testing::running_context;

// Runs `job` through the pool and waits for its completion from the test thread.
template <class R>
std::pair<error_code, R> run_and_wait(db_pool& pool, std::function<R(pqxx::connection&)> job) {
  std::promise<std::pair<error_code, R>> done;
  pool.async_run<R>(std::move(job), [&](error_code ec, R value) {
    done.set_value({ec, std::move(value)});
  });
  return done.get_future().get();
}

// `SELECT n` through the pool: whether the pool serves jobs (again).
int select_through(db_pool& pool, int n) {
  return run_and_wait<int>(pool,
                           [n](pqxx::connection& c) {
                             pqxx::work tx(c);
                             return tx.exec_params1("SELECT $1::int", n)[0].as<int>();
                           })
      .second;
}

TEST(db_pool, runs_queries_and_resumes_coroutines_on_the_callers_strand) {
  test_database db;
  // The context outlives the pool: a pool thread may still hold the strand executor of a
  // completed job for a moment, and an executor must never outlive its io_context.
  running_context ctx(3);
  db_pool pool({db.conninfo(), 2, 5s, 1s});
  auto strand = asio::make_strand(ctx.context());

  auto outcome = asio::co_spawn(
      strand,
      [&]() -> asio::awaitable<std::vector<bool>> {
        std::vector<bool> on_strand;
        for (int i = 0; i < 20; ++i) {
          auto [ec, sum] = co_await pool.async_run<int>(
              [i](pqxx::connection& c) {
                pqxx::work tx(c);
                return tx.exec_params1("SELECT $1::int + 1", i)[0].as<int>();
              },
              asio::as_tuple(asio::use_awaitable));
          on_strand.push_back(!ec && sum == i + 1 && strand.running_in_this_thread());
        }
        // The plain use_awaitable form returns the value directly.
        const std::string version = co_await pool.async_run<std::string>(
            [](pqxx::connection& c) {
              pqxx::nontransaction tx(c);
              return tx.exec1("SHOW server_version")[0].as<std::string>();
            },
            asio::use_awaitable);
        on_strand.push_back(!version.empty() && strand.running_in_this_thread());
        co_return on_strand;
      },
      asio::use_future);
  const auto checks = outcome.get();
  ASSERT_EQ(checks.size(), 21U);
  for (std::size_t i = 0; i < checks.size(); ++i) EXPECT_TRUE(checks[i]) << "call " << i;
  EXPECT_GE(pool.stats().connections_open.load(), 1);
  EXPECT_LE(pool.stats().connections_open.load(), 2);
  EXPECT_EQ(pool.stats().jobs_failed_total.load(), 0U);
}

TEST(db_pool, sql_errors_become_query_failed_with_the_servers_text) {
  test_database db;
  db_pool pool({db.conninfo(), 1, 5s, 1s});
  const auto [ec, value] = run_and_wait<int>(pool, [](pqxx::connection& c) {
    pqxx::work tx(c);
    return tx.exec1("SELECT * FROM no_such_table")[0].as<int>();
  });
  EXPECT_EQ(ec, db_errc::query_failed);
  EXPECT_EQ(value, 0);
  EXPECT_NE(pool.last_error().message.find("no_such_table"), std::string::npos);
  // The connection survived a statement error and serves the next job.
  EXPECT_EQ(select_through(pool, 5), 5);
  EXPECT_EQ(pool.stats().connections_open.load(), 1);
  EXPECT_EQ(pool.stats().reconnects_total.load(), 0U);
}

TEST(db_pool, a_job_that_swallows_a_lost_connection_still_reports_unavailable) {
  test_database db;
  db_pool pool({db.conninfo(), 1, 5s, 1s});
  // The job kills its own backend and catches what follows, as a store function that turns
  // exceptions into error values does.
  const auto [ec, value] = run_and_wait<int>(pool, [](pqxx::connection& c) {
    try {
      pqxx::nontransaction tx(c);
      tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
      return 1;
    } catch (const std::exception&) {
      return -1;
    }
  });
  EXPECT_EQ(ec, db_errc::unavailable);
  EXPECT_EQ(value, 0);
  // The dead connection was replaced: the next job runs.
  EXPECT_EQ(select_through(pool, 6), 6);
}

TEST(db_pool, prepare_once_prepares_a_statement_once_per_connection) {
  test_database db;
  db_pool pool({db.conninfo(), 1, 5s, 1s});
  const auto job = [](pqxx::connection& c) {
    prepare_once(c, "pool_test_add", "SELECT $1::int + $2::int");
    pqxx::work tx(c);
    const int sum = tx.exec_prepared1("pool_test_add", 2, 3)[0].as<int>();
    const int prepared =
        tx.exec1("SELECT count(*) FROM pg_prepared_statements WHERE name = 'pool_test_add'")[0]
            .as<int>();
    return sum * 100 + prepared;
  };
  EXPECT_EQ(run_and_wait<int>(pool, job), std::make_pair(error_code{}, 501));
  EXPECT_EQ(run_and_wait<int>(pool, job), std::make_pair(error_code{}, 501));
}

TEST(db_pool, reports_unavailable_while_postgres_is_stopped_and_recovers_after_restart) {
  test_support::private_cluster cluster;
  db_pool pool({cluster.conninfo("callcenterd"), 2, 2s, 400ms});
  const auto ping = [](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec1("SELECT 1")[0].as<int>();
  };
  ASSERT_EQ(run_and_wait<int>(pool, ping), std::make_pair(error_code{}, 1));

  cluster.stop();
  // Both workers may hold a connection that only finds out it is dead when used; after
  // that every job fails fast with unavailable and says why.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(run_and_wait<int>(pool, ping).first, db_errc::unavailable);
  }
  EXPECT_EQ(pool.stats().connections_open.load(), 0);
  EXPECT_EQ(pool.last_error().code, db_errc::unavailable);
  EXPECT_FALSE(pool.last_error().message.empty());

  cluster.start();
  EXPECT_TRUE(eventually([&] { return run_and_wait<int>(pool, ping).first == error_code{}; }))
      << pool.last_error().message;
  EXPECT_GE(pool.stats().reconnects_total.load(), 1U);
  EXPECT_GE(pool.stats().connections_open.load(), 1);
}

}  // namespace
}  // namespace callcenterd::store
