// Reading recordings for the API: only files under the recording root named after their call,
// one bounded part at a time.
#include "recording_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace callcenterd::app {

namespace fs = std::filesystem;

namespace {

bool lies_under(const fs::path& root, const fs::path& path) {
  std::error_code ec;
  const auto base = fs::weakly_canonical(root, ec);
  if (ec) return false;
  const auto full = fs::weakly_canonical(path, ec);
  if (ec) return false;
  const auto [root_end, unused] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
  return root_end == base.end();
}

bool read_at(int fd, std::string& out, std::uint64_t first, std::uint64_t length) {
  out.resize(length);
  std::uint64_t done = 0;
  while (done < length) {
    const auto got =
        ::pread(fd, out.data() + done, length - done, static_cast<off_t>(first + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::uint64_t>(got);
  }
  return true;
}

}  // namespace

recording_read blocking_read_recording(const fs::path& root, const fs::path& path,
                                       const std::string& call_uuid, std::string_view range) {
  recording_read out;
  if (path.filename() != call_uuid + ".wav" || !lies_under(root, path)) {
    out.what = recording_read::kind::outside_root;
    return out;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return out;
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return out;
  }
  out.size = static_cast<std::uint64_t>(info.st_size);
  const auto asked = api::parse_byte_range(range, out.size);
  using kind = api::byte_range_request::kind;
  if (asked.what == kind::unsatisfiable) {
    ::close(fd);
    out.what = recording_read::kind::ok;
    out.unsatisfiable = true;
    return out;
  }
  if (asked.what == kind::part) {
    out.partial = true;
    out.first = asked.first;
    out.last = std::min(asked.last, asked.first + max_range_bytes - 1);
  } else {
    if (out.size > max_whole_bytes) {
      ::close(fd);
      out.what = recording_read::kind::too_large;
      return out;
    }
    out.first = 0;
    out.last = out.size == 0 ? 0 : out.size - 1;
  }
  const auto length = out.size == 0 ? 0 : out.last - out.first + 1;
  const bool read = read_at(fd, out.bytes, out.first, length);
  ::close(fd);
  out.what = read ? recording_read::kind::ok : recording_read::kind::missing;
  return out;
}

}  // namespace callcenterd::app
