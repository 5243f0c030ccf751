#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callcenterd::core {

/// Label pairs of one series, e.g. {{"route", "/healthz"}, {"status", "200"}}. Order does not
/// matter: the registry sorts them by name, so {a,b} and {b,a} name the same series.
using metric_labels = std::vector<std::pair<std::string, std::string>>;

/// A monotonically increasing count. Obtained from metrics_registry::counter(); the reference
/// stays valid for the life of the registry. Thread-safe; callable from any strand.
class counter {
 public:
  /// A relaxed atomic add: safe and cheap on hot paths.
  void increment(std::uint64_t amount = 1) noexcept {
    value_.fetch_add(amount, std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down. Obtained from metrics_registry::gauge(); the reference stays
/// valid for the life of the registry. Thread-safe; callable from any strand.
class gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double amount) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  void sub(double amount) noexcept { value_.fetch_sub(amount, std::memory_order_relaxed); }
  [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// Observations counted into fixed buckets (upper bounds, ascending), plus their sum and count.
/// Obtained from metrics_registry::histogram(). Thread-safe; callable from any strand.
class histogram {
 public:
  explicit histogram(std::vector<double> upper_bounds);

  /// Lock-free: one relaxed add on the bucket, the sum and the count.
  void observe(double value) noexcept;

  [[nodiscard]] const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
  /// Observations <= upper_bounds()[i], cumulative as Prometheus wants them; the last
  /// element (index upper_bounds().size()) is the +Inf bucket, equal to count().
  [[nodiscard]] std::vector<std::uint64_t> cumulative_counts() const;
  [[nodiscard]] double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t count() const noexcept {
    return count_.load(std::memory_order_relaxed);
  }

 private:
  std::vector<double> bounds_;
  // One slot per bound plus the +Inf slot; each holds the observations of its own bucket only.
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<double> sum_{0.0};
  std::atomic<std::uint64_t> count_{0};
};

/// Bucket bounds in seconds for request and operation durations (5 ms .. 10 s).
const std::vector<double>& default_duration_buckets();

class metrics_registry;

/// Keeps a callback metric registered; destroying or reset()ting it removes the series. Once
/// the destructor returns the callback is never called again. Must not outlive the registry.
class callback_registration {
 public:
  callback_registration() = default;
  callback_registration(callback_registration&& other) noexcept;
  callback_registration& operator=(callback_registration&& other) noexcept;
  callback_registration(const callback_registration&) = delete;
  callback_registration& operator=(const callback_registration&) = delete;
  ~callback_registration();

  void reset();
  [[nodiscard]] bool active() const noexcept { return registry_ != nullptr; }

 private:
  friend class metrics_registry;
  callback_registration(metrics_registry* registry, std::string name, metric_labels labels);

  metrics_registry* registry_ = nullptr;
  std::string name_;
  metric_labels labels_;
};

/// The process-wide set of metrics, rendered in Prometheus text exposition format 0.0.4.
///
/// Components get their series once (at construction) and keep the returned reference; updates
/// are then plain atomics. Lookups take a shared lock, so per-request lookups are acceptable but
/// not free. All member functions are thread-safe and callable from any strand.
///
/// Registering a name with a different type (or a histogram with different buckets), an invalid
/// metric or label name, or a reserved label throws std::invalid_argument: these are programming
/// errors that show up at start-up.
class metrics_registry {
 public:
  enum class process_metrics { include, exclude };

  /// `process` adds process_resident_memory_bytes, process_cpu_seconds_total, process_open_fds
  /// and process_start_time_seconds, read from /proc/self at every render().
  explicit metrics_registry(process_metrics process = process_metrics::include);
  ~metrics_registry();
  metrics_registry(const metrics_registry&) = delete;
  metrics_registry& operator=(const metrics_registry&) = delete;

  /// The counter series `name{labels}`, created on first use. `help` is taken from the first
  /// registration of the family.
  core::counter& counter(std::string_view name, std::string_view help,
                         const metric_labels& labels = {});
  core::gauge& gauge(std::string_view name, std::string_view help,
                     const metric_labels& labels = {});
  core::histogram& histogram(std::string_view name, std::string_view help,
                             const metric_labels& labels = {},
                             const std::vector<double>& upper_bounds = default_duration_buckets());

  /// A gauge whose value `read` computes at render() time, for values owned by another component.
  /// `read` runs on the scraping thread under the registry's lock: it must be thread-safe, must
  /// not block, and must not call back into the registry. Replaces an earlier callback with the
  /// same name and labels.
  [[nodiscard]] callback_registration callback_gauge(std::string_view name, std::string_view help,
                                                     const metric_labels& labels,
                                                     std::function<double()> read);
  /// As callback_gauge, for a total kept elsewhere (must never decrease).
  [[nodiscard]] callback_registration callback_counter(std::string_view name, std::string_view help,
                                                       const metric_labels& labels,
                                                       std::function<double()> read);

  /// The whole registry in Prometheus text format 0.0.4: families sorted by name, one HELP and
  /// TYPE line each, series sorted by labels. Output is stable for unchanged values.
  [[nodiscard]] std::string render() const;

 private:
  friend class callback_registration;
  enum class kind { counter, gauge, histogram };
  struct series;
  struct family;

  void check_new_name(std::string_view name) const;
  family& family_locked(std::string_view name, std::string_view help, kind type,
                        const std::vector<double>* bounds);
  series& find_or_add(std::string_view name, std::string_view help, kind type,
                      const metric_labels& labels, const std::vector<double>* bounds);
  callback_registration add_callback(std::string_view name, std::string_view help, kind type,
                                     const metric_labels& labels, std::function<double()> read);
  void remove_callback(const std::string& name, const metric_labels& sorted_labels);

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<family>, std::less<>> families_;
  bool process_metrics_;
};

/// Escapes a label value for the text format: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace callcenterd::core
