#include "file_text.hpp"

#include <array>
#include <cerrno>
#include <fstream>
#include <system_error>

namespace callcenterd::config::detail {

namespace {

// Far above any real configuration or password file; stops `--check-config /dev/zero` from
// eating memory.
constexpr std::size_t max_file_bytes = std::size_t{16} * 1024 * 1024;

}  // namespace

parsed<std::string> read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  // An ifstream opens a directory without complaint and then reads nothing; say what it is.
  if (std::filesystem::is_directory(path, ec)) return parsed<std::string>::fail("is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int code = errno != 0 ? errno : EIO;
    return parsed<std::string>::fail(std::generic_category().message(code));
  }
  std::string text;
  std::array<char, 8192> chunk{};
  while (in) {
    in.read(chunk.data(), chunk.size());
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) {
      return parsed<std::string>::fail("larger than 16MiB, which no configuration file is");
    }
  }
  if (in.bad()) return parsed<std::string>::fail("read error");
  return parsed<std::string>::ok(std::move(text));
}

}  // namespace callcenterd::config::detail
