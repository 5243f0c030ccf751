#pragma once

// Parsers for the value of one structured SDP line (the text after `x=`, trailing blanks
// already removed).

#include <boost/system/result.hpp>
#include <string_view>

#include "callcenterd/sip/sdp.hpp"

namespace callcenterd::sip::sdp::detail {

boost::system::result<origin> parse_origin(std::string_view value);
boost::system::result<connection> parse_connection(std::string_view value);
boost::system::result<bandwidth> parse_bandwidth(std::string_view value);
boost::system::result<timing> parse_timing(std::string_view value);
boost::system::result<attribute> parse_attribute(std::string_view value);
/// The m= line itself; the section's other lines are added by the caller.
boost::system::result<media_description> parse_media_line(std::string_view value);

}  // namespace callcenterd::sip::sdp::detail
