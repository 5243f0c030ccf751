#include "sdp_fixtures.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace callcenterd::sip::sdp::test {

const std::vector<std::string>& valid_fixture_names() {
  static const std::vector<std::string> names{
      "answer_pcma.sdp",     "audio_video_phone.sdp",   "baresip_offer.sdp",
      "chromium_webrtc.sdp", "crlf_rejected_video.sdp", "desk_phone_g711.sdp",
      "every_line_type.sdp", "hold_inactive.sdp",       "hold_rfc2543.sdp",
      "hold_sendonly.sdp",   "sipp_default.sdp",        "trunk_ipv6.sdp"};
  return names;
}

const std::vector<std::string>& bad_fixture_names() {
  static const std::vector<std::string> names{"bad_missing_timing.sdp", "bad_no_connection.sdp",
                                              "bad_payload_type.sdp", "bad_port.sdp",
                                              "bad_version_not_first.sdp"};
  return names;
}

std::string load_fixture(const std::string& name) {
  std::ifstream in(std::string(CALLCENTERD_SDP_TEST_DATA) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string with_crlf(const std::string& text) {
  std::string out;
  char previous = '\0';
  for (char c : text) {
    if (c == '\n' && previous != '\r') out += '\r';
    out += c;
    previous = c;
  }
  return out;
}

std::string without_cr(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != '\r') out += c;
  }
  return out;
}

}  // namespace callcenterd::sip::sdp::test
