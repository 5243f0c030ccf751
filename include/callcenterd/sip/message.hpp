#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/sip/uri.hpp"

namespace callcenterd::sip {

/// One header line as received: name as written (compact forms included), value trimmed and
/// unfolded.
struct sip_header {
  std::string name;
  std::string value;

  friend bool operator==(const sip_header&, const sip_header&) = default;
};

/// A SIP request or response. A request has a method and request URI; a response a status
/// code and reason. Headers keep arrival order. Plain value; no strand affinity: whoever
/// holds it owns it.
class sip_message {
 public:
  /// Makes a request `method request_uri SIP/2.0`.
  static sip_message make_request(std::string method, sip_uri request_uri);
  /// Makes a response `SIP/2.0 status reason`.
  static sip_message make_response(int status, std::string reason);

  bool is_request() const { return status_ == 0; }
  bool is_response() const { return status_ != 0; }
  const std::string& method() const { return method_; }
  const sip_uri& request_uri() const { return request_uri_; }
  int status() const { return status_; }
  const std::string& reason() const { return reason_; }

  const std::vector<sip_header>& headers() const { return headers_; }
  /// Appends a header line at the end.
  void add_header(std::string name, std::string value);
  /// Inserts a header line before all others (a new top Via).
  void prepend_header(std::string name, std::string value);
  /// Replaces the value of the first line named `name` (any form), or appends the header when
  /// there is none.
  void set_header(std::string_view name, std::string value);
  /// Removes every line whose name (or compact form) matches `name`.
  void remove_headers(std::string_view name);

  /// The value of the first line named `name`, matching case-insensitively and mapping
  /// compact forms (`v` is Via, `i` is Call-ID, ...). Nullopt when absent.
  std::optional<std::string_view> header(std::string_view name) const;
  /// All values of `name`: lines of that name in order, each split on commas outside quoted
  /// strings and angle brackets. Use for Via, Contact, Route, Record-Route, Allow, ...
  std::vector<std::string> header_values(std::string_view name) const;

  const std::string& body() const { return body_; }
  void set_body(std::string body) { body_ = std::move(body); }

  friend bool operator==(const sip_message&, const sip_message&) = default;

 private:
  std::string method_;
  sip_uri request_uri_;
  int status_ = 0;
  std::string reason_;
  std::vector<sip_header> headers_;
  std::string body_;
};

/// The full header name for a compact form (`v` gives "Via"); any other name is returned
/// unchanged. Any strand.
std::string_view expand_header_name(std::string_view name);

/// True when the two header names denote the same header (case and compact form aside).
bool same_header_name(std::string_view a, std::string_view b);

/// Splits a header value on commas outside quoted strings and angle brackets, trimming
/// whitespace and dropping empty elements. Any strand.
std::vector<std::string> split_header_list(std::string_view value);

/// Canonical text: start line, headers in order with full names, a Content-Length matching
/// the body (replacing any present), CRLF line ends, then the body. Any strand.
std::string to_string(const sip_message& message);

}  // namespace callcenterd::sip
