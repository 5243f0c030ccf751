// TZif files (RFC 8536) to offsets: the transitions and their types from the 64-bit block of a
// version 2+ file (the 32-bit block of a version 1 file), and the POSIX TZ rule of the footer
// for instants after the last transition (posix_tz.cpp). Every count in a header is checked against
// the bytes that are there before anything is read, so a damaged file is an error and never a read
// past its end.
#include "callcenterd/ivr/time_zone.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "callcenterd/core/blocking_file.hpp"
#include "callcenterd/core/wording.hpp"
#include "posix_tz.hpp"

namespace callcenterd::ivr {

namespace detail {

struct zone_data {
  std::string name;
  std::vector<std::int64_t> transitions;  ///< Unix seconds, strictly ascending
  std::vector<std::int64_t> offsets;      ///< in force from the transition of the same index
  std::int64_t initial_offset = 0;        ///< before the first transition
  std::optional<posix_rule> footer;       ///< after the last one
};

}  // namespace detail

namespace {

using detail::zone_data;

// Real offsets stay within 25 hours (POSIX allows 24:59:59); anything larger is damage.
constexpr std::int64_t max_offset = std::int64_t{25} * 3600;
constexpr std::size_t header_bytes = 44;

/// Big-endian fields, read byte by byte from bytes whose length has been checked.
class byte_reader {
 public:
  byte_reader(std::string_view bytes, std::size_t at) : bytes_(bytes), pos_(at) {}

  std::uint8_t u8() { return static_cast<std::uint8_t>(bytes_[pos_++]); }
  std::uint64_t unsigned_be(std::size_t size) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < size; ++i) v = (v << 8) | u8();
    return v;
  }
  /// A two's-complement field of `size` bytes (4 or 8).
  std::int64_t signed_be(std::size_t size) {
    const std::uint64_t v = unsigned_be(size);
    if (size == 8) return static_cast<std::int64_t>(v);
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  }
  void skip(std::uint64_t n) { pos_ += static_cast<std::size_t>(n); }
  [[nodiscard]] std::size_t position() const { return pos_; }

 private:
  std::string_view bytes_;
  std::size_t pos_;
};

struct tzif_header {
  char version = 0;
  std::uint32_t isutcnt = 0;
  std::uint32_t isstdcnt = 0;
  std::uint32_t leapcnt = 0;
  std::uint32_t timecnt = 0;
  std::uint32_t typecnt = 0;
  std::uint32_t charcnt = 0;

  /// The size of the data block that follows, for times of `time_size` bytes. The counts
  /// are 32-bit, so the sum cannot overflow 64 bits.
  [[nodiscard]] std::uint64_t data_bytes(std::uint64_t time_size) const {
    return std::uint64_t{timecnt} * (time_size + 1) + std::uint64_t{typecnt} * 6 + charcnt +
           std::uint64_t{leapcnt} * (time_size + 4) + isstdcnt + isutcnt;
  }
};

/// The header at `at` and the data block after it, or why not.
std::variant<tzif_header, std::string> read_header(std::string_view bytes, std::size_t at,
                                                   std::uint64_t time_size) {
  if (bytes.substr(at, 4) != "TZif") {
    // A second header cut short is a truncated file, not another kind of file.
    const bool cut_short =
        at != 0 && bytes.size() - at < 4 && std::string_view("TZif").starts_with(bytes.substr(at));
    return std::string(cut_short ? "truncated TZif header" : "not a TZif file");
  }
  if (bytes.size() - at < header_bytes) return std::string("truncated TZif header");
  byte_reader in(bytes, at + 4);
  tzif_header h;
  h.version = static_cast<char>(in.u8());
  if (h.version != '\0' && h.version < '2') return std::string("unsupported TZif version");
  in.skip(15);
  h.isutcnt = static_cast<std::uint32_t>(in.unsigned_be(4));
  h.isstdcnt = static_cast<std::uint32_t>(in.unsigned_be(4));
  h.leapcnt = static_cast<std::uint32_t>(in.unsigned_be(4));
  h.timecnt = static_cast<std::uint32_t>(in.unsigned_be(4));
  h.typecnt = static_cast<std::uint32_t>(in.unsigned_be(4));
  h.charcnt = static_cast<std::uint32_t>(in.unsigned_be(4));
  if (h.data_bytes(time_size) > bytes.size() - at - header_bytes) {
    return std::string("truncated TZif data");
  }
  return h;
}

/// The transitions and types of the data block after `h`, into `out`; empty or why not.
std::string read_data(std::string_view bytes, std::size_t at, const tzif_header& h,
                      std::size_t time_size, zone_data& out) {
  if (h.typecnt == 0 || h.charcnt == 0) return "TZif data without local time types";
  if ((h.isstdcnt != 0 && h.isstdcnt != h.typecnt) || (h.isutcnt != 0 && h.isutcnt != h.typecnt)) {
    return "TZif indicator counts do not match the type count";
  }
  // Leap-second ("right/") zones count seconds that Unix time does not.
  if (h.leapcnt != 0) return "zones with leap seconds are not supported";

  byte_reader times(bytes, at);
  byte_reader indexes(bytes, at + std::size_t{h.timecnt} * time_size);
  byte_reader types(bytes, indexes.position() + h.timecnt);
  std::vector<std::int64_t> type_offsets(h.typecnt);
  for (auto& offset : type_offsets) {
    offset = types.signed_be(4);
    const auto is_dst = types.u8();
    const auto designation = types.u8();
    if (offset <= -max_offset || offset >= max_offset) return "a TZif offset is out of range";
    if (is_dst > 1 || designation >= h.charcnt) return "a TZif local time type is damaged";
  }
  out.transitions.reserve(h.timecnt);
  out.offsets.reserve(h.timecnt);
  for (std::uint32_t i = 0; i < h.timecnt; ++i) {
    const auto when = times.signed_be(time_size);
    const auto type = indexes.u8();
    if (!out.transitions.empty() && when <= out.transitions.back()) {
      return "TZif transitions are out of order";
    }
    if (type >= h.typecnt) return "a TZif transition names a missing type";
    out.transitions.push_back(when);
    out.offsets.push_back(type_offsets[type]);
  }
  // RFC 8536: before the first transition, the first type.
  out.initial_offset = type_offsets[0];
  return {};
}

std::shared_ptr<const zone_data> utc_data(std::string_view name) {
  auto data = std::make_shared<zone_data>();
  data->name = std::string(name);
  return data;
}

}  // namespace

time_zone::time_zone(std::shared_ptr<const detail::zone_data> data) : data_(std::move(data)) {}

std::variant<time_zone, std::string> time_zone::from_tzif(std::string_view name,
                                                          std::string_view bytes) {
  if (bytes.size() > max_tzif_bytes) return std::string("TZif file larger than 1 MiB");
  auto first = read_header(bytes, 0, 4);
  if (auto* error = std::get_if<std::string>(&first)) return std::move(*error);
  const auto v1 = std::get<tzif_header>(first);
  auto data = std::make_shared<zone_data>();
  data->name = std::string(name);
  if (v1.version == '\0') {
    auto error = read_data(bytes, header_bytes, v1, 4, *data);
    if (!error.empty()) return error;
    return time_zone(std::move(data));
  }
  // Version 2+: skip the 32-bit block for the 64-bit one and the footer after it.
  const std::size_t second_at = header_bytes + static_cast<std::size_t>(v1.data_bytes(4));
  auto second = read_header(bytes, second_at, 8);
  if (auto* error = std::get_if<std::string>(&second)) return std::move(*error);
  const auto v2 = std::get<tzif_header>(second);
  const std::size_t data_at = second_at + header_bytes;
  auto error = read_data(bytes, data_at, v2, 8, *data);
  if (!error.empty()) return error;

  const std::size_t footer_at = data_at + static_cast<std::size_t>(v2.data_bytes(8));
  const auto footer_end = bytes.find('\n', footer_at + 1);
  if (footer_at >= bytes.size() || bytes[footer_at] != '\n' ||
      footer_end == std::string_view::npos) {
    return std::string("truncated TZif footer");
  }
  const auto footer = bytes.substr(footer_at + 1, footer_end - footer_at - 1);
  if (!footer.empty()) {
    data->footer = detail::parse_posix_tz(footer);
    if (!data->footer) return "unsupported TZ footer '" + std::string(footer) + "'";
  }
  return time_zone(std::move(data));
}

std::variant<time_zone, std::string> time_zone::blocking_load(std::string_view name,
                                                              const std::filesystem::path& root) {
  const std::string quoted = core::in_quotes(name);
  // The name comes from a flow file: it must not reach outside the zoneinfo tree.
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos ||
      name.find('\0') != std::string_view::npos) {
    return "not a time zone name: " + quoted;
  }
  // The default zone needs no tzdata package (minimal containers go without it).
  if (name == "UTC" || name == "Etc/UTC") return time_zone(utc_data(name));

  const auto path = root / std::filesystem::path(std::string(name));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return "no time zone " + quoted + " in " + root.string();
  }
  const auto where = "time zone " + quoted + " (" + path.string() + "): ";
  const auto read = core::blocking_read_file(path, max_tzif_bytes);
  if (read.too_large) return where + "TZif file larger than 1 MiB";
  if (!read.bytes) return where + "cannot be read: " + read.error;
  auto zone = from_tzif(name, *read.bytes);
  if (auto* error = std::get_if<std::string>(&zone)) return where + *error;
  return zone;
}

time_zone time_zone::utc() { return time_zone(utc_data("UTC")); }

std::chrono::seconds time_zone::offset_at(std::chrono::system_clock::time_point when) const {
  const auto t = std::chrono::floor<std::chrono::seconds>(when.time_since_epoch()).count();
  const auto& d = *data_;
  const auto after = std::upper_bound(d.transitions.begin(), d.transitions.end(), t);
  if (after == d.transitions.end() && d.footer &&
      (d.transitions.empty() || t > d.transitions.back())) {
    return std::chrono::seconds(detail::posix_offset(*d.footer, t));
  }
  if (after == d.transitions.begin()) return std::chrono::seconds(d.initial_offset);
  return std::chrono::seconds(
      d.offsets[static_cast<std::size_t>(after - d.transitions.begin()) - 1]);
}

std::chrono::local_seconds time_zone::to_local(std::chrono::system_clock::time_point when) const {
  const auto utc_seconds = std::chrono::floor<std::chrono::seconds>(when.time_since_epoch());
  return std::chrono::local_seconds(utc_seconds + offset_at(when));
}

const std::string& time_zone::name() const { return data_->name; }

}  // namespace callcenterd::ivr
