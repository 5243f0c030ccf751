// The event log with PostgreSQL unreachable (a closed 127.0.0.1 port): everything must land
// in the spool, in order, and survive a restart. The database side is in the integration
// tests.
#include "callcenterd/store/event_log.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <fstream>
#include <future>
#include <map>
#include <numeric>
#include <set>
#include <thread>

#include "callcenterd/core/uuid.hpp"
#include "event_codec.hpp"
#include "spool_file.hpp"
#include "support/temp_dir.hpp"
#include "unreachable.hpp"

namespace callcenterd::store {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using namespace std::chrono_literals;

class event_log_offline : public ::testing::Test {
 protected:
  event_log_offline()
      : work_(asio::make_work_guard(ctx_)),
        runner_([this] { ctx_.run(); }),
        pool_(db_pool_settings{testing::unreachable_conninfo(), 1, 1s, 50ms}) {}

  ~event_log_offline() override {
    work_.reset();
    runner_.join();
  }

  event_log_settings settings() const {
    event_log_settings s;
    s.spool_path = dir_.path() / "spool" / "events.spool";
    s.node = "unit-node";
    s.batch_size = 50;
    s.flush_interval = 5ms;
    s.retry_initial_backoff = 10ms;
    s.retry_max_backoff = 50ms;
    return s;
  }

  static error_code drain(event_log& log) {
    std::promise<error_code> done;
    log.async_drain(10s, [&](error_code ec) { done.set_value(ec); });
    return done.get_future().get();
  }

  std::vector<event> spooled_events() const {
    detail::spool_file spool;
    detail::spool_open_report report;
    EXPECT_FALSE(spool.blocking_open(settings().spool_path, report));
    detail::spool_read_batch batch;
    EXPECT_FALSE(spool.blocking_read(0, spool.size(), 1'000'000, batch));
    std::vector<event> events;
    for (const auto& row : batch.payloads) {
      auto e = detail::decode_event_row(row);
      EXPECT_TRUE(e) << row;
      if (e) events.push_back(std::move(*e));
    }
    return events;
  }

  callcenterd::testing::temp_dir dir_;
  asio::io_context ctx_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread runner_;
  db_pool pool_;
};

// Per producer, the payload index "i" of its events in the order they appear.
std::map<int, std::vector<int>> order_by_producer(const std::vector<event>& events) {
  std::map<int, std::vector<int>> order;
  for (const auto& e : events) order[e.payload.at("p").get<int>()].push_back(e.payload.at("i"));
  return order;
}

TEST_F(event_log_offline, events_go_to_the_spool_in_order_and_survive_a_restart) {
  constexpr int producers = 3;
  constexpr int per_producer = 200;
  {
    event_log log(ctx_.get_executor(), pool_, settings());
    std::vector<std::jthread> threads;
    threads.reserve(producers);
    for (int p = 0; p < producers; ++p) {
      threads.emplace_back([&log, p] {
        for (int i = 0; i < per_producer; ++i) {
          ASSERT_TRUE(log.append(make_event("test.tick", "", {{"p", p}, {"i", i}})));
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_FALSE(drain(log));
    const auto& stats = log.stats();
    EXPECT_EQ(stats.appended_total.load(), producers * per_producer);
    EXPECT_EQ(stats.spooled_total.load(), producers * per_producer);
    EXPECT_EQ(stats.written_total.load(), 0U);
    EXPECT_EQ(stats.backlog.load(), 0);
    EXPECT_TRUE(stats.degraded.load());
    EXPECT_EQ(stats.spool_bytes.load(), std::filesystem::file_size(settings().spool_path));
  }

  auto events = spooled_events();
  ASSERT_EQ(events.size(), std::size_t{producers} * per_producer);
  std::set<std::string> ids;
  for (const auto& e : events) {
    ids.insert(e.id);
    EXPECT_EQ(e.node, "unit-node");
  }
  EXPECT_EQ(ids.size(), events.size());
  std::vector<int> expected(per_producer);
  std::iota(expected.begin(), expected.end(), 0);
  for (const auto& [producer, order] : order_by_producer(events)) {
    EXPECT_EQ(order, expected) << "producer " << producer;
  }

  // A restart with the database still away keeps the old events and appends behind them.
  {
    event_log log(ctx_.get_executor(), pool_, settings());
    EXPECT_TRUE(log.stats().degraded.load());
    for (int i = 0; i < 10; ++i) log.append(make_event("test.late", "", {{"p", 9}, {"i", i}}));
    EXPECT_FALSE(drain(log));
  }
  const auto after = spooled_events();
  ASSERT_EQ(after.size(), events.size() + 10);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(after[i].id, events[i].id);
  EXPECT_EQ(order_by_producer(after)[9].size(), 10U);
}

TEST_F(event_log_offline, destroying_without_drain_still_spools_everything) {
  std::vector<std::string> ids;
  {
    event_log log(ctx_.get_executor(), pool_, settings());
    for (int i = 0; i < 120; ++i) {
      event e = make_event("test.tick", "corr", {{"p", 0}, {"i", i}});
      ids.push_back(e.id);
      log.append(std::move(e));
    }
  }
  const auto events = spooled_events();
  ASSERT_EQ(events.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(events[i].id, ids[i]);
}

TEST_F(event_log_offline, append_fills_ids_and_refuses_malformed_ones) {
  event_log log(ctx_.get_executor(), pool_, settings());
  event no_id;
  no_id.kind = "test.no_id";
  no_id.occurred_at =
      std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  EXPECT_TRUE(log.append(no_id));
  event bad = make_event("test.bad", "");
  bad.id = "not-a-uuid";
  EXPECT_FALSE(log.append(bad));
  EXPECT_EQ(log.stats().rejected_total.load(), 1U);
  EXPECT_EQ(log.stats().appended_total.load(), 1U);
  EXPECT_FALSE(drain(log));
  const auto events = spooled_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].kind, "test.no_id");
  EXPECT_TRUE(core::is_uuid(events[0].id));
}

TEST_F(event_log_offline, a_torn_spool_tail_is_cut_when_the_log_opens) {
  const auto path = settings().spool_path;
  std::filesystem::create_directories(path.parent_path());
  event kept = make_event("test.kept", "");
  kept.node = "old-node";
  std::string bytes;
  detail::append_spool_record(bytes, detail::encode_event_row(kept));
  const auto good = bytes.size();
  std::string torn;
  detail::append_spool_record(torn, detail::encode_event_row(make_event("test.torn", "")));
  bytes += torn.substr(0, torn.size() / 2);
  std::ofstream(path, std::ios::binary) << bytes;

  event_log log(ctx_.get_executor(), pool_, settings());
  EXPECT_EQ(log.stats().spool_bytes.load(), good);
  EXPECT_TRUE(log.stats().degraded.load());
  EXPECT_FALSE(drain(log));
  const auto events = spooled_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].id, kept.id);
}

}  // namespace
}  // namespace callcenterd::store
