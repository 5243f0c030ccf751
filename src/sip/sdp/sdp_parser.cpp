#include <limits>
#include <utility>

#include "callcenterd/sip/sdp.hpp"
#include "sdp_lines.hpp"
#include "sdp_text.hpp"

namespace callcenterd::sip::sdp {
namespace {

using boost::system::result;

// Walks the lines once, filling the session; each line is checked against the section it
// falls in. Lines that may appear once per section are tracked by letter.
class sdp_parser {
 public:
  explicit sdp_parser(const sdp_limits& limits) : limits_(limits) { value_.timings.clear(); }

  boost::system::error_code feed(char type, std::string_view value) {
    if (!started_) {
      if (type != 'v' || value != "0") return sdp_errc::bad_version;
      started_ = true;
      return {};
    }
    if (type == 'm') return start_media(value);
    return media_ ? media_line(type, value) : session_line(type, value);
  }

  result<session> finish() {
    if (!started_) return sdp_errc::bad_version;
    if (!seen(session_seen_, 'o') || !seen(session_seen_, 's') || value_.timings.empty()) {
      return sdp_errc::missing_line;
    }
    for (const auto& media : value_.media) {
      if (media.port != 0 && !media.conn && !value_.conn) return sdp_errc::missing_connection;
    }
    return std::move(value_);
  }

 private:
  static bool seen(const std::string& letters, char type) {
    return letters.find(type) != std::string::npos;
  }

  // Records a once-per-section line; false when it was already there.
  static bool first_time(std::string& letters, char type) {
    if (seen(letters, type)) return false;
    letters.push_back(type);
    return true;
  }

  bool count_repeated() { return ++repeated_ <= limits_.max_attributes; }

  boost::system::error_code session_line(char type, std::string_view value) {
    switch (type) {
      case 'v':
        return sdp_errc::duplicate_line;
      case 'o':
      case 's':
      case 'i':
      case 'u':
      case 'c':
      case 'z':
      case 'k':
        if (!first_time(session_seen_, type)) return sdp_errc::duplicate_line;
        return session_single(type, value);
      case 'r':
        if (value_.timings.empty()) return sdp_errc::misplaced_line;
        if (value.empty()) return sdp_errc::bad_timing;
        if (!count_repeated()) return sdp_errc::too_many_attributes;
        value_.timings.back().repeats.emplace_back(value);
        return {};
      default:
        break;
    }
    if (!count_repeated()) return sdp_errc::too_many_attributes;
    switch (type) {
      case 'e':
        value_.emails.emplace_back(value);
        return {};
      case 'p':
        value_.phones.emplace_back(value);
        return {};
      case 'b':
        return append(detail::parse_bandwidth(value), value_.bandwidths);
      case 't':
        return append(detail::parse_timing(value), value_.timings);
      case 'a':
        return append(detail::parse_attribute(value), value_.attributes);
      default:
        value_.other_lines.push_back({type, std::string(value)});
        return {};
    }
  }

  boost::system::error_code session_single(char type, std::string_view value) {
    switch (type) {
      case 'o': {
        auto parsed = detail::parse_origin(value);
        if (!parsed) return parsed.error();
        value_.orig = std::move(*parsed);
        return {};
      }
      case 's':
        value_.name = std::string(value);
        return {};
      case 'i':
        value_.info = std::string(value);
        return {};
      case 'u':
        value_.uri = std::string(value);
        return {};
      case 'c': {
        auto parsed = detail::parse_connection(value);
        if (!parsed) return parsed.error();
        value_.conn = std::move(*parsed);
        return {};
      }
      case 'z':
        value_.zone_adjustments = std::string(value);
        return {};
      default:
        value_.key = std::string(value);
        return {};
    }
  }

  boost::system::error_code start_media(std::string_view value) {
    if (value_.media.size() >= limits_.max_media) return sdp_errc::too_many_media;
    auto parsed = detail::parse_media_line(value);
    if (!parsed) return parsed.error();
    value_.media.push_back(std::move(*parsed));
    media_ = &value_.media.back();
    media_seen_.clear();
    repeated_ = 0;
    return {};
  }

  boost::system::error_code media_line(char type, std::string_view value) {
    switch (type) {
      case 'v':
      case 'o':
      case 's':
      case 'u':
      case 'e':
      case 'p':
      case 't':
      case 'r':
      case 'z':
        return sdp_errc::misplaced_line;
      case 'i':
      case 'c':
      case 'k':
        if (!first_time(media_seen_, type)) return sdp_errc::duplicate_line;
        return media_single(type, value);
      default:
        break;
    }
    if (!count_repeated()) return sdp_errc::too_many_attributes;
    switch (type) {
      case 'b':
        return append(detail::parse_bandwidth(value), media_->bandwidths);
      case 'a':
        return append(detail::parse_attribute(value), media_->attributes);
      default:
        media_->other_lines.push_back({type, std::string(value)});
        return {};
    }
  }

  boost::system::error_code media_single(char type, std::string_view value) {
    if (type == 'c') {
      auto parsed = detail::parse_connection(value);
      if (!parsed) return parsed.error();
      media_->conn = std::move(*parsed);
    } else if (type == 'i') {
      media_->title = std::string(value);
    } else {
      media_->key = std::string(value);
    }
    return {};
  }

  template <typename T>
  static boost::system::error_code append(result<T>&& parsed, std::vector<T>& into) {
    if (!parsed) return parsed.error();
    into.push_back(std::move(*parsed));
    return {};
  }

  const sdp_limits& limits_;
  session value_;
  media_description* media_ = nullptr;
  bool started_ = false;
  std::string session_seen_;
  std::string media_seen_;
  std::size_t repeated_ = 0;
};

// The size the body has once every line ends in CRLF, as to_string() writes it. Measuring
// that keeps the limit honest for LF-only bodies and lets anything accepted be re-parsed
// after serialising.
std::size_t wire_size(std::string_view text) {
  std::size_t size = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) ++size;
  }
  if (!text.empty() && text.back() != '\n') size += 2;
  return size;
}

}  // namespace

result<session> parse_sdp(std::string_view text, const sdp_limits& limits) {
  if (text.size() > limits.max_size || wire_size(text) > limits.max_size) {
    return sdp_errc::too_large;
  }
  sdp_parser parser(limits);
  bool blank_seen = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto newline = text.find('\n', pos);
    const auto end = newline == std::string_view::npos ? text.size() : newline;
    auto line = text.substr(pos, end - pos);
    pos = newline == std::string_view::npos ? text.size() : newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      // Some stacks end the body with an extra CRLF; an empty line anywhere else is damage.
      blank_seen = true;
      continue;
    }
    if (blank_seen || line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z' ||
        line.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos) {
      return sdp_errc::bad_line;
    }
    const char type = line[0];
    auto value = line.substr(2);
    // s= keeps its blanks: "s= " is how RFC 4566 spells an unnamed session.
    if (type != 's') value = detail::trim_right(value);
    if (auto ec = parser.feed(type, value)) return ec;
  }
  return parser.finish();
}

}  // namespace callcenterd::sip::sdp
