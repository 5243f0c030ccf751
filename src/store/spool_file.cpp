#include "spool_file.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>

#include "callcenterd/core/blocking_file.hpp"

namespace callcenterd::store::detail {
namespace {

void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xffU));
  }
}

std::uint32_t get_u32(const char* bytes) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

// Reads up to `size` bytes at `offset`; returns how many were read, or -1 with errno set.
ssize_t read_at(int fd, char* data, std::size_t size, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, data + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

bool framing_ok(std::uint32_t length) { return length != 0 && length <= spool_max_record_size; }

}  // namespace

std::uint32_t spool_crc32(std::string_view bytes) noexcept {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

void append_spool_record(std::string& out, std::string_view payload) {
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, spool_crc32(payload));
  out.append(payload);
}

spool_file::~spool_file() {
  if (fd_ >= 0) ::close(fd_);
}

store_error spool_file::io_error(std::string_view what, int err) const {
  return {make_error_code(spool_errc::io_failed),
          std::string(what) + " " + path_.string() + ": " + std::strerror(err)};
}

store_error spool_file::blocking_open(const std::filesystem::path& path,
                                      spool_open_report& report) {
  path_ = path;
  report = {};
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return io_error("cannot create directory for", ec.value());
  }
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) return io_error("cannot open", errno);
  core::blocking_sync_parent_directory(path);

  struct stat st {};
  if (::fstat(fd_, &st) != 0) return io_error("cannot stat", errno);
  const auto file_size = static_cast<std::uint64_t>(st.st_size);

  std::uint64_t offset = 0;
  std::array<char, spool_header_size> header{};
  std::string payload;
  while (offset < file_size) {
    if (file_size - offset < spool_header_size) break;
    if (read_at(fd_, header.data(), header.size(), offset) != ssize_t{spool_header_size}) {
      return io_error("cannot read", errno);
    }
    const std::uint32_t length = get_u32(header.data());
    const std::uint64_t record_end = offset + spool_header_size + length;
    if (!framing_ok(length) || record_end > file_size) break;
    payload.resize(length);
    if (read_at(fd_, payload.data(), length, offset + spool_header_size) != ssize_t(length)) {
      return io_error("cannot read", errno);
    }
    if (spool_crc32(payload) != get_u32(header.data() + 4)) {
      // A bad last record is a write that the crash interrupted; one in the middle was
      // complete once, so its neighbours are still framed correctly and are kept.
      if (record_end == file_size) break;
      ++report.corrupt_records;
    } else {
      ++report.records;
    }
    offset = record_end;
  }

  if (offset < file_size) {
    report.cut_bytes = file_size - offset;
    spdlog::warn("event spool {}: cutting {} bytes of torn tail at offset {}", path_.string(),
                 report.cut_bytes, offset);
    if (::ftruncate(fd_, static_cast<off_t>(offset)) != 0) return io_error("cannot cut", errno);
    if (::fsync(fd_) != 0) return io_error("cannot fsync", errno);
  }
  if (report.corrupt_records > 0) {
    spdlog::error("event spool {}: {} records fail their checksum and will be skipped",
                  path_.string(), report.corrupt_records);
  }
  size_ = offset;
  report.size = offset;
  return {};
}

store_error spool_file::blocking_append(const std::vector<std::string_view>& payloads) {
  std::string bytes;
  std::size_t total = 0;
  for (const auto& p : payloads) total += spool_header_size + p.size();
  bytes.reserve(total);
  for (const auto& p : payloads) {
    if (!framing_ok(static_cast<std::uint32_t>(p.size())) || p.size() > spool_max_record_size) {
      return {make_error_code(spool_errc::io_failed),
              "event of " + std::to_string(p.size()) + " bytes cannot be spooled"};
    }
    append_spool_record(bytes, p);
  }
  if (!core::blocking_write_at(fd_, bytes.data(), bytes.size(), size_) || ::fdatasync(fd_) != 0) {
    const int err = errno;
    // Leave no half record behind: the next append must start on a record boundary.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      spdlog::error("event spool {}: cannot cut failed append: {}", path_.string(),
                    std::strerror(errno));
    }
    return io_error("cannot write", err);
  }
  size_ += bytes.size();
  return {};
}

store_error spool_file::blocking_read(std::uint64_t offset, std::uint64_t limit,
                                      std::size_t max_records, spool_read_batch& out) {
  out.payloads.clear();
  out.corrupt_records = 0;
  out.next_offset = offset;
  limit = std::min(limit, size_);
  // One read for many small records; a record bigger than the chunk is read on its own.
  constexpr std::uint64_t chunk_size = std::uint64_t{1024} * 1024;
  std::string chunk;
  while (out.next_offset < limit && out.payloads.size() < max_records) {
    const std::uint64_t want = std::min(limit - out.next_offset, chunk_size);
    chunk.resize(want);
    const ssize_t got = read_at(fd_, chunk.data(), want, out.next_offset);
    if (got < 0) return io_error("cannot read", errno);
    if (static_cast<std::uint64_t>(got) < spool_header_size) {
      return {make_error_code(spool_errc::corrupt_record),
              "spool record header past end of file at offset " + std::to_string(out.next_offset)};
    }
    std::size_t pos = 0;
    while (pos + spool_header_size <= static_cast<std::size_t>(got) &&
           out.payloads.size() < max_records) {
      const std::uint32_t length = get_u32(chunk.data() + pos);
      if (!framing_ok(length)) {
        return {make_error_code(spool_errc::corrupt_record),
                "spool record framing broken at offset " + std::to_string(out.next_offset)};
      }
      if (pos + spool_header_size + length > static_cast<std::size_t>(got)) {
        if (pos > 0) break;  // continue with a fresh chunk starting at this record
        chunk.resize(spool_header_size + length);
        const ssize_t whole = read_at(fd_, chunk.data(), chunk.size(), out.next_offset);
        if (whole != static_cast<ssize_t>(chunk.size())) {
          return {make_error_code(spool_errc::corrupt_record),
                  "spool record truncated at offset " + std::to_string(out.next_offset)};
        }
      }
      std::string_view payload(chunk.data() + pos + spool_header_size, length);
      if (spool_crc32(payload) == get_u32(chunk.data() + pos + 4)) {
        out.payloads.emplace_back(payload);
      } else {
        ++out.corrupt_records;
      }
      pos += spool_header_size + length;
      out.next_offset += spool_header_size + length;
      if (pos >= chunk.size()) break;
    }
  }
  return {};
}

store_error spool_file::blocking_truncate() {
  if (::ftruncate(fd_, 0) != 0) return io_error("cannot truncate", errno);
  if (::fsync(fd_) != 0) return io_error("cannot fsync", errno);
  size_ = 0;
  return {};
}

}  // namespace callcenterd::store::detail
