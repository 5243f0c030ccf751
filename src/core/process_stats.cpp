#include "process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace callcenterd::core {

namespace {

std::optional<double> boot_time_seconds() {
  std::ifstream stat("/proc/stat");
  std::string key;
  double value = 0;
  while (stat >> key) {
    if (key == "btime" && stat >> value) return value;
    stat.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

}  // namespace

process_sample read_process_sample() {
  process_sample sample;
  const double page_size = static_cast<double>(::sysconf(_SC_PAGESIZE));
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));

  std::ifstream statm("/proc/self/statm");
  double size_pages = 0;
  double resident_pages = 0;
  if (statm >> size_pages >> resident_pages) {
    sample.virtual_bytes = size_pages * page_size;
    sample.resident_bytes = resident_pages * page_size;
  }

  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // The command name may contain spaces and parentheses; the fields we want follow the last ')'.
  if (const auto paren = stat.rfind(')'); paren != std::string::npos && ticks > 0) {
    std::istringstream fields(stat.substr(paren + 1));
    std::vector<std::string> tokens{std::istream_iterator<std::string>(fields),
                                    std::istream_iterator<std::string>()};
    // tokens[0] is field 3 (state) of proc(5): utime is 14, stime 15, starttime 22.
    if (tokens.size() > 19) {
      sample.cpu_seconds = (std::stod(tokens[11]) + std::stod(tokens[12])) / ticks;
      if (const auto boot = boot_time_seconds()) {
        sample.start_time_seconds = *boot + std::stod(tokens[19]) / ticks;
      }
    }
  }

  std::error_code ec;
  double fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++fds;
  }
  if (!ec) sample.open_fds = fds;

  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    sample.max_fds = static_cast<double>(limit.rlim_cur);
  }
  return sample;
}

}  // namespace callcenterd::core
