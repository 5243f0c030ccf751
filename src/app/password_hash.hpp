#pragma once

#include <string>
#include <string_view>

namespace callcenterd::app {

/// `password` as an argon2id encoded hash (random 16-byte salt, 64 MiB, 3 passes, 1 lane: the
/// cost login verification expects), for users.password_hash. Deliberately slow (tens of
/// milliseconds) and memory-hungry: call it on the database pool, never on the loop. Throws
/// std::runtime_error when randomness or the library fails.
std::string hash_password(std::string_view password);

}  // namespace callcenterd::app
