#include "callcenterd/core/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

namespace callcenterd::core {
namespace {

TEST(metrics_registry, renders_a_small_registry_exactly) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  registry.counter("zeta_total", "Last family.").increment(3);
  auto& ok = registry.counter("alpha_requests_total", "Requests served.",
                              {{"status", "200"}, {"route", "/healthz"}});
  ok.increment();
  ok.increment(2);
  registry.counter("alpha_requests_total", "ignored help", {{"route", "/a"}, {"status", "500"}})
      .increment();
  registry.gauge("middle_temperature", "A settable gauge.").set(-1.5);

  EXPECT_EQ(registry.render(),
            "# HELP alpha_requests_total Requests served.\n"
            "# TYPE alpha_requests_total counter\n"
            "alpha_requests_total{route=\"/a\",status=\"500\"} 1\n"
            "alpha_requests_total{route=\"/healthz\",status=\"200\"} 3\n"
            "# HELP middle_temperature A settable gauge.\n"
            "# TYPE middle_temperature gauge\n"
            "middle_temperature -1.5\n"
            "# HELP zeta_total Last family.\n"
            "# TYPE zeta_total counter\n"
            "zeta_total 3\n");
  // Stable: a second render of unchanged values is identical.
  EXPECT_EQ(registry.render(), registry.render());
}

TEST(metrics_registry, same_labels_in_any_order_are_one_series) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  auto& first = registry.counter("x_total", "h", {{"a", "1"}, {"b", "2"}});
  auto& second = registry.counter("x_total", "h", {{"b", "2"}, {"a", "1"}});
  EXPECT_EQ(&first, &second);
  auto& other = registry.counter("x_total", "h", {{"a", "1"}, {"b", "3"}});
  EXPECT_NE(&first, &other);
}

TEST(metrics_registry, escapes_label_values_and_help) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  registry.gauge("g", "line one\nback\\slash \"quotes stay\"", {{"path", "a\\b\"c\nd"}}).set(1);
  EXPECT_EQ(registry.render(),
            "# HELP g line one\\nback\\\\slash \"quotes stay\"\n"
            "# TYPE g gauge\n"
            "g{path=\"a\\\\b\\\"c\\nd\"} 1\n");
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("\"\\\n"), "\\\"\\\\\\n");
}

TEST(metrics_registry, gauge_set_add_sub) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  auto& g = registry.gauge("connections", "Open connections.");
  g.add(5);
  g.sub(2);
  EXPECT_DOUBLE_EQ(g.value(), 3.0);
  g.set(0.25);
  EXPECT_EQ(registry.render(),
            "# HELP connections Open connections.\n# TYPE connections gauge\nconnections 0.25\n");
}

TEST(metrics_registry, special_float_values) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  registry.gauge("g", "h", {{"k", "nan"}}).set(std::numeric_limits<double>::quiet_NaN());
  registry.gauge("g", "h", {{"k", "pinf"}}).set(std::numeric_limits<double>::infinity());
  registry.gauge("g", "h", {{"k", "ninf"}}).set(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(registry.render(),
            "# HELP g h\n# TYPE g gauge\n"
            "g{k=\"nan\"} NaN\ng{k=\"ninf\"} -Inf\ng{k=\"pinf\"} +Inf\n");
}

TEST(metrics_registry, callback_gauge_is_read_at_render_and_removed_with_its_registration) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  double backlog = 7;
  int reads = 0;
  {
    auto registration = registry.callback_gauge("event_log_backlog", "Events not yet written.",
                                                {{"sink", "db"}}, [&] {
                                                  ++reads;
                                                  return backlog;
                                                });
    EXPECT_TRUE(registration.active());
    EXPECT_EQ(reads, 0);
    EXPECT_EQ(registry.render(),
              "# HELP event_log_backlog Events not yet written.\n"
              "# TYPE event_log_backlog gauge\n"
              "event_log_backlog{sink=\"db\"} 7\n");
    backlog = 12;
    EXPECT_NE(registry.render().find("event_log_backlog{sink=\"db\"} 12\n"), std::string::npos);
    EXPECT_EQ(reads, 2);

    // Moving the registration keeps the series alive.
    callback_registration moved = std::move(registration);
    EXPECT_FALSE(registration.active());  // NOLINT(bugprone-use-after-move): checking the move
    EXPECT_NE(registry.render().find("event_log_backlog"), std::string::npos);
  }
  EXPECT_EQ(registry.render(), "");
  EXPECT_EQ(reads, 3);
}

TEST(metrics_registry, callback_counter_has_counter_type) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  auto registration =
      registry.callback_counter("spooled_total", "Events spooled.", {}, [] { return 42.0; });
  EXPECT_EQ(registry.render(),
            "# HELP spooled_total Events spooled.\n# TYPE spooled_total counter\n"
            "spooled_total 42\n");
  registration.reset();
  EXPECT_FALSE(registration.active());
  EXPECT_EQ(registry.render(), "");
}

TEST(metrics_registry, a_callback_does_not_replace_a_plain_series) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  registry.gauge("g", "h").set(1);
  EXPECT_THROW((void)registry.callback_gauge("g", "h", {}, [] { return 2.0; }),
               std::invalid_argument);
  auto registration = registry.callback_gauge("c", "h", {}, [] { return 2.0; });
  EXPECT_THROW(registry.gauge("c", "h"), std::invalid_argument);
}

TEST(metrics_registry, histogram_buckets_are_cumulative_with_sum_and_count) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  auto& h =
      registry.histogram("request_seconds", "Request duration.", {{"route", "/x"}}, {0.1, 0.5, 1});
  h.observe(0.05);
  h.observe(0.1);  // on the bound: counts in le="0.1"
  h.observe(0.3);
  h.observe(2);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.cumulative_counts(), (std::vector<std::uint64_t>{2, 3, 3, 4}));
  EXPECT_EQ(registry.render(),
            "# HELP request_seconds Request duration.\n"
            "# TYPE request_seconds histogram\n"
            "request_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
            "request_seconds_bucket{route=\"/x\",le=\"0.5\"} 3\n"
            "request_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
            "request_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "request_seconds_sum{route=\"/x\"} 2.45\n"
            "request_seconds_count{route=\"/x\"} 4\n");
}

TEST(metrics_registry, histogram_without_labels_and_default_buckets) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  auto& h = registry.histogram("d", "h");
  EXPECT_EQ(h.upper_bounds(), default_duration_buckets());
  const std::string text = registry.render();
  EXPECT_NE(text.find("d_bucket{le=\"0.005\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("d_bucket{le=\"+Inf\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("d_sum 0\nd_count 0\n"), std::string::npos);
}

TEST(metrics_registry, rejects_conflicting_or_invalid_registrations) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  registry.counter("used_total", "h");
  EXPECT_THROW(registry.gauge("used_total", "h"), std::invalid_argument);
  registry.histogram("hist", "h", {}, {1, 2});
  EXPECT_THROW(registry.histogram("hist", "h", {{"a", "b"}}, {1, 3}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("hist2", "h", {{"le", "1"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("hist3", "h", {}, {2, 1}), std::invalid_argument);
  EXPECT_THROW(registry.counter("9starts_with_digit", "h"), std::invalid_argument);
  EXPECT_THROW(registry.counter("has space", "h"), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok_total", "h", {{"__reserved", "x"}}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok_total", "h", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok_total", "h", {{"bad-name", "1"}}), std::invalid_argument);
}

TEST(metrics_registry, concurrent_increments_are_all_counted) {
  metrics_registry registry(metrics_registry::process_metrics::exclude);
  constexpr int threads = 4;
  constexpr int per_thread = 20000;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&registry, t] {
      for (int i = 0; i < per_thread; ++i) {
        // Half look the series up every time, as a per-request path would.
        registry.counter("hits_total", "h", {{"worker", t % 2 == 0 ? "even" : "odd"}}).increment();
        registry.histogram("lat", "h").observe(0.001);
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(registry.counter("hits_total", "h", {{"worker", "even"}}).value(),
            static_cast<std::uint64_t>(threads / 2 * per_thread));
  EXPECT_EQ(registry.histogram("lat", "h").count(),
            static_cast<std::uint64_t>(threads * per_thread));
  EXPECT_NE(registry.render().find("hits_total{worker=\"odd\"} 40000\n"), std::string::npos);
}

}  // namespace
}  // namespace callcenterd::core
