// Values and the tree walk that evaluates a parsed expression. Every failure the text or the
// variables can cause (types, overflow, division by zero, text growing past its limit) is an
// evaluation_error; the recursion is as deep as the parsed tree, which the parser bounds.

// GCC 12 with -fsanitize=address,undefined (scripts/test builds that way with -Werror) reports
// -Wmaybe-uninitialized inside std::variant's move constructor wherever a value moves into a
// result: a false positive, as the move only reads the active alternative. The warning is
// issued at the <variant> lines inlined here, so it is silenced before the includes. Clang and
// GCC without sanitizers do not report it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "callcenterd/ivr/expression.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "callcenterd/core/wording.hpp"
#include "expression_node.hpp"

namespace callcenterd::ivr {

std::string value::to_text() const {
  if (is_null()) return {};
  if (is_bool()) return as_bool() ? "true" : "false";
  if (is_integer()) return std::to_string(as_integer());
  return as_text();
}

bool value::truthy() const {
  if (is_null()) return false;
  if (is_bool()) return as_bool();
  if (is_integer()) return as_integer() != 0;
  return !as_text().empty();
}

std::string_view value::type_name() const {
  if (is_null()) return "null";
  if (is_bool()) return "bool";
  if (is_integer()) return "integer";
  return "text";
}

namespace {

using result = std::variant<value, evaluation_error>;
using detail::binary_op;
using detail::function_id;

// Bytes in the UTF-8 sequence that starts at `at`; 1 for a byte that does not start a valid
// sequence, so invalid text still counts (each stray byte as one code point) and never reads
// past the end.
std::size_t sequence_length(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  std::size_t length = 1;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  if (lead >= 0xe0 && lead <= 0xef) length = 3;
  if (lead >= 0xf0 && lead <= 0xf4) length = 4;
  if (length == 1 || at + length > text.size()) return 1;
  for (std::size_t i = 1; i < length; ++i) {
    if ((static_cast<unsigned char>(text[at + i]) & 0xc0) != 0x80) return 1;
  }
  return length;
}

// The byte offset `count` code points after `at`, or the end of the text.
std::size_t skip_code_points(std::string_view text, std::size_t at, std::int64_t count) {
  for (; count > 0 && at < text.size(); --count) at += sequence_length(text, at);
  return at;
}

std::int64_t count_code_points(std::string_view text) {
  std::int64_t count = 0;
  for (std::size_t at = 0; at < text.size(); at += sequence_length(text, at)) ++count;
  return count;
}

// User text quoted in an error, cut short so a long value cannot flood the log.
std::string quoted(std::string_view text) { return core::in_quotes(text, 32); }

evaluation_error overflow(std::string_view where) {
  return evaluation_error{"integer overflow in " + std::string(where)};
}

std::string both_types(const value& a, const value& b) {
  return std::string(a.type_name()) + " and " + std::string(b.type_name());
}

std::string quote_op(binary_op op) { return "'" + std::string(detail::spelling(op)) + "'"; }

result concatenate(const value& a, const value& b) {
  std::string left = a.to_text();
  const std::string right = b.to_text();
  if (left.size() + right.size() > max_text_value_bytes) {
    return evaluation_error{"'+' would make a text longer than " +
                            std::to_string(max_text_value_bytes) + " bytes"};
  }
  left += right;
  return value(std::move(left));
}

result arithmetic(binary_op op, const value& a, const value& b) {
  if (op == binary_op::add && !(a.is_integer() && b.is_integer()) && (a.is_text() || b.is_text())) {
    return concatenate(a, b);
  }
  if (!a.is_integer() || !b.is_integer()) {
    const char* wants =
        op == binary_op::add ? " wants integers or text, not " : " wants integers, not ";
    return evaluation_error{quote_op(op) + wants + both_types(a, b)};
  }
  const std::int64_t x = a.as_integer();
  const std::int64_t y = b.as_integer();
  std::int64_t out = 0;
  bool overflowed = false;
  switch (op) {
    case binary_op::add:
      overflowed = __builtin_add_overflow(x, y, &out);
      break;
    case binary_op::subtract:
      overflowed = __builtin_sub_overflow(x, y, &out);
      break;
    case binary_op::multiply:
      overflowed = __builtin_mul_overflow(x, y, &out);
      break;
    case binary_op::divide:
    case binary_op::remainder:
      if (y == 0) return evaluation_error{"division by zero"};
      // INT64_MIN / -1 does not fit, and INT64_MIN % -1 traps on x86 although its value is 0.
      if (x == std::numeric_limits<std::int64_t>::min() && y == -1) {
        overflowed = true;
        break;
      }
      out = op == binary_op::divide ? x / y : x % y;
      break;
    default:
      break;
  }
  if (overflowed) return overflow(quote_op(op));
  return value(out);
}

result compare(binary_op op, const value& a, const value& b) {
  if (op == binary_op::equal) return value(a == b);
  if (op == binary_op::not_equal) return value(a != b);
  int order = 0;
  if (a.is_integer() && b.is_integer()) {
    order = a.as_integer() < b.as_integer() ? -1 : (a.as_integer() > b.as_integer() ? 1 : 0);
  } else if (a.is_text() && b.is_text()) {
    // Byte order, which for UTF-8 is code point order.
    order = a.as_text().compare(b.as_text());
  } else {
    return evaluation_error{quote_op(op) + " wants two integers or two texts, not " +
                            both_types(a, b)};
  }
  switch (op) {
    case binary_op::less:
      return value(order < 0);
    case binary_op::less_equal:
      return value(order <= 0);
    case binary_op::greater:
      return value(order > 0);
    default:
      return value(order >= 0);
  }
}

std::string pad2(std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// "M:SS" under an hour, "H:MM:SS" from an hour; a negative duration reads as none.
std::string format_duration(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const std::int64_t hours = seconds / 3600;
  const std::int64_t minutes = seconds % 3600 / 60;
  const std::string rest = pad2(seconds % 60);
  if (hours == 0) return std::to_string(minutes) + ":" + rest;
  return std::to_string(hours) + ":" + pad2(minutes) + ":" + rest;
}

// Optional sign and digits, with spaces or tabs around them.
result text_to_int(const std::string& text) {
  const std::string_view blanks = " \t";
  const std::size_t first = text.find_first_not_of(blanks);
  const std::size_t last = text.find_last_not_of(blanks);
  std::string_view digits;
  if (first != std::string::npos) digits = std::string_view(text).substr(first, last - first + 1);
  const bool negative = !digits.empty() && digits.front() == '-';
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
  const auto not_a_number = evaluation_error{"int(): " + quoted(text) + " is not a number"};
  if (digits.empty()) return not_a_number;
  // Accumulated towards the sign so that "-9223372036854775808" fits.
  std::int64_t n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return not_a_number;
    const int digit = c - '0';
    if (__builtin_mul_overflow(n, 10, &n) ||
        (negative ? __builtin_sub_overflow(n, digit, &n) : __builtin_add_overflow(n, digit, &n))) {
      return evaluation_error{"int(): " + quoted(text) + " is out of range"};
    }
  }
  return value(n);
}

class evaluator {
 public:
  explicit evaluator(const evaluation_context& context) : context_(context) {}

  [[nodiscard]] result eval(const detail::node& n) const { return std::visit(*this, n.kind); }

  result operator()(const detail::constant_node& n) const { return n.constant; }

  result operator()(const detail::variable_node& n) const {
    if (!context_.lookup) return value();
    return context_.lookup(n.name);
  }

  result operator()(const detail::negate_node& n) const {
    auto operand = eval(*n.operand);
    const auto* v = std::get_if<value>(&operand);
    if (v == nullptr) return operand;
    if (!v->is_integer()) {
      return evaluation_error{"'-' wants an integer, not " + std::string(v->type_name())};
    }
    if (v->as_integer() == std::numeric_limits<std::int64_t>::min()) return overflow("'-'");
    return value(-v->as_integer());
  }

  result operator()(const detail::not_node& n) const {
    auto operand = eval(*n.operand);
    const auto* v = std::get_if<value>(&operand);
    if (v == nullptr) return operand;
    return value(!v->truthy());
  }

  result operator()(const detail::logic_node& n) const {
    // `and` stops at the first false operand, `or` at the first true one.
    for (const auto& operand : n.operands) {
      auto r = eval(*operand);
      const auto* v = std::get_if<value>(&r);
      if (v == nullptr) return r;
      if (v->truthy() != n.is_and) return value(!n.is_and);
    }
    return value(n.is_and);
  }

  result operator()(const detail::arithmetic_node& n) const {
    auto r = eval(*n.first);
    for (const auto& [op, operand] : n.rest) {
      if (std::holds_alternative<evaluation_error>(r)) return r;
      auto right = eval(*operand);
      if (std::holds_alternative<evaluation_error>(right)) return right;
      r = arithmetic(op, std::get<value>(r), std::get<value>(right));
    }
    return r;
  }

  result operator()(const detail::compare_node& n) const {
    auto left = eval(*n.left);
    if (std::holds_alternative<evaluation_error>(left)) return left;
    auto right = eval(*n.right);
    if (std::holds_alternative<evaluation_error>(right)) return right;
    return compare(n.op, std::get<value>(left), std::get<value>(right));
  }

  result operator()(const detail::call_node& n) const;

 private:
  const evaluation_context& context_;
};

evaluation_error wrong_type(function_id fn, std::string_view wants, const value& got,
                            std::string_view what = {}) {
  std::string reason = std::string(detail::spelling(fn)) + "() wants " + std::string(wants);
  if (!what.empty()) reason += " for " + std::string(what);
  return evaluation_error{reason + ", not " + std::string(got.type_name())};
}

// Functions that read text take null (an unset variable) as the empty text, so that
// `len(account) == 0` holds before anything was collected.
bool to_text_argument(value& v) {
  if (v.is_null()) v = value("");
  return v.is_text();
}

// substr by code point; a start before the text or past its end, and a negative count, give
// "" rather than an error, so a flow can cut any text without guarding it first.
result substr(std::vector<value>& args) {
  if (!to_text_argument(args[0])) return wrong_type(function_id::substr, "text", args[0]);
  if (!args[1].is_integer()) {
    return wrong_type(function_id::substr, "an integer", args[1], "start");
  }
  if (args.size() > 2 && !args[2].is_integer()) {
    return wrong_type(function_id::substr, "an integer", args[2], "count");
  }
  const std::string_view text = args[0].as_text();
  const std::int64_t start = args[1].as_integer();
  const std::int64_t count =
      args.size() > 2 ? args[2].as_integer() : std::numeric_limits<std::int64_t>::max();
  if (start < 0 || count < 0) return value("");
  const std::size_t from = skip_code_points(text, 0, start);
  const std::size_t to = skip_code_points(text, from, count);
  return value(std::string(text.substr(from, to - from)));
}

result to_int(const value& v) {
  if (v.is_integer()) return v;
  if (v.is_bool()) return value(std::int64_t{v.as_bool() ? 1 : 0});
  if (v.is_text()) return text_to_int(v.as_text());
  return evaluation_error{"int(): null is not a number"};
}

result text_pair(function_id fn, std::vector<value>& args) {
  if (!to_text_argument(args[0])) return wrong_type(fn, "text", args[0]);
  if (!to_text_argument(args[1])) return wrong_type(fn, "text", args[1], "its second argument");
  const std::string& text = args[0].as_text();
  const std::string& part = args[1].as_text();
  if (fn == function_id::contains) return value(text.find(part) != std::string::npos);
  return value(text.compare(0, part.size(), part) == 0);
}

result min_max(function_id fn, std::vector<value>& args) {
  const value& a = args[0];
  const value& b = args[1];
  const bool integers = a.is_integer() && b.is_integer();
  if (!integers && !(a.is_text() && b.is_text())) {
    return evaluation_error{std::string(detail::spelling(fn)) +
                            "() wants two integers or two texts, not " + both_types(a, b)};
  }
  const bool a_less = integers ? a.as_integer() < b.as_integer() : a.as_text() < b.as_text();
  return (a_less == (fn == function_id::min)) ? a : b;
}

result call(function_id fn, std::vector<value>& args, const evaluation_context& context) {
  switch (fn) {
    case function_id::len:
      if (!to_text_argument(args[0])) return wrong_type(fn, "text", args[0]);
      return value(count_code_points(args[0].as_text()));
    case function_id::substr:
      return substr(args);
    case function_id::now:
      return value(static_cast<std::int64_t>(
          std::chrono::floor<std::chrono::seconds>(context.now.time_since_epoch()).count()));
    case function_id::format_duration:
      if (!args[0].is_integer()) return wrong_type(fn, "an integer", args[0]);
      return value(format_duration(args[0].as_integer()));
    case function_id::to_int:
      return to_int(args[0]);
    case function_id::to_str:
      return value(args[0].to_text());
    case function_id::contains:
    case function_id::starts_with:
      return text_pair(fn, args);
    case function_id::min:
    case function_id::max:
      return min_max(fn, args);
    case function_id::abs:
      if (!args[0].is_integer()) return wrong_type(fn, "an integer", args[0]);
      if (args[0].as_integer() == std::numeric_limits<std::int64_t>::min()) {
        return overflow("abs()");
      }
      return value(args[0].as_integer() < 0 ? -args[0].as_integer() : args[0].as_integer());
  }
  return evaluation_error{"unknown function"};  // unreachable: the parser checked the name
}

result evaluator::operator()(const detail::call_node& n) const {
  // Every function wants all its arguments, evaluated left to right; the parser checked
  // their number.
  std::vector<value> args;
  args.reserve(n.args.size());
  for (const auto& arg : n.args) {
    auto r = eval(*arg);
    auto* v = std::get_if<value>(&r);
    if (v == nullptr) return r;
    args.push_back(std::move(*v));
  }
  return call(n.fn, args, context_);
}

}  // namespace

std::variant<value, evaluation_error> expression::evaluate(
    const evaluation_context& context) const {
  if (!root_) return evaluation_error{"empty expression"};  // a default-constructed expression
  return evaluator(context).eval(*root_);
}

}  // namespace callcenterd::ivr
