#pragma once

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/sip/parser.hpp"

namespace callcenterd::sip::transport_detail {

// What the bytes of a TCP or TLS stream amount to, one item at a time.
struct stream_event {
  enum class kind {
    message,     // `bytes` holds one complete message
    ping,        // a CRLFCRLF ping: answer with a CRLF pong (RFC 5626 §4.4.1)
    keep_alive,  // CRLFs that are no ping; nothing to do
    error,       // the stream cannot be delimited any more; `error` says why
  };
  kind what = kind::message;
  std::string bytes;
  boost::system::error_code error;
};

// Turns the bytes a stream delivers, in pieces of any size, into messages and keep-alives
// using frame_message(). A lone CRLF is held back until the next bytes show whether it starts
// a ping, so a ping split across reads is still answered. After an error the stream cannot be
// resynchronised and the framer stays failed. Not thread-safe: owned by the connection.
class stream_framer {
 public:
  explicit stream_framer(const parse_limits& limits) : limits_(limits) {}

  void append(std::string_view bytes);
  // The next item, or nullopt when more bytes are needed (or after an error was reported).
  std::optional<stream_event> next();
  // Bytes received but not yet handed out: after an error, the start of the bad message.
  [[nodiscard]] std::string_view pending() const;
  [[nodiscard]] bool failed() const { return failed_; }

 private:
  void consume(std::size_t count);

  parse_limits limits_;
  std::string buffer_;
  std::size_t start_ = 0;  // bytes of buffer_ already handed out
  bool failed_ = false;
};

}  // namespace callcenterd::sip::transport_detail
