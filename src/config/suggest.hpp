#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::config::detail {

/// Edits (insert, delete, substitute, swap of neighbours) that turn `a` into `b`, ignoring
/// ASCII case. Swaps count once because "prot" for "port" is the typo people make.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a likely typo; ties go to the
/// earlier candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace callcenterd::config::detail
