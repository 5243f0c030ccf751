#include "callcenterd/call/caller_blocklist.hpp"

#include <algorithm>

namespace callcenterd::call {

namespace {

std::string digits_of(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

}  // namespace

caller_blocklist::caller_blocklist(const std::vector<entry>& entries) {
  for (const auto& e : entries) {
    const bool prefix = !e.pattern.empty() && e.pattern.back() == '*';
    auto digits = digits_of(e.pattern);
    if (digits.empty()) continue;
    if (prefix) {
      longest_prefix_ = std::max(longest_prefix_, digits.size());
      prefixes_.emplace(std::move(digits), e);
    } else {
      numbers_.emplace(std::move(digits), e);
    }
  }
}

std::optional<caller_blocklist::entry> caller_blocklist::find(std::string_view caller) const {
  const auto digits = digits_of(caller);
  if (digits.empty()) return std::nullopt;
  if (const auto it = numbers_.find(digits); it != numbers_.end()) return it->second;
  for (auto n = std::min(digits.size(), longest_prefix_); n > 0; --n) {
    if (const auto it = prefixes_.find(digits.substr(0, n)); it != prefixes_.end()) {
      return it->second;
    }
  }
  return std::nullopt;
}

}  // namespace callcenterd::call
