// libFuzzer target: arbitrary bytes as a flow expression and as prompt text with `${...}`
// parts. Nothing may crash, recurse without bound or read out of bounds; errors must point
// into the input; what parses must evaluate (to a value or an error) the same way twice,
// read only the names it lists, and never yield text beyond max_text_value_bytes.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "callcenterd/ivr/expression.hpp"

namespace ivr = callcenterd::ivr;

namespace {

// Every variable is one of a few fixed values, chosen by the name's length so that inputs
// can reach each: integers (one of them INT64_MIN, for the overflow paths), digits as text,
// a long text with multi-byte code points, and null.
ivr::value variable(std::string_view name) {
  static const std::string long_text = [] {
    std::string text;
    while (text.size() < 20000) text += "abc \xe6\x97\xa5\xe6\x9c\xac 123 \xc3\xa9 ";
    return text;
  }();
  switch (name.size() % 5) {
    case 0:
      return 12345;
    case 1:
      return std::numeric_limits<std::int64_t>::min();
    case 2:
      return long_text;
    case 3:
      return "0042";
    default:
      return {};
  }
}

ivr::evaluation_context context(std::vector<std::string>* asked) {
  ivr::evaluation_context c;
  c.lookup = [asked](std::string_view name) {
    asked->emplace_back(name);
    return variable(name);
  };
  c.now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  return c;
}

void check_names(const std::vector<std::string>& names) {
  for (auto it = names.begin(); it != names.end(); ++it) {
    if (it->empty() || std::find(it + 1, names.end(), *it) != names.end()) std::abort();
  }
}

void check_parse_error(const ivr::parse_error& error, std::string_view input) {
  if (error.reason.empty() || error.offset > input.size()) std::abort();
}

bool same(const std::variant<ivr::value, ivr::evaluation_error>& a,
          const std::variant<ivr::value, ivr::evaluation_error>& b) {
  if (a.index() != b.index()) return false;
  if (a.index() == 0) return std::get<0>(a) == std::get<0>(b);
  return std::get<1>(a).reason == std::get<1>(b).reason;
}

void check_expression(std::string_view input) {
  auto parsed = ivr::expression::parse(input);
  if (const auto* error = std::get_if<ivr::parse_error>(&parsed)) {
    check_parse_error(*error, input);
    return;
  }
  const auto& expr = std::get<ivr::expression>(parsed);
  if (expr.text() != input) std::abort();
  check_names(expr.names());

  std::vector<std::string> asked;
  const auto first = expr.evaluate(context(&asked));
  for (const auto& name : asked) {
    if (std::find(expr.names().begin(), expr.names().end(), name) == expr.names().end()) {
      std::abort();
    }
  }
  if (const auto* v = std::get_if<ivr::value>(&first)) {
    if (v->is_text() && v->as_text().size() > ivr::max_text_value_bytes) std::abort();
  } else if (std::get<ivr::evaluation_error>(first).reason.empty()) {
    std::abort();
  }
  std::vector<std::string> asked_again;
  if (!same(first, expr.evaluate(context(&asked_again))) || asked != asked_again) std::abort();
}

void check_template(std::string_view input) {
  auto parsed = ivr::text_template::parse(input);
  if (const auto* error = std::get_if<ivr::parse_error>(&parsed)) {
    check_parse_error(*error, input);
    return;
  }
  const auto& text = std::get<ivr::text_template>(parsed);
  const auto names = text.names();
  check_names(names);
  if (text.is_constant() && !names.empty()) std::abort();
  std::vector<std::string> asked;
  const auto rendered = text.render(context(&asked));
  if (const auto* error = std::get_if<ivr::evaluation_error>(&rendered)) {
    if (error->reason.empty() || text.is_constant()) std::abort();
  } else if (text.is_constant() && std::get<std::string>(rendered).size() > input.size()) {
    std::abort();  // unescaping only shortens
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_expression(input);
  check_template(input);
  return 0;
}
