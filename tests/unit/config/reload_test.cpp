#include "callcenterd/config/reload.hpp"

#include <gtest/gtest.h>

namespace callcenterd::config {
namespace {

using namespace std::chrono_literals;
using names = std::vector<std::string>;

TEST(restart_required_changes, identical_settings_need_nothing) {
  daemon_settings a;
  EXPECT_EQ(restart_required_changes(a, a), names{});
}

TEST(restart_required_changes, log_level_and_format_apply_by_reload) {
  daemon_settings running;
  daemon_settings next;
  next.log.level = log_level::trace;
  next.log.format = log_format::json;
  next.source_file = "other.yaml";
  EXPECT_EQ(restart_required_changes(running, next), names{});
}

TEST(restart_required_changes, names_every_other_change_in_file_order) {
  daemon_settings running;
  daemon_settings next;
  next.log.level = log_level::debug;
  next.shutdown.drain_timeout = 1s;
  next.http.port = 9090;
  next.database.password = secret("rotated");
  next.service.threads = 2;
  next.event_log.spool_file = "/elsewhere";
  next.paths.prompts = "/p";
  EXPECT_EQ(restart_required_changes(running, next),
            (names{"service.threads", "http.port", "database.password", "paths.prompts",
                   "event_log.spool_file", "shutdown.drain_timeout"}));
}

TEST(restart_required_changes, every_key_is_compared) {
  daemon_settings running;
  daemon_settings next;
  next.service.node_name = "n";
  next.http.address = "::";
  next.http.max_header_bytes = 1;
  next.http.max_body_bytes = 1;
  next.http.request_timeout = 1s;
  next.http.idle_timeout = 1s;
  next.http.max_connections = 1;
  next.http.tls.certificate_file = "c";
  next.http.tls.private_key_file = "k";
  next.database.host = "h";
  next.database.port = 1;
  next.database.name = "n";
  next.database.user = "u";
  next.database.password_env = "E";
  next.database.password_file = "f";
  next.database.sslmode = ssl_mode::require;
  next.database.pool_size = 1;
  next.database.connect_timeout = 1s;
  next.database.reconnect_max_backoff = 1s;
  next.paths.var = "v";
  next.paths.recordings = "r";
  next.paths.migrations = "m";
  next.paths.flows = "f";
  next.event_log.batch_size = 1;
  next.event_log.flush_interval = 1s;
  next.event_log.max_memory_events = 1;
  EXPECT_EQ(restart_required_changes(running, next), (names{"service.node_name",
                                                            "http.address",
                                                            "http.max_header_bytes",
                                                            "http.max_body_bytes",
                                                            "http.request_timeout",
                                                            "http.idle_timeout",
                                                            "http.max_connections",
                                                            "http.tls.certificate_file",
                                                            "http.tls.private_key_file",
                                                            "database.host",
                                                            "database.port",
                                                            "database.name",
                                                            "database.user",
                                                            "database.password_env",
                                                            "database.password_file",
                                                            "database.sslmode",
                                                            "database.pool_size",
                                                            "database.connect_timeout",
                                                            "database.reconnect_max_backoff",
                                                            "paths.var",
                                                            "paths.recordings",
                                                            "paths.migrations",
                                                            "paths.flows",
                                                            "event_log.batch_size",
                                                            "event_log.flush_interval",
                                                            "event_log.max_memory_events"}));
}

TEST(restart_required_changes, the_acd_model_waits_for_a_restart) {
  daemon_settings running;
  daemon_settings next;
  next.acd.queues.push_back(acd::queue_settings{.name = "support"});
  EXPECT_EQ(restart_required_changes(running, next), names{"queues"});
  next.acd.agents.push_back(acd::agent_settings{.id = "1001", .extension = "1001"});
  next.acd.not_ready_reasons = {"break"};
  EXPECT_EQ(restart_required_changes(running, next),
            (names{"agents", "not_ready_reasons", "queues"}));
  running = next;
  next.acd.queues.front().overflow.push_back(acd::overflow_rule{.after = 30s});
  EXPECT_EQ(restart_required_changes(running, next), names{"queues"})
      << "a change deep inside a queue names the queues";
}

}  // namespace
}  // namespace callcenterd::config
