#pragma once

// How messages for people name what they wrote: user text quoted and cut short, and the likely
// word behind a typo ("unknown key 'prot' (did you mean 'port'?)"). Pure functions; any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::core {

/// `text` in single quotes for a message, cut after `max_characters` characters (UTF-8 code
/// points, never inside one) with "..." so that a long value keeps an error on one line.
std::string in_quotes(std::string_view text, std::size_t max_characters = 60);

/// Edits (insert, delete, substitute, swap of neighbours) that turn `a` into `b`, ignoring
/// ASCII case. Swaps count once because "prot" for "port" is the typo people make.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a likely typo (one edit for
/// words of up to three letters, two beyond); ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace callcenterd::core
