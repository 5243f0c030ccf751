#pragma once

#include <string>
#include <vector>

namespace callcenterd::sip::sdp::test {

/// Names of the well-formed bodies in tests/data/sdp.
const std::vector<std::string>& valid_fixture_names();
/// Names of the malformed bodies in tests/data/sdp (bad_*.sdp).
const std::vector<std::string>& bad_fixture_names();

/// A fixture's bytes exactly as stored (most use bare LF line ends).
std::string load_fixture(const std::string& name);
/// The same with every bare LF turned into CRLF, as SDP travels in SIP.
std::string with_crlf(const std::string& text);
/// The same with every CR removed: bare LF line ends.
std::string without_cr(const std::string& text);

}  // namespace callcenterd::sip::sdp::test
