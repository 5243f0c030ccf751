#include "stream_framer.hpp"

#include <algorithm>

namespace callcenterd::sip::transport_detail {
namespace {

constexpr std::string_view ping_bytes = "\r\n\r\n";

// Length of the longest tail of `crlfs` that could still grow into a ping.
std::size_t ping_prefix_tail(std::string_view crlfs) {
  for (std::size_t n = ping_bytes.size() - 1; n > 0; --n) {
    if (crlfs.size() >= n && crlfs.substr(crlfs.size() - n) == ping_bytes.substr(0, n)) return n;
  }
  return 0;
}

}  // namespace

void stream_framer::append(std::string_view bytes) {
  if (failed_) return;
  // Compact once the consumed head outweighs what is left, so the buffer never creeps.
  if (start_ > 0 && start_ >= buffer_.size() - start_) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

std::string_view stream_framer::pending() const { return std::string_view(buffer_).substr(start_); }

void stream_framer::consume(std::size_t count) { start_ += count; }

std::optional<stream_event> stream_framer::next() {
  if (failed_) return std::nullopt;
  const auto view = pending();
  // Line breaks ahead of a message are settled here, so that a ping is answered even when
  // the message behind it turns out to be bad, and pending() starts at that message.
  const auto crlfs = std::min(view.find_first_not_of("\r\n"), view.size());
  if (crlfs > 0) {
    const auto lead = view.substr(0, crlfs);
    std::size_t take = crlfs;
    if (lead.find(ping_bytes) != std::string_view::npos) {
      consume(take);
      return stream_event{stream_event::kind::ping, {}, {}};
    }
    if (crlfs == view.size()) take -= ping_prefix_tail(lead);
    if (take == 0) return std::nullopt;
    consume(take);
    return stream_event{stream_event::kind::keep_alive, {}, {}};
  }
  auto framed = frame_message(view, limits_);
  if (!framed) {
    failed_ = true;
    return stream_event{stream_event::kind::error, {}, framed.error()};
  }
  if (framed->what != frame_result::kind::message) return std::nullopt;
  std::string bytes(view.substr(0, framed->size));
  consume(framed->size);
  return stream_event{stream_event::kind::message, std::move(bytes), {}};
}

}  // namespace callcenterd::sip::transport_detail
