#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace callcenterd::sip {

/// Why bytes from the network could not be turned into a SIP value. Parsing never throws;
/// these travel as boost::system::error_code values.
enum class sip_errc {
  message_too_large = 1,
  too_many_headers,
  header_too_long,
  bad_start_line,
  bad_version,
  bad_method,
  bad_status,
  bad_header,
  bad_content_length,
  incomplete,
  bad_uri,
  bad_header_value,
};

/// The category of sip_errc. Thread-safe; callable from any strand.
const boost::system::error_category& sip_category() noexcept;

/// Wraps a sip_errc in an error_code of sip_category(). Callable from any strand.
boost::system::error_code make_error_code(sip_errc e) noexcept;

}  // namespace callcenterd::sip

template <>
struct boost::system::is_error_code_enum<callcenterd::sip::sip_errc> : std::true_type {};
