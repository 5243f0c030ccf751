// The acceptance test of the write-behind event log: PostgreSQL goes away while events are
// produced and comes back; every event must then be in the table exactly once, and each
// producer's events in the order it appended them.
#include <gtest/gtest.h>

#include <boost/asio/use_future.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "callcenterd/store/event_log.hpp"
#include "pg_fixture.hpp"
#include "support/private_cluster.hpp"
#include "support/test_database.hpp"

namespace callcenterd::store {
namespace {

using namespace std::chrono_literals;
using test_support::private_cluster;
using test_support::test_database;
using testing::eventually;
using testing::expect_exactly_once_in_order;
using testing::query_value;
using testing::running_context;
using testing::spool_dir;

event_log_settings log_settings(const spool_dir& dir) {
  return testing::fast_event_log_settings(dir, "outage-test", 200);
}

db_pool_settings pool_settings(const std::string& conninfo) { return {conninfo, 2, 2s, 300ms}; }

TEST(event_log_outage,
     postgres_stopped_and_restarted_while_producing_loses_and_duplicates_nothing) {
  private_cluster cluster;
  test_database db(cluster.conninfo(), test_database::schema::migrated);
  spool_dir spool;
  running_context ctx(2);
  db_pool pool(pool_settings(db.conninfo()));
  event_log log(ctx.executor(), pool, log_settings(spool));

  constexpr int producers = 4;
  constexpr int per_producer = 1250;  // 5,000 events over roughly five seconds
  constexpr std::size_t total = std::size_t{producers} * per_producer;
  std::map<int, std::vector<std::string>> produced;
  std::mutex produced_mutex;
  // jthreads join on every exit path, so a failed ASSERT cannot leave a producer running
  // against a destroyed log.
  std::vector<std::jthread> threads;
  threads.reserve(producers);
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      std::vector<std::string> ids;
      for (int i = 0; i < per_producer; ++i) {
        event e =
            make_event("test.tick", "producer-" + std::to_string(p), {{"producer", p}, {"seq", i}});
        ids.push_back(e.id);
        log.append(std::move(e));
        std::this_thread::sleep_for(4ms);
      }
      std::lock_guard lock(produced_mutex);
      produced[p] = std::move(ids);
    });
  }

  const auto appended = [&] { return log.stats().appended_total.load(); };
  ASSERT_TRUE(eventually([&] { return appended() >= 800; }));
  cluster.stop();
  const auto at_stop = appended();
  // Keep producing into the outage until the log has noticed and spooled a good share.
  ASSERT_TRUE(eventually(
      [&] { return appended() >= at_stop + 1200 && log.stats().spooled_total.load() > 0; }));
  EXPECT_TRUE(log.stats().degraded.load());
  cluster.start();
  const bool still_producing = appended() < total;
  for (auto& t : threads) t.join();
  EXPECT_TRUE(still_producing) << "the restart should happen while events are still produced";

  ASSERT_TRUE(eventually([&] {
    const auto& s = log.stats();
    return !s.degraded.load() && s.backlog.load() == 0 && s.spool_bytes.load() == 0;
  })) << "the log did not recover; pool says: "
      << pool.last_error().message;
  EXPECT_NO_THROW(log.async_drain(30s, boost::asio::use_future).get());

  const auto& s = log.stats();
  EXPECT_EQ(s.appended_total.load(), total);
  EXPECT_GT(s.spooled_total.load(), 0U);
  EXPECT_GE(s.replayed_total.load(), s.spooled_total.load());
  // written_total counts the rows this log inserted. When the connection drops while a batch
  // commits ("no way to tell whether the transaction succeeded"), that batch is spooled, and
  // if the commit did go through, its replay finds the rows present and inserts none: the
  // count may then fall short by that batch, never exceed the total. The table itself must
  // hold every event exactly once either way (below).
  EXPECT_LE(s.written_total.load(), total);
  EXPECT_GE(s.written_total.load() + log_settings(spool).batch_size, total);
  EXPECT_EQ(std::filesystem::file_size(spool.file()), 0U);
  expect_exactly_once_in_order(db.conninfo(), produced);
}

TEST(event_log_outage, events_spooled_at_stop_reach_postgres_exactly_once_after_restart) {
  private_cluster cluster;
  test_database db(cluster.conninfo(), test_database::schema::migrated);
  spool_dir spool;
  running_context ctx(2);
  db_pool pool(pool_settings(db.conninfo()));
  std::map<int, std::vector<std::string>> produced;
  std::vector<event> spooled_events;

  {
    event_log log(ctx.executor(), pool, log_settings(spool));
    for (int i = 0; i < 20; ++i) {
      event e = make_event("test.before", "", {{"producer", 0}, {"seq", i}});
      produced[0].push_back(e.id);
      log.append(std::move(e));
    }
    EXPECT_NO_THROW(log.async_drain(30s, boost::asio::use_future).get());
    EXPECT_EQ(log.stats().written_total.load(), 20U);

    cluster.stop();
    for (int i = 0; i < 500; ++i) {
      event e = make_event("test.during", "", {{"producer", 1}, {"seq", i}});
      produced[1].push_back(e.id);
      spooled_events.push_back(e);
      log.append(std::move(e));
    }
    // PostgreSQL is down, so the drain ends with everything fsync'd to the spool.
    EXPECT_NO_THROW(log.async_drain(5s, boost::asio::use_future).get());
    EXPECT_EQ(log.stats().backlog.load(), 0);
    EXPECT_EQ(log.stats().spooled_total.load(), 500U);
  }  // the log is gone; only the spool file remembers the 500 events
  EXPECT_GT(std::filesystem::file_size(spool.file()), 0U);

  cluster.start();
  // A lost acknowledgement: some spooled events did reach the table before the crash.
  {
    pqxx::connection connection(db.conninfo());
    pqxx::work tx(connection);
    for (int i = 0; i < 50; ++i) {
      tx.exec_params(
          "INSERT INTO events (id, occurred_at, kind, node, payload)"
          " VALUES ($1, now(), 'test.during', 'outage-test', $2::jsonb)",
          spooled_events[i].id, spooled_events[i].payload.dump());
    }
    tx.commit();
  }

  event_log log(ctx.executor(), pool, log_settings(spool));
  ASSERT_TRUE(eventually([&] {
    return !log.stats().degraded.load() && log.stats().spool_bytes.load() == 0;
  })) << "replay did not finish; pool says: "
      << pool.last_error().message;
  EXPECT_EQ(log.stats().replayed_total.load(), 500U);
  EXPECT_EQ(log.stats().written_total.load(), 450U);
  expect_exactly_once_in_order(db.conninfo(), produced);
}

}  // namespace
}  // namespace callcenterd::store
