#pragma once

// File primitives: a bounded read of a whole file (configuration, flow files, time zones),
// and what the writers that must survive a crash share (the event spool, call recordings).
// All block on the disk: call them from a blocking executor or at start-up, never from an
// io_context thread.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace callcenterd::core {

/// What blocking_read_file() found.
struct file_read {
  /// The whole content; nullopt when it could not be read.
  std::optional<std::string> bytes;
  /// Why not: "is a directory", the system's reason ("No such file or directory"), "read
  /// error", or "larger than N bytes" (then too_large is set too).
  std::string error;
  bool too_large = false;
};

/// Reads all of `path`, refusing it once more than `max_bytes` have come (so a device such as
/// /dev/zero cannot eat memory). Blocks.
file_read blocking_read_file(const std::filesystem::path& path, std::size_t max_bytes);

/// Writes all `size` bytes of `data` at `offset` of descriptor `fd`, retrying short writes
/// and EINTR. False with errno set when the disk refuses (full, I/O error). Blocks.
bool blocking_write_at(int fd, const void* data, std::size_t size, std::uint64_t offset);

/// Syncs the directory holding `path`: a new file's directory entry is only durable once
/// its directory is. Best effort: the file is usable either way, and some file systems
/// refuse to sync directories. Blocks.
void blocking_sync_parent_directory(const std::filesystem::path& path);

}  // namespace callcenterd::core
