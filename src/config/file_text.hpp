#pragma once

#include <filesystem>
#include <string>

#include "value_parsers.hpp"

namespace callcenterd::config::detail {

/// The whole content of a file of at most 16 MiB, or why it cannot be read ("No such file or
/// directory", "is a directory"). Blocking.
parsed<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace callcenterd::config::detail
