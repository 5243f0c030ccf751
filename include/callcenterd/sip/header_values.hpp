#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callcenterd/sip/uri.hpp"

namespace callcenterd::sip {

/// `;name` or `;name=value` parameters of a header value, in order. Quoted values are stored
/// unquoted with escapes resolved; `quoted` remembers the form for serialising.
struct header_param {
  std::string name;
  std::optional<std::string> value;
  bool quoted = false;

  friend bool operator==(const header_param&, const header_param&) = default;
};
using header_params = std::vector<header_param>;

/// Value of parameter `name` (case-insensitive); an empty string when present without value.
std::optional<std::string> find_param(const header_params& params, std::string_view name);

/// Parses `;a=b;c;d="x y"` (leading `;` required before each). Any strand.
boost::system::result<header_params> parse_params(std::string_view text);
/// Serialises parameters, each with a leading `;`. Any strand.
std::string to_string(const header_params& params);

/// From, To, Contact, Route, Refer-To...: `"Display" <uri>;params` or `uri;params`.
struct name_addr {
  std::string display_name;  ///< unquoted, escapes resolved; empty when absent
  sip_uri uri;
  header_params params;  ///< header parameters such as tag or expires

  friend bool operator==(const name_addr&, const name_addr&) = default;
};
/// Parses one name-addr or addr-spec (one element of a list). Any strand.
boost::system::result<name_addr> parse_name_addr(std::string_view text);
/// Always writes the `<uri>` form so URI parameters never read as header parameters. Any
/// strand.
std::string to_string(const name_addr& value);

/// One Via element: `SIP/2.0/UDP host:port;branch=...;received=...;rport`.
struct via_value {
  std::string transport;  ///< upper-cased, e.g. "UDP", "TCP", "WSS"
  std::string host;       ///< without brackets for IPv6
  host_kind kind = host_kind::name;
  std::optional<std::uint16_t> port;
  header_params params;

  std::optional<std::string> branch() const { return find_param(params, "branch"); }

  friend bool operator==(const via_value&, const via_value&) = default;
};
/// Parses one Via element (split the header with header_values() first). Any strand.
boost::system::result<via_value> parse_via(std::string_view text);
/// Canonical Via text, `SIP/2.0/TRANSPORT host[:port];params`. Any strand.
std::string to_string(const via_value& value);

/// CSeq: sequence number and method.
struct cseq_value {
  std::uint32_t number = 0;
  std::string method;

  friend bool operator==(const cseq_value&, const cseq_value&) = default;
};
/// Parses `number method`; the number must stay below 2**31 (RFC 3261 §8.1.1.5). Any strand.
boost::system::result<cseq_value> parse_cseq(std::string_view text);
/// `number method`. Any strand.
std::string to_string(const cseq_value& value);

}  // namespace callcenterd::sip
