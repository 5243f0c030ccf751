#pragma once

#include <string>

namespace callcenterd::sip::ua_detail {

/// A random token for To/From tags and Call-IDs: 64 bits as 16 hex digits from a per-thread
/// generator seeded once from the OS. Unique enough for tags (RFC 3261 §19.3 asks for 32 bits
/// of randomness); not a secret. Any thread.
std::string random_token();

}  // namespace callcenterd::sip::ua_detail
