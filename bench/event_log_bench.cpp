// Event log throughput against a real PostgreSQL: P producer threads append N events in all
// as fast as they can; the log batches them into PostgreSQL. Reports the producers' append
// rate (what a call's strand pays per event) and the end-to-end rate until every event is
// durable (async_drain completed).
//
//   event_log_bench CONNINFO SQL_DIR SPOOL_PATH [events] [producers] [batch_size]
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "callcenterd/store/db_pool.hpp"
#include "callcenterd/store/event_log.hpp"
#include "callcenterd/store/migrator.hpp"

namespace store = callcenterd::store;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: %s CONNINFO SQL_DIR SPOOL_PATH [events] [producers] [batch_size]\n",
                 argv[0]);
    return 2;
  }
  const std::string conninfo = argv[1];
  const std::size_t events = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 200000;
  const std::size_t producers = argc > 5 ? std::strtoul(argv[5], nullptr, 10) : 4;
  const std::size_t batch_size = argc > 6 ? std::strtoul(argv[6], nullptr, 10) : 500;

  auto migrated = store::blocking_apply_migrations(conninfo, argv[2]);
  if (!migrated) {
    std::fprintf(stderr, "migrations: %s\n", migrated.error().message.c_str());
    return 1;
  }

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::vector<std::thread> io_threads;
  for (int i = 0; i < 2; ++i) io_threads.emplace_back([&io] { io.run(); });

  store::db_pool pool({conninfo, 2, std::chrono::seconds(3), std::chrono::seconds(2)});
  store::event_log_settings settings;
  settings.spool_path = argv[3];
  settings.node = "bench";
  settings.batch_size = batch_size;
  settings.max_memory_events = events + 1;  // measure PostgreSQL, not spilling to the spool
  std::optional<store::event_log> log(std::in_place, io.get_executor(), pool, settings);

  const auto start = clock_type::now();
  std::vector<std::thread> threads;
  for (std::size_t p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      const std::size_t mine = events / producers + (p < events % producers ? 1 : 0);
      for (std::size_t i = 0; i < mine; ++i) {
        log->append(store::make_event("bench.event", "call-" + std::to_string(p),
                                      {{"producer", p}, {"seq", i}, {"queue", "support"}}));
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto appended = clock_type::now();
  auto drained = log->async_drain(std::chrono::minutes(5), boost::asio::use_future);
  drained.get();
  const auto durable = clock_type::now();

  const auto& stats = log->stats();
  const double append_s = std::chrono::duration<double>(appended - start).count();
  const double total_s = std::chrono::duration<double>(durable - start).count();
  std::printf("events            %zu (%zu producers, batch %zu)\n", events, producers, batch_size);
  std::printf("append            %.3f s  %.0f events/s  %.2f us/event per producer\n", append_s,
              events / append_s, append_s * 1e6 * producers / events);
  std::printf("durable in pg     %.3f s  %.0f events/s\n", total_s, events / total_s);
  std::printf("written %llu  spooled %llu\n",
              static_cast<unsigned long long>(stats.written_total.load()),
              static_cast<unsigned long long>(stats.spooled_total.load()));

  log.reset();
  pool.stop();
  work.reset();
  for (auto& t : io_threads) t.join();
  return stats.written_total.load() == events ? 0 : 1;
}
