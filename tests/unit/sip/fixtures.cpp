#include "fixtures.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace callcenterd::sip::test {

const std::vector<std::string>& valid_fixture_names() {
  static const std::vector<std::string> names{
      "invite_sdp.sip",        "register.sip",       "ack.sip", "bye.sip", "options_compact.sip",
      "response_200_vias.sip", "folded_escaped.sip", "ipv6.sip"};
  return names;
}

std::string load_fixture(const std::string& name) {
  std::ifstream in(std::string(CALLCENTERD_SIP_TEST_DATA) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  std::string out;
  for (char c : text.str()) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace callcenterd::sip::test
