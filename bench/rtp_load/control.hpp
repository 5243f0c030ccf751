#pragma once

// The control protocol: one command per line, words separated by blanks, `#` starts a
// comment. Parsing only; the generator carries commands out and writes the replies.

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callcenterd::bench::rtp_load {

enum class command_kind { none, add, open, connect, remove, stream, stats, quit, invalid };

struct command {
  command_kind kind = command_kind::none;
  std::string id;
  std::optional<std::uint16_t> local_port;  // nullopt: `auto`
  in_addr remote_address{};
  std::uint16_t remote_port = 0;
  std::string error;  // for `invalid`
};

// Stream ids are what a driver uses as call or leg ids: 1..64 characters of letters, digits
// and ._:@+-, so a reply line splits on blanks and needs no quoting anywhere.
bool is_valid_id(std::string_view id);

// `none` for a blank or comment line.
command parse_command(std::string_view line);

// Cuts a byte stream into lines. A line longer than max_line is dropped whole and reported
// once, so one runaway writer cannot make the buffer grow without bound.
class line_splitter {
 public:
  static constexpr std::size_t max_line = 1024;

  void append(std::string_view bytes);
  // The next complete line without its newline (and any \r), or nullopt. `overlong` is set
  // when a line was dropped for its length.
  std::optional<std::string> next(bool& overlong);

 private:
  std::string buffer_;
  std::size_t start_ = 0;    // first byte not yet returned
  std::size_t scanned_ = 0;  // bytes from start_ up to here hold no newline
  bool discarding_ = false;
};

}  // namespace callcenterd::bench::rtp_load
