#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/store/errors.hpp"

namespace callcenterd::store::detail {

/// On-disk record: [u32 length, little-endian][u32 crc32 of the payload, little-endian]
/// [payload]. Lengths of zero or above the limit mean the framing itself is broken.
inline constexpr std::size_t spool_header_size = 8;
inline constexpr std::uint32_t spool_max_record_size = 16U * 1024U * 1024U;

std::uint32_t spool_crc32(std::string_view bytes) noexcept;

/// Appends one framed record for `payload` to `out`.
void append_spool_record(std::string& out, std::string_view payload);

/// What blocking_open found in an existing file.
struct spool_open_report {
  std::uint64_t size = 0;           ///< bytes of valid records kept
  std::size_t records = 0;          ///< records with a good checksum
  std::size_t corrupt_records = 0;  ///< complete records with a bad checksum (kept, skipped)
  std::uint64_t cut_bytes = 0;      ///< torn or unframeable tail removed
};

/// Records read for replay.
struct spool_read_batch {
  std::vector<std::string> payloads;
  std::uint64_t next_offset = 0;
  std::size_t corrupt_records = 0;  ///< skipped because the checksum did not match
};

/// The append-only spool file. Every member blocks on file I/O and the object is not
/// thread-safe: the event log uses it only from its one-thread file executor.
class spool_file {
 public:
  spool_file() = default;
  spool_file(const spool_file&) = delete;
  spool_file& operator=(const spool_file&) = delete;
  ~spool_file();

  /// Opens or creates the file, checks every record, and cuts a torn tail (a crash in the
  /// middle of a write) so that appends continue on a record boundary.
  store_error blocking_open(const std::filesystem::path& path, spool_open_report& report);

  /// Writes the records at the end and fsyncs. On failure the file is cut back to its
  /// previous size, so a failed append leaves no partial record behind.
  store_error blocking_append(const std::vector<std::string_view>& payloads);

  /// Reads up to `max_records` records starting at `offset` (a record boundary) and not
  /// past `limit`. Records with a bad checksum are skipped and counted.
  store_error blocking_read(std::uint64_t offset, std::uint64_t limit, std::size_t max_records,
                            spool_read_batch& out);

  /// Empties the file (after everything in it is safely in PostgreSQL) and fsyncs.
  store_error blocking_truncate();

  std::uint64_t size() const noexcept { return size_; }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  store_error io_error(std::string_view what, int err) const;

  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace callcenterd::store::detail
