#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace callcenterd::call {

/// Callers turned away before any flow runs: whole numbers and prefixes. Callers and
/// patterns are compared by their digits alone, so "+86 138-0000-0000", "8613800000000" and
/// the pattern "86138*" meet. Immutable once built: any thread.
class caller_blocklist {
 public:
  struct entry {
    std::string pattern;  ///< digits, with a trailing '*' for a prefix
    std::string reason;
  };

  caller_blocklist() = default;
  /// Entries whose pattern has no digit are skipped.
  explicit caller_blocklist(const std::vector<entry>& entries);

  /// The entry that blocks `caller` (a From user part): the number itself first, then the
  /// longest matching prefix. Nothing for a caller without digits (anonymous).
  [[nodiscard]] std::optional<entry> find(std::string_view caller) const;
  [[nodiscard]] std::size_t size() const { return numbers_.size() + prefixes_.size(); }

 private:
  std::unordered_map<std::string, entry> numbers_;
  std::unordered_map<std::string, entry> prefixes_;
  std::size_t longest_prefix_ = 0;
};

}  // namespace callcenterd::call
