#pragma once

#include <string>
#include <vector>

namespace callcenterd::sip::test {

/// Names of the valid messages in tests/data/sip (each a complete message).
const std::vector<std::string>& valid_fixture_names();

/// Reads a fixture and turns its LF line ends into CRLF, so the files stay editable as text
/// while the tests see wire format.
std::string load_fixture(const std::string& name);

}  // namespace callcenterd::sip::test
