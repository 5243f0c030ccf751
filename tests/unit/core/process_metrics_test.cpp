#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>

#include "callcenterd/core/metrics.hpp"

namespace callcenterd::core {
namespace {

// The value of an unlabelled sample `name` in rendered text, if present.
std::optional<double> sample(const std::string& text, const std::string& name) {
  const std::string prefix = "\n" + name + " ";
  const auto at = text.find(prefix);
  if (at == std::string::npos) return std::nullopt;
  return std::stod(text.substr(at + prefix.size()));
}

TEST(process_metrics, are_rendered_from_proc_self) {
  metrics_registry registry;
  registry.counter("aaa_total", "Sorts before the process families.").increment();
  const std::string text = registry.render();

  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE process_resident_memory_bytes gauge\n"), std::string::npos);
  EXPECT_GT(sample(text, "process_resident_memory_bytes").value_or(0), 1024.0 * 1024.0);
  EXPECT_GE(sample(text, "process_cpu_seconds_total").value_or(-1), 0.0);
  EXPECT_GE(sample(text, "process_open_fds").value_or(0), 3.0);

  const double start = sample(text, "process_start_time_seconds").value_or(0);
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_GT(start, now - 24 * 3600.0);  // a test process started recently
  EXPECT_LE(start, now + 1);

  // Families stay in name order with the user's metrics merged in.
  EXPECT_LT(text.find("aaa_total"), text.find("process_cpu_seconds_total"));
  EXPECT_LT(text.find("process_cpu_seconds_total"), text.find("process_open_fds"));
  EXPECT_LT(text.find("process_open_fds"), text.find("process_resident_memory_bytes"));
}

TEST(process_metrics, open_fds_follow_the_process) {
  metrics_registry registry;
  const double before = sample(registry.render(), "process_open_fds").value_or(0);
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  const double during = sample(registry.render(), "process_open_fds").value_or(0);
  ::close(fd);
  EXPECT_EQ(during, before + 1);
}

TEST(process_metrics, names_are_reserved_when_included) {
  metrics_registry with;
  EXPECT_THROW(with.gauge("process_open_fds", "h"), std::invalid_argument);
  metrics_registry without(metrics_registry::process_metrics::exclude);
  EXPECT_NO_THROW(without.gauge("process_open_fds", "h"));
  EXPECT_EQ(without.render().find("process_cpu_seconds_total"), std::string::npos);
}

}  // namespace
}  // namespace callcenterd::core
