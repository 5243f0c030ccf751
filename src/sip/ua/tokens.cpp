#include "tokens.hpp"

#include <fmt/format.h>

#include <random>

namespace callcenterd::sip::ua_detail {

std::string random_token() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format("{:016x}", generator());
}

}  // namespace callcenterd::sip::ua_detail
