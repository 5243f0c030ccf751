#pragma once

// IANA time zones read from the system's compiled TZif files (RFC 8536), because GCC 12's
// standard library has no std::chrono::locate_zone. Only what calendars need: the UTC offset
// in force at an instant, and the local wall time it gives. The files are read as untrusted
// bytes: a damaged or hostile file gives an error, never a read out of bounds.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace callcenterd::ivr {

namespace detail {
struct zone_data;
}

/// Where the system keeps its compiled zones.
inline constexpr std::string_view default_zoneinfo_root = "/usr/share/zoneinfo";

/// The largest TZif file read; real ones are a few KiB.
inline constexpr std::size_t max_tzif_bytes = std::size_t{1} << 20;

/// A loaded zone. Immutable and cheap to copy (the data is shared): any thread.
class time_zone {
 public:
  /// Reads `root`/`name` and parses it. Blocks on the file system: call it on the blocking
  /// file executor or at start-up, never on an I/O thread. `name` is an IANA name
  /// ("Asia/Shanghai"); one that is absolute or contains ".." is refused. "UTC" and "Etc/UTC"
  /// need no file. Errors are text for the admin ("no time zone 'Asia/Shangai' in
  /// /usr/share/zoneinfo", "time zone 'X' (/usr/share/zoneinfo/X): not a TZif file").
  static std::variant<time_zone, std::string> blocking_load(
      std::string_view name,
      const std::filesystem::path& root = std::filesystem::path(default_zoneinfo_root));

  /// Parses the bytes of a TZif file (version 1, 2 or later; at most max_tzif_bytes) and names
  /// the zone `name`. No I/O: any thread. The error says what is wrong with the bytes
  /// ("not a TZif file", "truncated TZif data", "unsupported TZ footer 'XYZ'").
  static std::variant<time_zone, std::string> from_tzif(std::string_view name,
                                                        std::string_view bytes);

  /// Offset 0 at every instant.
  static time_zone utc();

  /// The UTC offset in force at `when` (local time minus UTC).
  [[nodiscard]] std::chrono::seconds offset_at(std::chrono::system_clock::time_point when) const;

  /// The local wall time at `when`, to the second.
  [[nodiscard]] std::chrono::local_seconds to_local(
      std::chrono::system_clock::time_point when) const;

  /// The name it was loaded by.
  [[nodiscard]] const std::string& name() const;

 private:
  explicit time_zone(std::shared_ptr<const detail::zone_data> data);

  std::shared_ptr<const detail::zone_data> data_;
};

}  // namespace callcenterd::ivr
