#pragma once

#include <optional>

namespace callcenterd::core {

// What the kernel tells about this process; a field it could not read stays empty.
struct process_sample {
  std::optional<double> resident_bytes;
  std::optional<double> virtual_bytes;
  std::optional<double> cpu_seconds;
  std::optional<double> open_fds;
  std::optional<double> max_fds;
  std::optional<double> start_time_seconds;
};

/// Reads /proc/self (and /proc/stat for the boot time) now. Blocking only in the sense of a
/// few small procfs reads; called at scrape time on the scraping thread.
process_sample read_process_sample();

}  // namespace callcenterd::core
