#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "callcenterd/api/byte_range.hpp"

namespace callcenterd::app {

/// What blocking_read_recording() found.
struct recording_read {
  enum class kind { ok, missing, outside_root, too_large };
  kind what = kind::missing;
  std::uint64_t size = 0;   ///< of the whole file
  std::uint64_t first = 0;  ///< the part in `bytes`, inclusive
  std::uint64_t last = 0;
  bool partial = false;  ///< a Range was answered (206), possibly shorter than asked
  bool unsatisfiable = false;
  std::string bytes;
};

/// The largest part one ranged answer carries; a player asks again for the rest.
inline constexpr std::uint64_t max_range_bytes = std::uint64_t{4} << 20;
/// The largest file sent whole to a client that asks without Range.
inline constexpr std::uint64_t max_whole_bytes = std::uint64_t{256} << 20;

/// Reads what `range` (a Range header, possibly empty) asks of the recording at `path`, which
/// must lie under `root` and be named `<call_uuid>.wav`: the index's path is trusted no further
/// than that. Blocks on the disk: run it on a file executor, never an I/O thread.
recording_read blocking_read_recording(const std::filesystem::path& root,
                                       const std::filesystem::path& path,
                                       const std::string& call_uuid, std::string_view range);

}  // namespace callcenterd::app
