#include "file_text.hpp"

#include "callcenterd/core/blocking_file.hpp"

namespace callcenterd::config::detail {

namespace {

// Far above any real configuration or password file; stops `--check-config /dev/zero` from
// eating memory.
constexpr std::size_t max_file_bytes = std::size_t{16} * 1024 * 1024;

}  // namespace

parsed<std::string> read_text_file(const std::filesystem::path& path) {
  auto read = core::blocking_read_file(path, max_file_bytes);
  if (read.too_large) {
    return parsed<std::string>::fail("larger than 16MiB, which no configuration file is");
  }
  if (!read.bytes) return parsed<std::string>::fail(std::move(read.error));
  return parsed<std::string>::ok(std::move(*read.bytes));
}

}  // namespace callcenterd::config::detail
