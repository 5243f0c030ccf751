#include "section_reader.hpp"

#include <algorithm>

#include "callcenterd/core/wording.hpp"
#include "value_parsers.hpp"

namespace callcenterd::config::detail {

namespace {

int one_based(int zero_based) { return zero_based >= 0 ? zero_based + 1 : 0; }

std::string join(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return in_quotes(node.Scalar());
    default:
      return "an empty value";
  }
}

void error_list::add(const YAML::Mark& mark, std::string key_path, std::string reason) {
  errors_.push_back(config_error{file_, one_based(mark.line), one_based(mark.column),
                                 std::move(key_path), std::move(reason)});
}

void error_list::add(const flow_text& where, std::string reason) {
  errors_.push_back(where.problem(std::move(reason)));
}

flow_text error_list::locate(const YAML::Mark& mark, std::string path, std::string text) const {
  return flow_text{std::move(text), file_, one_based(mark.line), one_based(mark.column),
                   std::move(path)};
}

void error_list::add_file_error(std::string reason) {
  errors_.push_back(config_error{file_, 0, 0, {}, std::move(reason)});
}

std::vector<config_error> error_list::take_sorted() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return std::move(errors_);
}

section_reader::section_reader(const YAML::Node& node, std::string path, YAML::Mark key_mark,
                               error_list& errors)
    : path_(std::move(path)), key_mark_(key_mark), errors_(&errors) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    errors_->add(key_mark_, path_,
                 (path_.empty() ? "the top level must be a mapping of sections, got "
                                : "expected a mapping of keys, got ") +
                     describe(node));
    return;
  }
  for (const auto& pair : node) {
    const YAML::Node& key = pair.first;
    if (!key.IsScalar()) {
      errors_->add(key.Mark(), path_, "a key must be a plain name, got " + describe(key));
      continue;
    }
    const auto same = std::find_if(entries_.begin(), entries_.end(),
                                   [&](const entry& e) { return e.key == key.Scalar(); });
    if (same != entries_.end()) {
      // yaml-cpp keeps both pairs of a repeated key; which one wins would be an accident.
      errors_->add(key.Mark(), key_path(key.Scalar()),
                   "duplicate key " + in_quotes(key.Scalar()) + " (first given on line " +
                       std::to_string(one_based(same->key_node.Mark().line)) + ")");
      continue;
    }
    entries_.push_back(entry{key.Scalar(), key, pair.second});
  }
}

const section_reader::entry* section_reader::claim(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  for (auto& e : entries_) {
    if (e.key == key) {
      e.claimed = true;
      return &e;
    }
  }
  return nullptr;
}

void section_reader::value_error(const entry& e, std::string reason) {
  // A scalar knows where it stands. An empty or nested value's mark points past the key, often
  // at the next line, so the key's own position reads better there.
  const YAML::Mark mark = e.value.IsScalar() ? e.value.Mark() : e.key_node.Mark();
  errors_->add(mark, key_path(e.key), std::move(reason));
}

std::optional<std::string> section_reader::scalar(std::string_view key, std::string_view expected,
                                                  const entry*& found) {
  found = claim(key);
  if (found == nullptr) return std::nullopt;
  if (!found->value.IsScalar()) {
    value_error(*found, "expected " + std::string(expected) + ", got " + describe(found->value));
    return std::nullopt;
  }
  return found->value.Scalar();
}

std::optional<std::int64_t> section_reader::integer_in_range(std::string_view key, std::int64_t min,
                                                             std::int64_t max) {
  const entry* e = nullptr;
  const auto text = scalar(key, "an integer", e);
  if (!text) return std::nullopt;
  const auto parsed = parse_integer(*text);
  if (!parsed.value) {
    value_error(*e, parsed.error);
    return std::nullopt;
  }
  if (*parsed.value < min || *parsed.value > max) {
    value_error(*e, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                        ", got " + *text);
    return std::nullopt;
  }
  return parsed.value;
}

bool section_reader::boolean(std::string_view key, bool& out) {
  const entry* e = nullptr;
  const auto text = scalar(key, "true or false", e);
  if (!text) return false;
  const auto parsed = parse_bool(*text);
  if (!parsed.value) {
    value_error(*e, parsed.error);
    return false;
  }
  out = *parsed.value;
  return true;
}

std::optional<std::string> section_reader::checked_text(std::string_view key,
                                                        const text_check& check,
                                                        const entry*& found) {
  auto text = scalar(key, "a string", found);
  if (!text) return std::nullopt;
  if (check) {
    if (auto why = check(*text); !why.empty()) {
      value_error(*found, std::move(why));
      return std::nullopt;
    }
  }
  return text;
}

bool section_reader::text(std::string_view key, std::string& out, const text_check& check) {
  const entry* e = nullptr;
  auto text = checked_text(key, check, e);
  if (!text) return false;
  out = std::move(*text);
  return true;
}

bool section_reader::path(std::string_view key, std::filesystem::path& out) {
  const entry* e = nullptr;
  const auto text = scalar(key, "a path", e);
  if (!text) return false;
  if (text->empty()) {
    value_error(*e, "a path cannot be empty");
    return false;
  }
  out = *text;
  return true;
}

bool section_reader::path_or_empty(std::string_view key, std::filesystem::path& out) {
  const entry* e = nullptr;
  const auto text = scalar(key, "a path", e);
  if (!text) return false;
  out = *text;
  return true;
}

bool section_reader::duration(std::string_view key, std::chrono::milliseconds& out,
                              std::chrono::milliseconds min, std::chrono::milliseconds max) {
  const entry* e = nullptr;
  const auto text = scalar(key, "a duration", e);
  if (!text) return false;
  const auto parsed = parse_duration(*text);
  if (!parsed.value) {
    value_error(*e, parsed.error);
    return false;
  }
  if (*parsed.value < min || *parsed.value > max) {
    value_error(*e, "must be between " + format_duration(min) + " and " + format_duration(max) +
                        ", got " + *text);
    return false;
  }
  out = *parsed.value;
  return true;
}

bool section_reader::fraction(std::string_view key, double& out) {
  const entry* e = nullptr;
  const auto text = scalar(key, "a number from 0 to 1", e);
  if (!text) return false;
  const auto parsed = parse_decimal(*text);
  if (!parsed.value) {
    value_error(*e, parsed.error);
    return false;
  }
  if (*parsed.value < 0 || *parsed.value > 1) {
    value_error(*e, "must be between 0 and 1, got " + *text);
    return false;
  }
  out = *parsed.value;
  return true;
}

std::optional<std::uint64_t> section_reader::size_in_range(std::string_view key, std::uint64_t min,
                                                           std::uint64_t max) {
  const entry* e = nullptr;
  const auto text = scalar(key, "a size", e);
  if (!text) return std::nullopt;
  const auto parsed = parse_size(*text);
  if (!parsed.value) {
    value_error(*e, parsed.error);
    return std::nullopt;
  }
  if (*parsed.value < min || *parsed.value > max) {
    value_error(
        *e, "must be between " + format_size(min) + " and " + format_size(max) + ", got " + *text);
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<std::size_t> section_reader::choice(std::string_view key,
                                                  std::span<const std::string_view> names) {
  const entry* e = nullptr;
  const std::string expected = "one of " + join(names);
  const auto text = scalar(key, expected, e);
  if (!text) return std::nullopt;
  const auto it = std::find(names.begin(), names.end(), *text);
  if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  std::string reason = "expected " + expected + "; got " + in_quotes(*text);
  const std::vector<std::string> candidates(names.begin(), names.end());
  if (const auto close = core::closest_match(*text, candidates)) {
    reason += " (did you mean " + in_quotes(*close) + "?)";
  }
  value_error(*e, std::move(reason));
  return std::nullopt;
}

section_reader section_reader::section(std::string_view key) {
  const entry* e = claim(key);
  if (e == nullptr) return section_reader(YAML::Node(), key_path(key), key_mark_, *errors_);
  return section_reader(e->value, key_path(key), e->key_node.Mark(), *errors_);
}

std::vector<section_reader> section_reader::list(std::string_view key) {
  std::vector<section_reader> out;
  const entry* e = claim(key);
  if (e == nullptr || e->value.IsNull()) return out;
  if (!e->value.IsSequence()) {
    value_error(*e, "expected a list, got " + describe(e->value));
    return out;
  }
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const YAML::Node item = e->value[i];
    const std::string path = key_path(key) + "[" + std::to_string(i) + "]";
    if (!item.IsMap()) {
      errors_->add(item.Mark(), path, "expected a mapping of keys, got " + describe(item));
      continue;
    }
    out.emplace_back(item, path, item.Mark(), *errors_);
  }
  return out;
}

bool section_reader::text_list(std::string_view key, std::vector<std::string>& out,
                               const text_check& check) {
  std::vector<flow_text> located;
  if (!located_list(key, located, check)) return false;
  out.clear();
  for (auto& item : located) out.push_back(std::move(item.text));
  return true;
}

bool section_reader::located_list(std::string_view key, std::vector<flow_text>& out,
                                  const text_check& check) {
  const entry* e = claim(key);
  if (e == nullptr || e->value.IsNull()) return false;
  if (!e->value.IsSequence()) {
    value_error(*e, "expected a list, got " + describe(e->value));
    return false;
  }
  std::vector<flow_text> values;
  bool ok = true;
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const YAML::Node item = e->value[i];
    std::string path = key_path(key) + "[" + std::to_string(i) + "]";
    if (!item.IsScalar()) {
      errors_->add(item.Mark(), path, "expected a string, got " + describe(item));
      ok = false;
      continue;
    }
    if (check) {
      if (auto why = check(item.Scalar()); !why.empty()) {
        errors_->add(item.Mark(), path, std::move(why));
        ok = false;
        continue;
      }
    }
    values.push_back(errors_->locate(item.Mark(), std::move(path), item.Scalar()));
  }
  if (ok) out = std::move(values);
  return ok;
}

bool section_reader::located_text(std::string_view key, flow_text& out, const text_check& check) {
  const entry* e = nullptr;
  auto text = checked_text(key, check, e);
  if (!text) return false;
  out = errors_->locate(e->value.Mark(), key_path(key), std::move(*text));
  return true;
}

std::optional<section_reader::raw_value> section_reader::raw(std::string_view key) {
  const entry* e = claim(key);
  if (e == nullptr) return std::nullopt;
  return raw_value{e->value, key_path(key), e->key_node.Mark()};
}

std::optional<section_reader> section_reader::names_of(std::string_view key,
                                                       std::string_view expected) {
  const entry* e = claim(key);
  if (e == nullptr || e->value.IsNull()) return std::nullopt;
  if (!e->value.IsMap()) {
    value_error(*e, "expected " + std::string(expected) + ", got " + describe(e->value));
    return std::nullopt;
  }
  section_reader names(e->value, key_path(key), e->key_node.Mark(), *errors_);
  // Every name is taken as it is: nothing is left for finish() to call unknown.
  for (auto& named : names.entries_) named.claimed = true;
  return names;
}

std::vector<std::pair<std::string, section_reader>> section_reader::named_sections(
    std::string_view key, const text_check& check) {
  std::vector<std::pair<std::string, section_reader>> out;
  auto names = names_of(key, "a mapping of names");
  if (!names) return out;
  for (const auto& named : names->entries_) {
    if (check) {
      if (auto why = check(named.key); !why.empty()) {
        errors_->add(named.key_node.Mark(), names->key_path(named.key), std::move(why));
      }
    }
    out.emplace_back(named.key, section_reader(named.value, names->key_path(named.key),
                                               named.key_node.Mark(), *errors_));
  }
  return out;
}

std::vector<std::pair<std::string, flow_text>> section_reader::text_map(std::string_view key) {
  std::vector<std::pair<std::string, flow_text>> out;
  auto names = names_of(key, "a mapping");
  if (!names) return out;
  for (const auto& named : names->entries_) {
    if (!named.value.IsScalar()) {
      names->value_error(named, "expected a name, got " + describe(named.value));
      continue;
    }
    out.emplace_back(named.key, errors_->locate(named.value.Mark(), names->key_path(named.key),
                                                named.value.Scalar()));
  }
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> section_reader::integer_map(
    std::string_view key, std::int64_t min, std::int64_t max, const text_check& check) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  auto names = names_of(key, "a mapping of names to numbers");
  if (!names) return out;
  for (const auto& named : names->entries_) {
    if (check) {
      if (auto why = check(named.key); !why.empty()) {
        errors_->add(named.key_node.Mark(), names->key_path(named.key), std::move(why));
        continue;
      }
    }
    if (const auto value = names->integer_in_range(named.key, min, max)) {
      out.emplace_back(named.key, *value);
    }
  }
  return out;
}

bool section_reader::has(std::string_view key) { return claim(key) != nullptr; }

bool section_reader::required(std::string_view key, std::string reason) {
  if (has(key)) return true;
  fail(key, std::move(reason));
  return false;
}

void section_reader::fail(std::string_view key, std::string reason) {
  for (const auto& e : entries_) {
    if (e.key == key) {
      value_error(e, std::move(reason));
      return;
    }
  }
  errors_->add(key_mark_, key_path(key), std::move(reason));
}

void section_reader::finish() {
  for (const auto& e : entries_) {
    if (e.claimed) continue;
    std::string reason = "unknown key " + in_quotes(e.key);
    if (const auto close = core::closest_match(e.key, known_)) {
      reason += " (did you mean " + in_quotes(*close) + "?)";
    } else if (!known_.empty()) {
      std::vector<std::string_view> names(known_.begin(), known_.end());
      reason += "; known keys here: " + join(names);
    }
    errors_->add(e.key_node.Mark(), key_path(e.key), std::move(reason));
  }
}

std::string section_reader::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

}  // namespace callcenterd::config::detail
