#include "auth_text.hpp"

#include <algorithm>

namespace callcenterd::sip::auth_detail {

bool has_control_char(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

}  // namespace callcenterd::sip::auth_detail
