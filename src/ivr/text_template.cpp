// Prompt text with `${expression}` parts. Parsing splits the text into literal runs and
// expressions once; rendering only evaluates.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "callcenterd/ivr/expression.hpp"
#include "expression_node.hpp"

namespace callcenterd::ivr {

std::variant<text_template, parse_error> text_template::parse(std::string_view text) {
  text_template parsed;
  std::string literal;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t dollar = text.find('$', at);
    if (dollar == std::string_view::npos || dollar + 1 >= text.size()) {
      literal.append(text.substr(at));
      break;
    }
    literal.append(text.substr(at, dollar - at));
    const char next = text[dollar + 1];
    if (next != '{') {
      // `$$` is one `$`; a `$` before anything else is itself.
      literal += '$';
      at = dollar + (next == '$' ? 2 : 1);
      continue;
    }
    const std::size_t from = dollar + 2;
    auto end = detail::find_template_part_end(text, dollar, from);
    if (auto* error = std::get_if<parse_error>(&end)) return std::move(*error);
    const std::size_t close = std::get<std::size_t>(end);
    const std::string_view source = text.substr(from, close - from);
    // Errors, and the offsets their reasons name, read as places in the whole template.
    auto expr = detail::parse_at(source, from);
    if (auto* error = std::get_if<parse_error>(&expr)) return std::move(*error);
    parsed.parts_.push_back(part{std::move(literal), std::make_shared<const expression>(
                                                         std::move(std::get<expression>(expr)))});
    literal.clear();
    at = close + 1;
  }
  parsed.parts_.push_back(part{std::move(literal), nullptr});
  return parsed;
}

std::variant<std::string, evaluation_error> text_template::render(
    const evaluation_context& context) const {
  // The values put in are bounded as a text value is; the literal text is the flow author's
  // and is taken as written.
  std::string out;
  std::size_t inserted = 0;
  for (const auto& p : parts_) {
    out += p.literal;
    if (!p.expr) continue;
    auto result = p.expr->evaluate(context);
    if (auto* error = std::get_if<evaluation_error>(&result)) return std::move(*error);
    const std::string text = std::get<value>(result).to_text();
    inserted += text.size();
    if (inserted > max_text_value_bytes) {
      return evaluation_error{"the values in the text add up to more than " +
                              std::to_string(max_text_value_bytes) + " bytes"};
    }
    out += text;
  }
  return out;
}

bool text_template::is_constant() const {
  return std::none_of(parts_.begin(), parts_.end(),
                      [](const part& p) { return p.expr != nullptr; });
}

std::vector<std::string> text_template::names() const {
  std::vector<std::string> all;
  for (const auto& p : parts_) {
    if (!p.expr) continue;
    for (const auto& name : p.expr->names()) {
      if (std::find(all.begin(), all.end(), name) == all.end()) all.push_back(name);
    }
  }
  return all;
}

}  // namespace callcenterd::ivr
