#pragma once

// File primitives shared by the writers that must survive a crash (the event spool, call
// recordings). Both block on the disk: call them from a blocking executor, never from an
// io_context thread.

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace callcenterd::core {

/// Writes all `size` bytes of `data` at `offset` of descriptor `fd`, retrying short writes
/// and EINTR. False with errno set when the disk refuses (full, I/O error). Blocks.
bool blocking_write_at(int fd, const void* data, std::size_t size, std::uint64_t offset);

/// Syncs the directory holding `path`: a new file's directory entry is only durable once
/// its directory is. Best effort: the file is usable either way, and some file systems
/// refuse to sync directories. Blocks.
void blocking_sync_parent_directory(const std::filesystem::path& path);

}  // namespace callcenterd::core
