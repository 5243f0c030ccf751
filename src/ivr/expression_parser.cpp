// Text to expression trees: a lexer that hands out one token at a time (so the first error in
// reading order is the one reported) and a recursive-descent parser, one function per grammar
// rule of expression.hpp. Errors are values; the parser stops at the first.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "callcenterd/core/wording.hpp"
#include "callcenterd/ivr/expression.hpp"
#include "expression_node.hpp"

namespace callcenterd::ivr {
namespace detail {
namespace {

enum class token_kind : std::uint8_t {
  end,
  integer,
  string,
  name,
  true_kw,
  false_kw,
  null_kw,
  and_op,
  or_op,
  not_op,
  open_paren,
  close_paren,
  comma,
  plus,
  minus,
  star,
  slash,
  percent,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  close_brace,  // never part of an expression; ends a `${...}` part of a text template
};

struct token {
  token_kind kind = token_kind::end;
  std::size_t offset = 0;
  std::string_view spelling;    ///< the source bytes
  std::string text;             ///< string literal, unescaped
  std::uint64_t magnitude = 0;  ///< integer literal
  bool beyond_uint64 = false;   ///< integer literal too long even for magnitude
};

constexpr std::uint64_t int64_min_magnitude = std::uint64_t{1} << 63;

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Printable ASCII as itself in quotes; anything else (control bytes, UTF-8 pieces) by value,
// since echoing it raw could garble the admin's screen or log.
std::string describe_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte > 0x20 && byte < 0x7f) return std::string("'") + c + "'";
  static constexpr std::string_view hex = "0123456789ABCDEF";
  return std::string("byte 0x") + hex[byte >> 4] + hex[byte & 0xf];
}

std::string shorten(std::string_view text) {
  constexpr std::size_t most = 24;
  if (text.size() <= most) return std::string(text);
  return std::string(text.substr(0, most)) + "...";
}

std::string describe(const token& t) {
  switch (t.kind) {
    case token_kind::end:
      return "end of expression";
    case token_kind::integer:
      return "number " + shorten(t.spelling);
    case token_kind::string:
      return "text " + shorten(t.spelling);
    case token_kind::name:
      return "name '" + shorten(t.spelling) + "'";
    default:
      return "'" + std::string(t.spelling) + "'";
  }
}

class lexer {
 public:
  lexer(std::string_view source, std::size_t from) : source_(source), at_(from) {}

  std::variant<token, parse_error> next() {
    while (at_ < source_.size() && is_space(source_[at_])) ++at_;
    token t;
    t.offset = at_;
    if (at_ >= source_.size()) return t;
    const char c = source_[at_];
    if (is_digit(c)) return number(std::move(t));
    if (is_name_start(c)) return name(std::move(t));
    if (c == '"' || c == '\'') return string(std::move(t));
    return punctuation(std::move(t));
  }

 private:
  std::variant<token, parse_error> number(token t) {
    t.kind = token_kind::integer;
    const std::size_t start = at_;
    for (; at_ < source_.size() && is_digit(source_[at_]); ++at_) {
      const auto digit = static_cast<std::uint64_t>(source_[at_] - '0');
      if (__builtin_mul_overflow(t.magnitude, 10, &t.magnitude) ||
          __builtin_add_overflow(t.magnitude, digit, &t.magnitude)) {
        t.beyond_uint64 = true;
      }
    }
    if (at_ + 1 < source_.size() && source_[at_] == '.' && is_digit(source_[at_ + 1])) {
      return parse_error{at_, "only whole numbers are supported"};
    }
    if (at_ < source_.size() && is_name_char(source_[at_])) {
      return parse_error{at_,
                         "unexpected character " + describe_char(source_[at_]) + " after a number"};
    }
    t.spelling = source_.substr(start, at_ - start);
    return t;
  }

  std::variant<token, parse_error> name(token t) {
    const std::size_t start = at_;
    while (true) {
      while (at_ < source_.size() && is_name_char(source_[at_])) ++at_;
      if (at_ >= source_.size() || source_[at_] != '.') break;
      if (at_ + 1 >= source_.size() || !is_name_start(source_[at_ + 1])) {
        return parse_error{at_, "expected a name after '.'"};
      }
      ++at_;
    }
    t.spelling = source_.substr(start, at_ - start);
    static constexpr std::array<std::pair<std::string_view, token_kind>, 6> keywords{{
        {"true", token_kind::true_kw},
        {"false", token_kind::false_kw},
        {"null", token_kind::null_kw},
        {"and", token_kind::and_op},
        {"or", token_kind::or_op},
        {"not", token_kind::not_op},
    }};
    t.kind = token_kind::name;
    for (const auto& [word, kind] : keywords) {
      if (t.spelling == word) t.kind = kind;
    }
    return t;
  }

  std::variant<token, parse_error> string(token t) {
    const char quote = source_[at_];
    const std::size_t start = at_++;
    while (true) {
      if (at_ >= source_.size()) return parse_error{start, "unterminated string"};
      const char c = source_[at_];
      if (c == quote) break;
      if (c != '\\') {
        t.text += c;
        ++at_;
        continue;
      }
      if (at_ + 1 >= source_.size()) return parse_error{start, "unterminated string"};
      const char escaped = source_[at_ + 1];
      switch (escaped) {
        case '\\':
        case '"':
        case '\'':
          t.text += escaped;
          break;
        case 'n':
          t.text += '\n';
          break;
        case 't':
          t.text += '\t';
          break;
        default:
          return parse_error{at_, "unknown escape " + describe_char(escaped) +
                                      " after '\\' (use \\\\ \\\" \\' \\n or \\t)"};
      }
      at_ += 2;
    }
    ++at_;
    t.kind = token_kind::string;
    t.spelling = source_.substr(start, at_ - start);
    return t;
  }

  std::variant<token, parse_error> punctuation(token t) {
    static constexpr std::array<std::pair<std::string_view, token_kind>, 18> operators{{
        // Two-character operators first, so "<=" is not read as "<" and "=".
        {"==", token_kind::equal},
        {"!=", token_kind::not_equal},
        {"<=", token_kind::less_equal},
        {">=", token_kind::greater_equal},
        {"&&", token_kind::and_op},
        {"||", token_kind::or_op},
        {"(", token_kind::open_paren},
        {")", token_kind::close_paren},
        {",", token_kind::comma},
        {"+", token_kind::plus},
        {"-", token_kind::minus},
        {"*", token_kind::star},
        {"/", token_kind::slash},
        {"%", token_kind::percent},
        {"<", token_kind::less},
        {">", token_kind::greater},
        {"!", token_kind::not_op},
        {"}", token_kind::close_brace},
    }};
    const std::string_view rest = source_.substr(at_);
    const char c = rest.front();
    for (const auto& [spelling, kind] : operators) {
      if (rest.substr(0, spelling.size()) != spelling) continue;
      t.kind = kind;
      t.spelling = rest.substr(0, spelling.size());
      at_ += spelling.size();
      return t;
    }
    std::string reason = "unexpected character " + describe_char(c);
    if (c == '=') reason += " (use '==' to compare)";
    if (c == '&') reason += " (use '&&' or 'and')";
    if (c == '|') reason += " (use '||' or 'or')";
    return parse_error{at_, std::move(reason)};
  }

  std::string_view source_;
  std::size_t at_;
};

struct function_info {
  std::string_view name;
  function_id id;
  std::size_t min_args;
  std::size_t max_args;
};

constexpr std::array<function_info, 11> functions{{
    {"len", function_id::len, 1, 1},
    {"substr", function_id::substr, 2, 3},
    {"now", function_id::now, 0, 0},
    {"format_duration", function_id::format_duration, 1, 1},
    {"int", function_id::to_int, 1, 1},
    {"str", function_id::to_str, 1, 1},
    {"contains", function_id::contains, 2, 2},
    {"starts_with", function_id::starts_with, 2, 2},
    {"min", function_id::min, 2, 2},
    {"max", function_id::max, 2, 2},
    {"abs", function_id::abs, 1, 1},
}};

// What admins coming from other languages type, so the suggestion can name ours.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> function_aliases{{
    {"length", "len"},
    {"size", "len"},
    {"substring", "substr"},
    {"string", "str"},
    {"to_string", "str"},
    {"integer", "int"},
    {"startswith", "starts_with"},
    {"includes", "contains"},
    {"time", "now"},
}};

std::optional<std::string_view> suggest_function(std::string_view word) {
  // One edit for words of three letters or fewer, two otherwise: every function name is short,
  // and beyond that a "suggestion" is usually unrelated and sends the admin the wrong way.
  const std::size_t allowed = word.size() <= 3 ? 1 : 2;
  std::optional<std::string_view> best;
  std::size_t best_distance = allowed + 1;
  const auto consider = [&](std::string_view candidate, std::string_view target) {
    if (word.size() > candidate.size() + allowed || candidate.size() > word.size() + allowed) {
      return;
    }
    const std::size_t distance = core::edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = target;
    }
  };
  for (const auto& f : functions) consider(f.name, f.name);
  for (const auto& [alias, target] : function_aliases) consider(alias, target);
  return best;
}

std::string arity_reason(const function_info& f, std::size_t got) {
  std::string wants;
  if (f.max_args == 0) {
    wants = "no arguments";
  } else if (f.min_args == f.max_args) {
    wants = std::to_string(f.min_args) + (f.min_args == 1 ? " argument" : " arguments");
  } else {
    wants = std::to_string(f.min_args) + " or " + std::to_string(f.max_args) + " arguments";
  }
  return "'" + std::string(f.name) + "' takes " + wants + ", got " + std::to_string(got);
}

std::optional<binary_op> comparison(token_kind kind) {
  switch (kind) {
    case token_kind::equal:
      return binary_op::equal;
    case token_kind::not_equal:
      return binary_op::not_equal;
    case token_kind::less:
      return binary_op::less;
    case token_kind::less_equal:
      return binary_op::less_equal;
    case token_kind::greater:
      return binary_op::greater;
    case token_kind::greater_equal:
      return binary_op::greater_equal;
    default:
      return std::nullopt;
  }
}

template <class node_kind>
node_ptr make(node_kind k) {
  return std::make_unique<const node>(node{std::move(k)});
}

// Counts one level of nesting for as long as it lives.
class depth_guard {
 public:
  explicit depth_guard(std::size_t& depth) : depth_(depth) { ++depth_; }
  depth_guard(const depth_guard&) = delete;
  depth_guard& operator=(const depth_guard&) = delete;
  ~depth_guard() { --depth_; }
  [[nodiscard]] bool too_deep() const { return depth_ > max_expression_depth; }

 private:
  std::size_t& depth_;
};

struct parsed {
  node_ptr root;
  std::vector<std::string> names;
};

// Each parse_x returns the subtree or null with error_ set. The C++ recursion is a fixed number
// of frames per level of nesting, and every construct that nests (parentheses, calls, unary
// operators) goes through a depth_guard, so hostile input cannot exhaust the stack.
class parser {
 public:
  // Offsets in errors, and those their reasons mention, are `base` plus those into `text`.
  parser(std::string_view text, std::size_t base) : text_(text), lexer_(text, 0), base_(base) {}

  std::variant<parsed, parse_error> run() {
    if (text_.size() > max_expression_bytes) {
      return parse_error{
          base_ + max_expression_bytes,
          "expression longer than " + std::to_string(max_expression_bytes) + " bytes"};
    }
    if (!advance()) return std::move(*error_);
    if (current_.kind == token_kind::end) fail(current_.offset, "empty expression");
    if (error_) return std::move(*error_);
    auto root = parse_or();
    if (root && current_.kind != token_kind::end) {
      std::string reason = "unexpected " + describe(current_);
      if (starts_value(current_.kind)) reason += " (missing operator?)";
      fail(current_.offset, std::move(reason));
    }
    if (error_) return std::move(*error_);
    return parsed{std::move(root), std::move(names_)};
  }

 private:
  static bool starts_value(token_kind kind) {
    return kind == token_kind::integer || kind == token_kind::string || kind == token_kind::name ||
           kind == token_kind::true_kw || kind == token_kind::false_kw ||
           kind == token_kind::null_kw || kind == token_kind::open_paren;
  }

  bool advance() {
    auto next = lexer_.next();
    if (auto* error = std::get_if<parse_error>(&next)) {
      fail(error->offset, std::move(error->reason));
      return false;
    }
    current_ = std::move(std::get<token>(next));
    return true;
  }

  node_ptr fail(std::size_t offset, std::string reason) {
    if (!error_) error_ = parse_error{base_ + offset, std::move(reason)};
    return nullptr;
  }

  node_ptr fail_too_deep(std::size_t offset) {
    return fail(offset, "nested too deeply (more than " + std::to_string(max_expression_depth) +
                            " levels)");
  }

  node_ptr parse_or() { return parse_logic(token_kind::or_op); }

  node_ptr parse_and() { return parse_logic(token_kind::and_op); }

  node_ptr parse_logic(token_kind op) {
    const bool is_and = op == token_kind::and_op;
    auto first = is_and ? parse_not() : parse_and();
    if (!first || current_.kind != op) return first;
    logic_node chain;
    chain.is_and = is_and;
    chain.operands.push_back(std::move(first));
    while (current_.kind == op) {
      if (!advance()) return nullptr;
      auto next = is_and ? parse_not() : parse_and();
      if (!next) return nullptr;
      chain.operands.push_back(std::move(next));
    }
    return make(std::move(chain));
  }

  node_ptr parse_not() {
    if (current_.kind != token_kind::not_op) return parse_compare();
    const depth_guard guard(depth_);
    if (guard.too_deep()) return fail_too_deep(current_.offset);
    if (!advance()) return nullptr;
    auto operand = parse_not();
    if (!operand) return nullptr;
    return make(not_node{std::move(operand)});
  }

  node_ptr parse_compare() {
    auto left = parse_sum();
    if (!left) return nullptr;
    const auto op = comparison(current_.kind);
    if (!op) return left;
    if (!advance()) return nullptr;
    auto right = parse_sum();
    if (!right) return nullptr;
    if (comparison(current_.kind)) {
      return fail(current_.offset, "'" + std::string(current_.spelling) +
                                       "' cannot follow a comparison; join comparisons with "
                                       "'and'");
    }
    return make(compare_node{*op, std::move(left), std::move(right)});
  }

  node_ptr parse_sum() { return parse_arithmetic(false); }

  node_ptr parse_arithmetic(bool product) {
    auto operand = [&] { return product ? parse_unary() : parse_arithmetic(true); };
    const auto op_of = [product](token_kind kind) -> std::optional<binary_op> {
      if (!product && kind == token_kind::plus) return binary_op::add;
      if (!product && kind == token_kind::minus) return binary_op::subtract;
      if (product && kind == token_kind::star) return binary_op::multiply;
      if (product && kind == token_kind::slash) return binary_op::divide;
      if (product && kind == token_kind::percent) return binary_op::remainder;
      return std::nullopt;
    };
    auto first = operand();
    if (!first || !op_of(current_.kind)) return first;
    arithmetic_node chain;
    chain.first = std::move(first);
    while (const auto op = op_of(current_.kind)) {
      if (!advance()) return nullptr;
      auto next = operand();
      if (!next) return nullptr;
      chain.rest.emplace_back(*op, std::move(next));
    }
    return make(std::move(chain));
  }

  node_ptr parse_unary() {
    if (current_.kind != token_kind::minus) return parse_primary();
    const depth_guard guard(depth_);
    if (guard.too_deep()) return fail_too_deep(current_.offset);
    if (!advance()) return nullptr;
    // The one literal that only fits int64 negated: read "-9223372036854775808" as INT64_MIN
    // rather than as an overflowing 9223372036854775808 to negate.
    if (current_.kind == token_kind::integer && !current_.beyond_uint64 &&
        current_.magnitude == int64_min_magnitude) {
      if (!advance()) return nullptr;
      return make(constant_node{std::numeric_limits<std::int64_t>::min()});
    }
    auto operand = parse_unary();
    if (!operand) return nullptr;
    return make(negate_node{std::move(operand)});
  }

  node_ptr parse_primary() {
    switch (current_.kind) {
      case token_kind::integer:
        return parse_integer();
      case token_kind::string:
        return take(constant_node{std::move(current_.text)});
      case token_kind::true_kw:
        return take(constant_node{true});
      case token_kind::false_kw:
        return take(constant_node{false});
      case token_kind::null_kw:
        return take(constant_node{});
      case token_kind::name:
        return parse_name();
      case token_kind::open_paren:
        return parse_parenthesis();
      case token_kind::not_op:
        // The grammar puts negation above comparison, so `1 == !x` needs `1 == (!x)`.
        return fail(current_.offset,
                    "unexpected " + describe(current_) + " (put the negation in parentheses)");
      default:
        return fail(current_.offset, "unexpected " + describe(current_));
    }
  }

  // The node for the current token, which it consumes.
  template <class node_kind>
  node_ptr take(node_kind k) {
    if (!advance()) return nullptr;
    return make(std::move(k));
  }

  node_ptr parse_integer() {
    if (current_.beyond_uint64 ||
        current_.magnitude > std::uint64_t{std::numeric_limits<std::int64_t>::max()}) {
      return fail(current_.offset, "number too large (the largest is " +
                                       std::to_string(std::numeric_limits<std::int64_t>::max()) +
                                       ")");
    }
    return take(constant_node{static_cast<std::int64_t>(current_.magnitude)});
  }

  node_ptr parse_parenthesis() {
    const std::size_t open = current_.offset;
    const depth_guard guard(depth_);
    if (guard.too_deep()) return fail_too_deep(open);
    if (!advance()) return nullptr;
    auto inner = parse_or();
    if (!inner) return nullptr;
    if (current_.kind != token_kind::close_paren) {
      return fail(current_.offset, "expected ')' to close '(' at " + std::to_string(base_ + open));
    }
    if (!advance()) return nullptr;
    return inner;
  }

  node_ptr parse_name() {
    const token name = std::move(current_);
    if (!advance()) return nullptr;
    if (current_.kind == token_kind::open_paren) return parse_call(name);
    if (std::find(names_.begin(), names_.end(), name.spelling) == names_.end()) {
      names_.emplace_back(name.spelling);
    }
    return make(variable_node{std::string(name.spelling)});
  }

  node_ptr parse_call(const token& name) {
    const auto f = std::find_if(functions.begin(), functions.end(),
                                [&](const function_info& i) { return i.name == name.spelling; });
    if (f == functions.end()) {
      std::string reason = "unknown function '" + shorten(name.spelling) + "'";
      if (const auto suggestion = suggest_function(name.spelling)) {
        reason += " (did you mean '" + std::string(*suggestion) + "'?)";
      }
      return fail(name.offset, std::move(reason));
    }
    const depth_guard guard(depth_);
    if (guard.too_deep()) return fail_too_deep(name.offset);
    if (!advance()) return nullptr;  // the '('
    call_node call{f->id, {}};
    if (current_.kind == token_kind::close_paren) {
      if (!advance()) return nullptr;
    } else {
      while (true) {
        auto arg = parse_or();
        if (!arg) return nullptr;
        call.args.push_back(std::move(arg));
        if (current_.kind == token_kind::close_paren) {
          if (!advance()) return nullptr;
          break;
        }
        if (current_.kind != token_kind::comma) {
          return fail(current_.offset, "expected ',' or ')' to close '" + std::string(f->name) +
                                           "(' at " + std::to_string(base_ + name.offset));
        }
        if (!advance()) return nullptr;
      }
    }
    if (call.args.size() < f->min_args || call.args.size() > f->max_args) {
      return fail(name.offset, arity_reason(*f, call.args.size()));
    }
    return make(std::move(call));
  }

  std::string_view text_;
  lexer lexer_;
  std::size_t base_;
  token current_;
  std::optional<parse_error> error_;
  std::size_t depth_ = 0;
  std::vector<std::string> names_;
};

}  // namespace

std::string_view spelling(binary_op op) {
  static constexpr std::array<std::string_view, 11> spellings{
      "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">="};
  return spellings.at(static_cast<std::size_t>(op));
}

std::string_view spelling(function_id fn) {
  for (const auto& f : functions) {
    if (f.id == fn) return f.name;
  }
  return "?";
}

std::variant<std::size_t, parse_error> find_template_part_end(std::string_view text,
                                                              std::size_t dollar,
                                                              std::size_t from) {
  lexer tokens(text, from);
  while (true) {
    auto next = tokens.next();
    if (auto* error = std::get_if<parse_error>(&next)) return std::move(*error);
    const auto& t = std::get<token>(next);
    if (t.kind == token_kind::close_brace) return t.offset;
    if (t.kind == token_kind::end) return parse_error{dollar, "'${' is not closed by '}'"};
  }
}

std::variant<expression, parse_error> parse_at(std::string_view text, std::size_t base) {
  auto result = parser(text, base).run();
  if (auto* error = std::get_if<parse_error>(&result)) return std::move(*error);
  auto& tree = std::get<parsed>(result);
  expression out;
  out.root_ = std::move(tree.root);
  out.names_ = std::move(tree.names);
  out.text_ = std::string(text);
  return out;
}

}  // namespace detail

std::variant<expression, parse_error> expression::parse(std::string_view text) {
  return detail::parse_at(text, 0);
}

}  // namespace callcenterd::ivr
