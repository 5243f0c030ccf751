#pragma once

#include <string>

namespace callcenterd::core {

/// A random (version 4) UUID in its canonical lower-case text form, e.g.
/// "3f2b8c1e-6d4a-4f0e-9b7a-1c2d3e4f5a6b". Ids of durable facts are UUIDs so that several
/// nodes can create them without coordination. Thread-safe; callable from any strand.
std::string make_uuid();

/// True when `text` is a UUID in canonical form (36 characters, hex digits and dashes).
bool is_uuid(const std::string& text);

}  // namespace callcenterd::core
