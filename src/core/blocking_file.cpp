#include "callcenterd/core/blocking_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <fstream>
#include <system_error>

namespace callcenterd::core {

file_read blocking_read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code ec;
  // An ifstream opens a directory without complaint and then reads nothing; say what it is.
  if (std::filesystem::is_directory(path, ec)) return {std::nullopt, "is a directory"};
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int code = errno != 0 ? errno : EIO;
    return {std::nullopt, std::generic_category().message(code)};
  }
  std::string bytes;
  std::array<char, 8192> chunk{};
  while (in) {
    in.read(chunk.data(), chunk.size());
    bytes.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes) {
      return {std::nullopt, "larger than " + std::to_string(max_bytes) + " bytes", true};
    }
  }
  if (in.bad()) return {std::nullopt, "read error"};
  return {std::move(bytes), {}};
}

bool blocking_write_at(int fd, const void* data, std::size_t size, std::uint64_t offset) {
  const auto* bytes = static_cast<const char*>(data);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pwrite(fd, bytes + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void blocking_sync_parent_directory(const std::filesystem::path& path) {
  const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dir_fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return;
  ::fsync(dir_fd);
  ::close(dir_fd);
}

}  // namespace callcenterd::core
