#pragma once

// SDP session descriptions (RFC 4566): a data model, a parser that never throws and a
// serialiser. Everything here is a pure function on plain values; no strand affinity.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace callcenterd::sip::sdp {

/// Why an SDP body could not be parsed, or why an offer/answer exchange failed. These travel
/// as boost::system::error_code values of sdp_category().
enum class sdp_errc {
  too_large = 1,        ///< body longer than sdp_limits::max_size
  too_many_media,       ///< more m= sections than sdp_limits::max_media
  too_many_attributes,  ///< a section with more repeated lines than the limit allows
  bad_line,             ///< not `<letter>=<value>`, a NUL or bare CR, or an empty line inside
  bad_version,          ///< the first line is not `v=0`
  missing_line,         ///< no o=, s= or t= line
  duplicate_line,       ///< a line that may appear once per section appeared again
  misplaced_line,       ///< a session-only line inside a media section, or r= before t=
  bad_origin,           ///< malformed o= line
  bad_connection,       ///< malformed c= line
  bad_bandwidth,        ///< malformed b= line
  bad_timing,           ///< malformed t= or r= line
  bad_media,            ///< malformed m= line: fields, port bounds or RTP payload types
  bad_attribute,        ///< an attribute name that is not a token
  missing_connection,   ///< a used media section with no c= in it or at session level
  /// Offer/answer: nothing in the offer is acceptable; a UAS maps this to 488.
  no_acceptable_media,
  answer_mismatch,           ///< answer m= lines differ from the offer in number, kind or proto
  answer_codec_not_offered,  ///< an accepted answer stream lists no codec from the offer
  unusable_address,          ///< an accepted RTP stream has no IP literal to send to
  bad_ice_dtls,              ///< missing or conflicting ICE/DTLS attributes on a DTLS stream
  bad_capabilities,          ///< media_capabilities that cannot produce valid SDP
};

/// The category of sdp_errc. Thread-safe; callable from any strand.
const boost::system::error_category& sdp_category() noexcept;

/// Wraps an sdp_errc in an error_code of sdp_category(). Callable from any strand.
boost::system::error_code make_error_code(sdp_errc e) noexcept;

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>`. The session id is
/// kept as written; the version is a number because re-offers increment it.
struct origin {
  std::string username = "-";
  std::string session_id = "0";
  std::uint64_t session_version = 0;
  std::string net_type = "IN";
  std::string address_type = "IP4";
  std::string address = "127.0.0.1";

  friend bool operator==(const origin&, const origin&) = default;
};

/// `c=<nettype> <addrtype> <address>[/<ttl>][/<count>]`. For IN IP4 the first suffix is the
/// multicast TTL and the second the address count; for IN IP6 the only suffix is the count.
/// Other network or address types keep the address verbatim, suffixes included.
struct connection {
  std::string net_type = "IN";
  std::string address_type = "IP4";
  std::string address;
  std::optional<std::uint32_t> ttl;
  std::optional<std::uint32_t> address_count;

  friend bool operator==(const connection&, const connection&) = default;
};

/// `b=<bwtype>:<bandwidth>`.
struct bandwidth {
  std::string type;
  std::uint64_t value = 0;

  friend bool operator==(const bandwidth&, const bandwidth&) = default;
};

/// `t=<start> <stop>` with the `r=` lines that follow it, kept verbatim.
struct timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  std::vector<std::string> repeats;

  friend bool operator==(const timing&, const timing&) = default;
};

/// `a=<name>` (a flag: no value) or `a=<name>:<value>` (value possibly empty).
struct attribute {
  std::string name;
  std::optional<std::string> value;

  friend bool operator==(const attribute&, const attribute&) = default;
};

/// A line whose type letter RFC 4566 does not define; kept so re-serialising loses nothing.
struct other_line {
  char type = 'x';
  std::string value;

  friend bool operator==(const other_line&, const other_line&) = default;
};

/// One `m=` section. `formats` are the fmt tokens as written; for RTP profiles the parser
/// has checked each is a payload type 0..127.
struct media_description {
  std::string media = "audio";
  std::uint16_t port = 0;
  std::optional<std::uint16_t> port_count;
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;
  std::optional<std::string> title;  ///< i=
  std::optional<connection> conn;    ///< c=
  std::vector<bandwidth> bandwidths;
  std::optional<std::string> key;  ///< k=
  std::vector<attribute> attributes;
  std::vector<other_line> other_lines;

  friend bool operator==(const media_description&, const media_description&) = default;
};

/// A whole session description. `v=0` is implied. Optional text lines are kept verbatim
/// (trailing blanks dropped, except in s=, whose RFC-recommended empty form is "s= ").
struct session {
  origin orig;
  std::string name = "-";             ///< s=
  std::optional<std::string> info;    ///< i=
  std::optional<std::string> uri;     ///< u=
  std::vector<std::string> emails;    ///< e=
  std::vector<std::string> phones;    ///< p=
  std::optional<connection> conn;     ///< c=
  std::vector<bandwidth> bandwidths;  ///< b=
  std::vector<timing> timings{timing{}};
  std::optional<std::string> zone_adjustments;  ///< z=
  std::optional<std::string> key;               ///< k=
  std::vector<attribute> attributes;
  std::vector<other_line> other_lines;
  std::vector<media_description> media;

  friend bool operator==(const session&, const session&) = default;
};

/// Bounds applied while parsing, so a hostile body costs little.
struct sdp_limits {
  /// Counted as the body would travel with CRLF line ends, so that what parse_sdp() accepts
  /// still fits once to_string() has written it.
  std::size_t max_size = std::size_t{64} * 1024;
  std::size_t max_media = 64;
  /// Repeated lines per section: attributes, b=, e=, p=, t=, r= and unknown lines together.
  std::size_t max_attributes = 256;
};

/// Parses an SDP body with CRLF or bare LF line ends; a missing final line end and trailing
/// empty lines are accepted. Requires v=0 first and exactly one o= and s= and at least one t=
/// in the session section; lines within a section may come in any order (they are written
/// back in RFC 4566 order). Never throws, never reads outside `text`. Any strand.
boost::system::result<session> parse_sdp(std::string_view text, const sdp_limits& limits = {});

/// Writes `value` with CRLF line ends in RFC 4566 §5 order (unknown lines after the
/// attributes of their section). For anything parse_sdp() accepted, parsing the result gives
/// the same session back. Any strand.
std::string to_string(const session& value);

/// Stream direction (RFC 4566 §6, RFC 3264 §5.1).
enum class media_direction : std::uint8_t { sendrecv, sendonly, recvonly, inactive };

/// "sendrecv", "sendonly", "recvonly" or "inactive".
std::string_view to_string(media_direction value);
/// Parses one of the four attribute names; nullopt for anything else.
std::optional<media_direction> parse_direction(std::string_view name);

/// `a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]`, or the RFC 3551 static mapping.
struct rtp_format {
  std::uint8_t payload_type = 0;
  std::string encoding;
  std::uint32_t clock_rate = 0;
  std::uint16_t channels = 1;

  friend bool operator==(const rtp_format&, const rtp_format&) = default;
};

/// The value of the first attribute `name` (case-sensitive, as RFC 4566 names are): an empty
/// string for a flag, nullopt when absent.
std::optional<std::string_view> find_attribute(const std::vector<attribute>& attributes,
                                               std::string_view name);
/// True when proto names an RTP profile (`RTP/AVP`, `UDP/TLS/RTP/SAVPF`, ...).
bool is_rtp_proto(std::string_view proto);
/// True when proto is DTLS-SRTP (`UDP/TLS/RTP/SAVP` or `UDP/TLS/RTP/SAVPF`).
bool is_dtls_srtp_proto(std::string_view proto);
/// The formats of an RTP media section as payload types, in order; empty for other protos.
std::vector<std::uint8_t> payload_types(const media_description& media);
/// The media section's a=rtpmap for `payload_type`, if one is present and well formed.
std::optional<rtp_format> find_rtpmap(const media_description& media, std::uint8_t payload_type);
/// find_rtpmap(), falling back to the RFC 3551 static payload types (0 PCMU, 8 PCMA, ...).
std::optional<rtp_format> payload_format(const media_description& media, std::uint8_t payload_type);
/// The parameters of `a=fmtp:<pt> <parameters>`, if present.
std::optional<std::string_view> find_fmtp(const media_description& media,
                                          std::uint8_t payload_type);
/// The media-level direction attribute, else the session-level one, else sendrecv.
media_direction direction(const session& sess, const media_description& media);
/// The media's c= line, else the session's; nullptr when neither exists.
const connection* effective_connection(const session& sess, const media_description& media);
/// True for the 0.0.0.0 (or ::) address that RFC 2543 used to put a stream on hold.
bool is_null_address(const connection& conn);
/// a=ptime in milliseconds (fraction dropped), media level first, then session level.
std::optional<std::uint32_t> ptime(const session& sess, const media_description& media);

}  // namespace callcenterd::sip::sdp

template <>
struct boost::system::is_error_code_enum<callcenterd::sip::sdp::sdp_errc> : std::true_type {};
