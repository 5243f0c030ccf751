#include "callcenterd/core/wording.hpp"

#include <algorithm>

namespace callcenterd::core {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool continues_character(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

}  // namespace

std::string in_quotes(std::string_view text, std::size_t max_characters) {
  std::size_t shown = text.size();
  std::size_t characters = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (!continues_character(text[at]) && characters++ == max_characters) {
      shown = at;
      break;
    }
  }
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "'" + std::string + "'".
  std::string out;
  out.reserve(shown + 5);
  out += '\'';
  out += text.substr(0, shown);
  if (shown < text.size()) out += "...";
  out += '\'';
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus transpositions of neighbours. Keys are short,
  // so the full table is cheaper to reason about than a rolling one.
  const std::size_t rows = a.size() + 1;
  const std::size_t cols = b.size() + 1;
  std::vector<std::size_t> d(rows * cols);
  const auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * cols + j]; };
  for (std::size_t i = 0; i < rows; ++i) at(i, 0) = i;
  for (std::size_t j = 0; j < cols; ++j) at(0, j) = j;
  for (std::size_t i = 1; i < rows; ++i) {
    for (std::size_t j = 1; j < cols; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(rows - 1, cols - 1);
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  // One edit for very short words, two otherwise: beyond that the "suggestion" is usually an
  // unrelated key and sends the reader the wrong way.
  const std::size_t allowed = word.size() <= 3 ? 1 : 2;
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace callcenterd::core
