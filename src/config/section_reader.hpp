#pragma once

#include <yaml-cpp/yaml.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "callcenterd/config/flow_settings.hpp"
#include "callcenterd/config/loader.hpp"

namespace callcenterd::config::detail {

/// The errors of one file. Converts yaml-cpp's 0-based marks to the 1-based lines users see.
class error_list {
 public:
  explicit error_list(std::string file) : file_(std::move(file)) {}

  void add(const YAML::Mark& mark, std::string key_path, std::string reason);
  /// A problem of text read earlier, at its own position.
  void add(const flow_text& where, std::string reason);
  /// `text` as it stands at `mark` under the dotted `path` of this file.
  [[nodiscard]] flow_text locate(const YAML::Mark& mark, std::string path,
                                 std::string text = {}) const;
  /// A problem of the file as a whole: no position, no key.
  void add_file_error(std::string reason);

  bool empty() const { return errors_.empty(); }
  const std::string& file() const { return file_; }
  /// Every error, ordered by position; errors at the same position keep their order.
  std::vector<config_error> take_sorted();

 private:
  std::string file_;
  std::vector<config_error> errors_;
};

/// A YAML value as an error message names it: "a mapping", "a list", "'text'".
std::string describe(const YAML::Node& node);

/// Checks a text value; returns why it is refused, or an empty string when it is fine.
using text_check = std::function<std::string(std::string_view)>;

/// Reads one YAML mapping whose keys are known in advance. Each read names a key, which makes
/// it allowed; a value of the wrong type or range becomes an error with the value's position
/// and the read leaves the default in place. finish() then reports every key that no read
/// asked for. A new configuration section is one function that calls these, so the checks
/// and the wording of errors stay the same everywhere.
///
/// Every read returns true when the key was present and its value accepted.
class section_reader {
 public:
  /// `node` is the mapping to read (null reads as empty), `path` its dotted name ("" at the
  /// top level) and `key_mark` the position of its key, used when the node itself is wrong.
  section_reader(const YAML::Node& node, std::string path, YAML::Mark key_mark, error_list& errors);

  template <class T>
  bool integer(std::string_view key, T& out, T min, T max) {
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
    const auto value =
        integer_in_range(key, static_cast<std::int64_t>(min), static_cast<std::int64_t>(max));
    if (value) out = static_cast<T>(*value);
    return value.has_value();
  }

  bool boolean(std::string_view key, bool& out);
  /// Any scalar; `check` may refuse it with a reason.
  bool text(std::string_view key, std::string& out, const text_check& check = {});
  /// A non-empty path.
  bool path(std::string_view key, std::filesystem::path& out);
  /// A path where an empty string means "none".
  bool path_or_empty(std::string_view key, std::filesystem::path& out);
  bool duration(std::string_view key, std::chrono::milliseconds& out, std::chrono::milliseconds min,
                std::chrono::milliseconds max);
  /// A decimal number from 0 to 1 ("0.8"): a share, such as a service level target.
  bool fraction(std::string_view key, double& out);
  template <class T>
  bool size(std::string_view key, T& out, std::uint64_t min, std::uint64_t max) {
    static_assert(std::is_unsigned_v<T>);
    const auto value = size_in_range(key, min, max);
    if (value) out = static_cast<T>(*value);
    return value.has_value();
  }
  /// One of `names`; the enumerator is the index of the name, as in enum_names.hpp.
  template <class Enum, std::size_t N>
  bool enumeration(std::string_view key, Enum& out, const std::array<std::string_view, N>& names) {
    const auto index = choice(key, names);
    if (index) out = static_cast<Enum>(*index);
    return index.has_value();
  }

  /// A nested mapping; an absent key gives an empty reader. Call finish() on it as well.
  section_reader section(std::string_view key);
  /// Reads the nested mapping `key` with `read(section_reader&)`, then finishes it.
  template <class Read>
  void read_section(std::string_view key, const Read& read) {
    auto nested = section(key);
    read(nested);
    nested.finish();
  }
  /// A list of mappings, one reader each (paths like `sip.listen[1]`); an absent key gives
  /// none. Call finish() on each.
  std::vector<section_reader> list(std::string_view key);
  /// A list of scalars, each passed to `check`; refused elements are errors at their position.
  bool text_list(std::string_view key, std::vector<std::string>& out, const text_check& check = {});
  /// text_list() with where each element stands (paths like `with[1]`), for expressions.
  bool located_list(std::string_view key, std::vector<flow_text>& out,
                    const text_check& check = {});
  /// Any scalar with where it stands, for text that later checks (expressions, names of nodes)
  /// refer to by position.
  bool located_text(std::string_view key, flow_text& out, const text_check& check = {});
  /// The value of `key` as it is, claimed: for values of more than one shape (a prompt is
  /// text, a mapping or a list). Absent: nullopt.
  struct raw_value {
    YAML::Node node;
    std::string path;
    YAML::Mark key_mark;
  };
  std::optional<raw_value> raw(std::string_view key);
  /// A mapping of names to mappings (flows, nodes): one reader each, in file order, with
  /// paths like `flows.main`; a name `check` refuses is an error at the name (and is read all
  /// the same, so its own mistakes are found too). Call finish() on each.
  std::vector<std::pair<std::string, section_reader>> named_sections(std::string_view key,
                                                                     const text_check& check = {});
  /// A mapping of names to scalars (a menu's options): each name with its value, located.
  std::vector<std::pair<std::string, flow_text>> text_map(std::string_view key);
  /// A mapping of names to integers from `min` to `max` (skills and their levels), in file
  /// order. A name `check` refuses is an error at the name, a refused value one at the value;
  /// neither is in the answer.
  std::vector<std::pair<std::string, std::int64_t>> integer_map(std::string_view key,
                                                                std::int64_t min, std::int64_t max,
                                                                const text_check& check = {});
  error_list& errors() { return *errors_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const YAML::Mark& mark() const { return key_mark_; }
  /// `text` at this section's own key (a flow's or node's name where it is defined).
  [[nodiscard]] flow_text position(std::string text) const {
    return errors_->locate(key_mark_, path_, std::move(text));
  }

  /// True when the key is present (and claims it, so finish() does not report it).
  bool has(std::string_view key);
  /// has(), and when the key is absent records `reason` against the section: a key without
  /// a default. Read the value after it, so a bad value is reported once, as itself.
  bool required(std::string_view key, std::string reason);

  /// Records an error against `key`'s value, for checks that span several keys. Falls back to
  /// the section's own position when the key is absent.
  void fail(std::string_view key, std::string reason);

  /// Reports the keys that no read asked for. Call once, after all reads.
  void finish();

 private:
  struct entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
    bool claimed = false;
  };

  const entry* claim(std::string_view key);
  /// A reader over the mapping of names at `key`, every name claimed; nullopt when absent,
  /// null or not a mapping (then an error says it is not `expected`).
  std::optional<section_reader> names_of(std::string_view key, std::string_view expected);
  std::optional<std::string> scalar(std::string_view key, std::string_view expected,
                                    const entry*& found);
  /// A scalar that `check` (if any) accepts; errors recorded against the key otherwise.
  std::optional<std::string> checked_text(std::string_view key, const text_check& check,
                                          const entry*& found);
  std::optional<std::int64_t> integer_in_range(std::string_view key, std::int64_t min,
                                               std::int64_t max);
  std::optional<std::uint64_t> size_in_range(std::string_view key, std::uint64_t min,
                                             std::uint64_t max);
  std::optional<std::size_t> choice(std::string_view key, std::span<const std::string_view> names);
  void value_error(const entry& e, std::string reason);
  std::string key_path(std::string_view key) const;

  std::string path_;
  YAML::Mark key_mark_;
  error_list* errors_;
  std::vector<entry> entries_;
  std::vector<std::string> known_;
};

}  // namespace callcenterd::config::detail
