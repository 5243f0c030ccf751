#include "control.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace callcenterd::bench::rtp_load {
namespace {

constexpr std::size_t max_words = 6;

struct words {
  std::array<std::string_view, max_words> word{};
  std::size_t count = 0;
  bool too_many = false;
};

words split(std::string_view line) {
  words out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size() || line[i] == '#') break;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (out.count == max_words) {
      out.too_many = true;
      break;
    }
    out.word[out.count++] = line.substr(start, i - start);
  }
  return out;
}

// A port for binding: `auto` or 0 asks for one.
bool parse_local_port(std::string_view text, std::optional<std::uint16_t>& out) {
  if (text == "auto") {
    out.reset();
    return true;
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value > 65535) return false;
  if (value == 0) {
    out.reset();
  } else {
    out = static_cast<std::uint16_t>(value);
  }
  return true;
}

bool parse_remote(std::string_view address, std::string_view port, command& out) {
  const std::string text(address);
  if (inet_pton(AF_INET, text.c_str(), &out.remote_address) != 1) return false;
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || ptr != port.data() + port.size() || value == 0 || value > 65535)
    return false;
  out.remote_port = static_cast<std::uint16_t>(value);
  return true;
}

command invalid(std::string message) {
  command c;
  c.kind = command_kind::invalid;
  c.error = std::move(message);
  return c;
}

}  // namespace

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '@' || c == '+' || c == '-';
  });
}

command parse_command(std::string_view line) {
  const words w = split(line);
  if (w.count == 0) return {};
  if (w.too_many) return invalid("too many words");
  const std::string_view verb = w.word[0];
  command c;
  if (w.count >= 2) {
    if (!is_valid_id(w.word[1])) return invalid("bad stream id");
    c.id = w.word[1];
  }
  if (verb == "add") {
    if (w.count != 5) return invalid("usage: add ID LOCAL_PORT|auto REMOTE_IP REMOTE_PORT");
    if (!parse_local_port(w.word[2], c.local_port)) return invalid("bad local port");
    if (!parse_remote(w.word[3], w.word[4], c)) return invalid("bad remote address or port");
    c.kind = command_kind::add;
  } else if (verb == "open") {
    if (w.count != 2 && w.count != 3) return invalid("usage: open ID [LOCAL_PORT|auto]");
    if (w.count == 3 && !parse_local_port(w.word[2], c.local_port))
      return invalid("bad local port");
    c.kind = command_kind::open;
  } else if (verb == "connect") {
    if (w.count != 4) return invalid("usage: connect ID REMOTE_IP REMOTE_PORT");
    if (!parse_remote(w.word[2], w.word[3], c)) return invalid("bad remote address or port");
    c.kind = command_kind::connect;
  } else if (verb == "remove" || verb == "stream") {
    if (w.count != 2) return invalid("usage: " + std::string(verb) + " ID");
    c.kind = verb == "remove" ? command_kind::remove : command_kind::stream;
  } else if (verb == "stats" || verb == "quit") {
    if (w.count != 1) return invalid("usage: " + std::string(verb));
    c.kind = verb == "stats" ? command_kind::stats : command_kind::quit;
  } else {
    return invalid("unknown command");
  }
  return c;
}

void line_splitter::append(std::string_view bytes) {
  // Consumed lines are dropped here, once per read, rather than by one erase per line.
  buffer_.erase(0, start_);
  scanned_ -= start_;
  start_ = 0;
  buffer_.append(bytes);
}

std::optional<std::string> line_splitter::next(bool& overlong) {
  overlong = false;
  while (true) {
    const auto newline = buffer_.find('\n', scanned_);
    if (newline == std::string::npos) {
      scanned_ = buffer_.size();
      if (!discarding_ && buffer_.size() - start_ > max_line) {
        discarding_ = true;
        overlong = true;
      }
      if (discarding_) start_ = scanned_;
      return std::nullopt;
    }
    const std::size_t begin = start_;
    start_ = newline + 1;
    scanned_ = start_;
    if (discarding_) {  // the tail of a line already reported
      discarding_ = false;
      continue;
    }
    if (newline - begin > max_line) {
      overlong = true;
      continue;
    }
    std::string line = buffer_.substr(begin, newline - begin);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
}

}  // namespace callcenterd::bench::rtp_load
