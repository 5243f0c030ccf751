// Prompts in flow files: "text to say", or a list of pieces.
#include <array>

#include "flow_sections.hpp"
#include "text_checks.hpp"
#include "value_parsers.hpp"

namespace callcenterd::config::detail {

namespace {

constexpr std::array<std::string_view, 5> item_kinds = {"say", "file", "digits", "number",
                                                        "duration"};

std::string not_blank(std::string_view text) {
  if (text.find_first_not_of(" \t") == std::string_view::npos) return "must not be empty";
  return {};
}

void read_item(const YAML::Node& node, const std::string& path, prompt_settings& out,
               error_list& errors) {
  if (node.IsScalar()) {
    if (not_blank(node.Scalar()).empty()) {
      out.push_back(
          prompt_item{prompt_item::kind::say, errors.locate(node.Mark(), path, node.Scalar()), {}});
    } else {
      errors.add(node.Mark(), path, "a prompt needs something to say");
    }
    return;
  }
  if (!node.IsMap()) {
    errors.add(node.Mark(), path, "expected text to say or a mapping, got " + describe(node));
    return;
  }
  section_reader item(node, path, node.Mark(), errors);
  prompt_item piece;
  int kinds = 0;
  for (std::size_t i = 0; i < item_kinds.size(); ++i) {
    if (item.located_text(item_kinds[i], piece.value, not_blank)) {
      piece.what = static_cast<prompt_item::kind>(i);
      ++kinds;
    }
  }
  if (kinds != 1) {
    errors.add(node.Mark(), path,
               "a prompt piece has exactly one of say, file, digits, number, duration");
  }
  if (item.text("language", piece.language, language_check) &&
      piece.what == prompt_item::kind::file) {
    item.fail("language", "a recorded file has no language to choose");
  }
  item.finish();
  if (kinds == 1) out.push_back(std::move(piece));
}

}  // namespace

prompt_settings read_prompt(const section_reader::raw_value& raw, error_list& errors) {
  prompt_settings out;
  if (raw.node.IsSequence()) {
    if (raw.node.size() == 0) errors.add(raw.key_mark, raw.path, "a prompt needs something to say");
    for (std::size_t i = 0; i < raw.node.size(); ++i) {
      read_item(raw.node[i], raw.path + "[" + std::to_string(i) + "]", out, errors);
    }
  } else if (raw.node.IsNull()) {
    errors.add(raw.key_mark, raw.path, "a prompt needs something to say");
  } else {
    read_item(raw.node, raw.path, out, errors);
  }
  return out;
}

prompt_settings read_prompt(section_reader& in, std::string_view key) {
  const auto raw = in.raw(key);
  if (!raw) return {};
  return read_prompt(*raw, in.errors());
}

}  // namespace callcenterd::config::detail
