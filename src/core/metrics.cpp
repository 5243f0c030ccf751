#include "callcenterd/core/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <variant>

#include "process_stats.hpp"

namespace callcenterd::core {

namespace {

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool is_label_name(std::string_view name) {
  // Names starting with "__" belong to Prometheus itself.
  if (name.starts_with("__") || name.find(':') != std::string_view::npos) return false;
  return is_metric_name(name);
}

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    std::array<char, 32> text{};
    const auto [end, ec] = std::to_chars(text.data(), text.data() + text.size(), value);
    out.append(text.data(), ec == std::errc{} ? end : text.data());
  }
}

void append_escaped_help(std::string& out, std::string_view help) {
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// `extra` is the histogram's "le" pair, which always comes last.
void append_labels(std::string& out, const metric_labels& labels,
                   const std::pair<std::string_view, std::string_view>* extra = nullptr) {
  if (labels.empty() && extra == nullptr) return;
  out += '{';
  bool first = true;
  auto append_pair = [&](std::string_view name, std::string_view value) {
    if (!first) out += ',';
    first = false;
    out.append(name).append("=\"").append(escape_label_value(value)).append("\"");
  };
  for (const auto& [name, value] : labels) append_pair(name, value);
  if (extra != nullptr) append_pair(extra->first, extra->second);
  out += '}';
}

void append_sample(std::string& out, std::string_view name, const metric_labels& labels,
                   double value) {
  out.append(name);
  append_labels(out, labels);
  out += ' ';
  append_number(out, value);
  out += '\n';
}

void append_header(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type) {
  out.append("# HELP ").append(name).append(" ");
  append_escaped_help(out, help);
  out.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

metric_labels sorted_labels(const metric_labels& labels, bool histogram) {
  metric_labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (!is_label_name(sorted[i].first)) {
      throw std::invalid_argument("metrics: invalid label name '" + sorted[i].first + "'");
    }
    if (histogram && sorted[i].first == "le") {
      throw std::invalid_argument("metrics: 'le' is reserved for histogram buckets");
    }
    if (i > 0 && sorted[i].first == sorted[i - 1].first) {
      throw std::invalid_argument("metrics: duplicate label '" + sorted[i].first + "'");
    }
  }
  return sorted;
}

struct process_family {
  const char* name;
  const char* help;
  const char* type;
  std::optional<double> process_sample::*field;
};

constexpr std::array<process_family, 6> process_families{{
    {"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter",
     &process_sample::cpu_seconds},
    {"process_max_fds", "Maximum number of open file descriptors.", "gauge",
     &process_sample::max_fds},
    {"process_open_fds", "Number of open file descriptors.", "gauge", &process_sample::open_fds},
    {"process_resident_memory_bytes", "Resident memory size in bytes.", "gauge",
     &process_sample::resident_bytes},
    {"process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
     "gauge", &process_sample::start_time_seconds},
    {"process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge",
     &process_sample::virtual_bytes},
}};

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

const std::vector<double>& default_duration_buckets() {
  static const std::vector<double> buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

histogram::histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
      std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end() ||
      std::any_of(bounds_.begin(), bounds_.end(), [](double b) { return !std::isfinite(b); })) {
    throw std::invalid_argument("metrics: histogram bounds must be finite and strictly ascending");
  }
}

void histogram::observe(double value) noexcept {
  // lower_bound finds the first bound >= value: buckets are "less than or equal".
  const auto slot = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[static_cast<std::size_t>(slot)].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::cumulative_counts() const {
  std::vector<std::uint64_t> counts(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    counts[i] = running;
  }
  return counts;
}

struct metrics_registry::series {
  std::variant<std::unique_ptr<core::counter>, std::unique_ptr<core::gauge>,
               std::unique_ptr<core::histogram>, std::function<double()>>
      value;
};

struct metrics_registry::family {
  kind type;
  std::string help;
  std::vector<double> bounds;  // histograms only
  std::map<metric_labels, series> members;
};

callback_registration::callback_registration(metrics_registry* registry, std::string name,
                                             metric_labels labels)
    : registry_(registry), name_(std::move(name)), labels_(std::move(labels)) {}

callback_registration::callback_registration(callback_registration&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)),
      name_(std::move(other.name_)),
      labels_(std::move(other.labels_)) {}

callback_registration& callback_registration::operator=(callback_registration&& other) noexcept {
  if (this != &other) {
    reset();
    registry_ = std::exchange(other.registry_, nullptr);
    name_ = std::move(other.name_);
    labels_ = std::move(other.labels_);
  }
  return *this;
}

callback_registration::~callback_registration() { reset(); }

void callback_registration::reset() {
  if (registry_ != nullptr) std::exchange(registry_, nullptr)->remove_callback(name_, labels_);
}

metrics_registry::metrics_registry(process_metrics process)
    : process_metrics_(process == process_metrics::include) {}

metrics_registry::~metrics_registry() = default;

void metrics_registry::check_new_name(std::string_view name) const {
  if (!is_metric_name(name)) {
    throw std::invalid_argument("metrics: invalid metric name '" + std::string(name) + "'");
  }
  if (process_metrics_ && std::any_of(process_families.begin(), process_families.end(),
                                      [&](const auto& p) { return name == p.name; })) {
    throw std::invalid_argument("metrics: '" + std::string(name) + "' is a process metric");
  }
}

metrics_registry::family& metrics_registry::family_locked(std::string_view name,
                                                          std::string_view help, kind type,
                                                          const std::vector<double>* bounds) {
  auto fam = families_.find(name);
  if (fam == families_.end()) {
    auto created = std::make_unique<family>(
        family{type, std::string(help), bounds ? *bounds : std::vector<double>{}, {}});
    fam = families_.emplace(std::string(name), std::move(created)).first;
  }
  family& f = *fam->second;
  if (f.type != type) {
    throw std::invalid_argument("metrics: '" + std::string(name) + "' has another type");
  }
  if (bounds != nullptr && *bounds != f.bounds) {
    throw std::invalid_argument("metrics: '" + std::string(name) + "' has other buckets");
  }
  return f;
}

metrics_registry::series& metrics_registry::find_or_add(std::string_view name,
                                                        std::string_view help, kind type,
                                                        const metric_labels& labels,
                                                        const std::vector<double>* bounds) {
  const metric_labels key = sorted_labels(labels, type == kind::histogram);
  {
    // The common case, an existing series, only needs the shared lock.
    std::shared_lock lock(mutex_);
    if (auto fam = families_.find(name); fam != families_.end() && fam->second->type == type) {
      if (auto member = fam->second->members.find(key); member != fam->second->members.end()) {
        if (bounds == nullptr || *bounds == fam->second->bounds) return member->second;
      }
    }
  }
  check_new_name(name);
  std::unique_lock lock(mutex_);
  family& f = family_locked(name, help, type, bounds);
  auto [member, inserted] = f.members.try_emplace(key);
  if (inserted) {
    switch (type) {
      case kind::counter:
        member->second.value = std::make_unique<core::counter>();
        break;
      case kind::gauge:
        member->second.value = std::make_unique<core::gauge>();
        break;
      case kind::histogram:
        member->second.value = std::make_unique<core::histogram>(f.bounds);
        break;
    }
  }
  return member->second;
}

core::counter& metrics_registry::counter(std::string_view name, std::string_view help,
                                         const metric_labels& labels) {
  auto& s = find_or_add(name, help, kind::counter, labels, nullptr);
  auto* held = std::get_if<std::unique_ptr<core::counter>>(&s.value);
  if (held == nullptr) throw std::invalid_argument("metrics: series is a callback");
  return **held;
}

core::gauge& metrics_registry::gauge(std::string_view name, std::string_view help,
                                     const metric_labels& labels) {
  auto& s = find_or_add(name, help, kind::gauge, labels, nullptr);
  auto* held = std::get_if<std::unique_ptr<core::gauge>>(&s.value);
  if (held == nullptr) throw std::invalid_argument("metrics: series is a callback");
  return **held;
}

core::histogram& metrics_registry::histogram(std::string_view name, std::string_view help,
                                             const metric_labels& labels,
                                             const std::vector<double>& upper_bounds) {
  auto& s = find_or_add(name, help, kind::histogram, labels, &upper_bounds);
  return *std::get<std::unique_ptr<core::histogram>>(s.value);
}

callback_registration metrics_registry::add_callback(std::string_view name, std::string_view help,
                                                     kind type, const metric_labels& labels,
                                                     std::function<double()> read) {
  metric_labels key = sorted_labels(labels, false);
  check_new_name(name);
  {
    std::unique_lock lock(mutex_);
    family& f = family_locked(name, help, type, nullptr);
    auto [member, inserted] = f.members.try_emplace(key);
    // Replacing a plain series would leave its holders with a dangling reference.
    if (!inserted && !std::holds_alternative<std::function<double()>>(member->second.value)) {
      throw std::invalid_argument("metrics: '" + std::string(name) + "' series is not a callback");
    }
    member->second.value = std::move(read);
  }
  return {this, std::string(name), std::move(key)};
}

callback_registration metrics_registry::callback_gauge(std::string_view name, std::string_view help,
                                                       const metric_labels& labels,
                                                       std::function<double()> read) {
  return add_callback(name, help, kind::gauge, labels, std::move(read));
}

callback_registration metrics_registry::callback_counter(std::string_view name,
                                                         std::string_view help,
                                                         const metric_labels& labels,
                                                         std::function<double()> read) {
  return add_callback(name, help, kind::counter, labels, std::move(read));
}

void metrics_registry::remove_callback(const std::string& name,
                                       const metric_labels& sorted_labels) {
  std::unique_lock lock(mutex_);
  auto fam = families_.find(name);
  if (fam == families_.end()) return;
  fam->second->members.erase(sorted_labels);
  if (fam->second->members.empty()) families_.erase(fam);
}

std::string metrics_registry::render() const {
  // Rendered per family first so that process metrics merge into the name order.
  std::map<std::string_view, std::string> blocks;
  std::shared_lock lock(mutex_);
  for (const auto& [name, fam] : families_) {
    std::string& out = blocks[name];
    static constexpr std::array<const char*, 3> type_names{"counter", "gauge", "histogram"};
    append_header(out, name, fam->help, type_names[static_cast<std::size_t>(fam->type)]);
    for (const auto& [labels, member] : fam->members) {
      if (const auto* c = std::get_if<std::unique_ptr<core::counter>>(&member.value)) {
        out.append(name);
        append_labels(out, labels);
        out.append(" ").append(std::to_string((*c)->value())).append("\n");
      } else if (const auto* g = std::get_if<std::unique_ptr<core::gauge>>(&member.value)) {
        append_sample(out, name, labels, (*g)->value());
      } else if (const auto* read = std::get_if<std::function<double()>>(&member.value)) {
        append_sample(out, name, labels, (*read)());
      } else {
        const auto& h = *std::get<std::unique_ptr<core::histogram>>(member.value);
        const auto counts = h.cumulative_counts();
        const std::string bucket_name = name + "_bucket";
        for (std::size_t i = 0; i < counts.size(); ++i) {
          std::string bound;
          if (i < fam->bounds.size()) {
            append_number(bound, fam->bounds[i]);
          } else {
            bound = "+Inf";
          }
          const std::pair<std::string_view, std::string_view> le{"le", bound};
          out.append(bucket_name);
          append_labels(out, labels, &le);
          out.append(" ").append(std::to_string(counts[i])).append("\n");
        }
        append_sample(out, name + "_sum", labels, h.sum());
        out.append(name).append("_count");
        append_labels(out, labels);
        out.append(" ").append(std::to_string(counts.back())).append("\n");
      }
    }
  }
  if (process_metrics_) {
    const process_sample sample = read_process_sample();
    for (const auto& p : process_families) {
      const auto& value = sample.*(p.field);
      if (!value) continue;
      std::string& out = blocks[p.name];
      append_header(out, p.name, p.help, p.type);
      append_sample(out, p.name, {}, *value);
    }
  }
  std::string text;
  for (const auto& [name, block] : blocks) text += block;
  return text;
}

}  // namespace callcenterd::core
