// The event log against a live PostgreSQL: direct batched writes, and the spool used when
// the database is up but not keeping up (a table lock stands in for a slow server).
#include "callcenterd/store/event_log.hpp"

#include <gtest/gtest.h>

#include <boost/asio/use_future.hpp>
#include <thread>

#include "pg_fixture.hpp"
#include "support/test_database.hpp"

namespace callcenterd::store {
namespace {

using namespace std::chrono_literals;
using test_support::test_database;
using testing::eventually;
using testing::expect_exactly_once_in_order;
using testing::query_value;
using testing::running_context;
using testing::spool_dir;

event_log_settings settings_for(const spool_dir& dir, std::size_t batch, std::size_t max_memory) {
  return testing::fast_event_log_settings(dir, "node-it", batch, max_memory);
}

std::vector<std::string> produce(event_log& log, int producer, int count) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    event e = make_event("test.tick", "", {{"producer", producer}, {"seq", i}});
    ids.push_back(e.id);
    log.append(std::move(e));
  }
  return ids;
}

bool recovered(const event_log& log) {
  const auto& s = log.stats();
  return !s.degraded.load() && s.backlog.load() == 0 && s.spool_bytes.load() == 0;
}

TEST(event_log, writes_batches_straight_to_postgres_when_it_is_up) {
  test_database db;
  spool_dir spool;
  running_context ctx(2);
  db_pool pool({db.conninfo(), 2, 5s, 1s});
  event_log log(ctx.executor(), pool, settings_for(spool, 100, 10'000));

  std::map<int, std::vector<std::string>> produced;
  std::thread second([&] { produced[1] = produce(log, 1, 600); });
  produced[0] = produce(log, 0, 600);
  second.join();
  event exact = make_event("test.exact", "call-1", {{"producer", 2}, {"seq", 0}});
  exact.occurred_at = std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + 1h +
                      std::chrono::microseconds{123457};
  produced[2] = {exact.id};
  log.append(exact);
  EXPECT_NO_THROW(log.async_drain(30s, boost::asio::use_future).get());

  const auto& s = log.stats();
  EXPECT_EQ(s.written_total.load(), 1201U);
  EXPECT_EQ(s.spooled_total.load(), 0U);
  EXPECT_EQ(s.backlog.load(), 0);
  EXPECT_FALSE(s.degraded.load());
  expect_exactly_once_in_order(db.conninfo(), produced);

  const std::string where = " FROM events WHERE id = '" + exact.id + "'";
  EXPECT_EQ(
      query_value<std::string>(
          db.conninfo(),
          "SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')" + where),
      "2024-02-29 01:00:00.123457");
  EXPECT_EQ(query_value<std::string>(db.conninfo(), "SELECT correlation_id || '/' || node" + where),
            "call-1/node-it");
  EXPECT_EQ(
      query_value<int>(db.conninfo(), "SELECT count(*) FROM events WHERE correlation_id IS NULL"),
      1200);
}

TEST(event_log, spills_to_the_spool_when_postgres_falls_behind_and_keeps_order) {
  test_database db;
  spool_dir spool;
  running_context ctx(2);
  db_pool pool({db.conninfo(), 2, 5s, 1s});
  event_log log(ctx.executor(), pool, settings_for(spool, 50, 200));

  pqxx::connection locker(db.conninfo());
  auto lock = std::make_unique<pqxx::work>(locker);
  lock->exec("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");  // every INSERT now waits

  std::map<int, std::vector<std::string>> produced;
  produced[0] = produce(log, 0, 1000);
  ASSERT_TRUE(eventually([&] { return log.stats().spooled_total.load() > 0; }))
      << "more than max_memory_events waited in memory without spilling";
  EXPECT_TRUE(log.stats().degraded.load());
  // Memory stays bounded while the database stalls: the rest waits in the spool.
  EXPECT_TRUE(eventually([&] { return log.stats().backlog.load() <= 200; }))
      << log.stats().backlog.load() << " events in memory";

  lock->abort();
  lock.reset();
  ASSERT_TRUE(eventually([&] { return recovered(log); }));
  expect_exactly_once_in_order(db.conninfo(), produced);
}

TEST(event_log, drain_timeout_spools_what_postgres_has_not_confirmed) {
  test_database db;
  spool_dir spool;
  running_context ctx(2);
  db_pool pool({db.conninfo(), 2, 5s, 1s});
  event_log log(ctx.executor(), pool, settings_for(spool, 50, 10'000));

  pqxx::connection locker(db.conninfo());
  auto lock = std::make_unique<pqxx::work>(locker);
  lock->exec("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");

  std::map<int, std::vector<std::string>> produced;
  produced[0] = produce(log, 0, 300);
  // The INSERT in flight cannot finish, so the drain gives up at its deadline and makes
  // everything durable in the spool instead: the blocked batch included, as a copy.
  EXPECT_NO_THROW(log.async_drain(300ms, boost::asio::use_future).get());
  EXPECT_EQ(log.stats().backlog.load(), 0);
  EXPECT_EQ(log.stats().spooled_total.load(), 300U);
  EXPECT_EQ(query_value<int>(db.conninfo(),
                             "SELECT count(*) FROM pg_locks WHERE granted AND "
                             "mode = 'AccessExclusiveLock' AND relation = "
                             "'events'::regclass"),
            1);

  // Once the lock goes the blocked batch commits, and replay skips its spooled copies.
  lock->abort();
  lock.reset();
  ASSERT_TRUE(eventually([&] { return recovered(log); }));
  EXPECT_EQ(log.stats().written_total.load(), 300U);
  expect_exactly_once_in_order(db.conninfo(), produced);
}

}  // namespace
}  // namespace callcenterd::store
