#pragma once

// The small expression language of flow files: what `set`, `branch`, `switch`, `collect`
// validation and `${...}` in prompt text compute from the call's variables. Our own and
// closed: integers, text, true/false and null; arithmetic, comparison, concatenation, boolean
// logic and a fixed list of functions. Nothing in it reaches a file, a process or the
// network, and every input, however hostile, gives a value or an error within fixed bounds
// of depth, size and work.
//
//   expr     := or
//   or       := and ( ("||" | "or") and )*
//   and      := not ( ("&&" | "and") not )*
//   not      := ("!" | "not") not | compare
//   compare  := sum ( ("==" | "!=" | "<" | "<=" | ">" | ">=") sum )?
//   sum      := product ( ("+" | "-") product )*
//   product  := unary ( ("*" | "/" | "%") unary )*
//   unary    := "-" unary | primary
//   primary  := integer | string | "true" | "false" | "null" | name | name "(" args ")"
//             | "(" expr ")"
//   name     := [A-Za-z_][A-Za-z0-9_]* ( "." [A-Za-z_][A-Za-z0-9_]* )*
//
// Values are null, bool, 64-bit integer or UTF-8 text. `+` adds two integers and
// concatenates when either side is text (the other as to_text()); other arithmetic wants
// integers. `==`/`!=` compare any two values (different types are unequal); ordering wants two
// integers or two texts. `and`/`or` short-circuit and give a bool from truthy(). A name that
// is not set reads as null.
//
// Functions: len(text), substr(text, start[, count]) (by code point), now() (Unix seconds of
// the context's clock), format_duration(seconds) ("0:45", "2:05", "1:02:03"), int(x) (text of
// digits to an integer), str(x), contains(text, part), starts_with(text, prefix), min(a, b),
// max(a, b), abs(n).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace callcenterd::ivr {

/// A value of the language. Cheap to copy for everything but long text.
class value {
 public:
  value() = default;                            // null
  value(bool b) : v_(b) {}                      // NOLINT(google-explicit-constructor)
  value(std::int64_t n) : v_(n) {}              // NOLINT(google-explicit-constructor)
  value(int n) : v_(std::int64_t{n}) {}         // NOLINT(google-explicit-constructor)
  value(std::string s) : v_(std::move(s)) {}    // NOLINT(google-explicit-constructor)
  value(const char* s) : v_(std::string(s)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  [[nodiscard]] bool is_bool() const { return std::holds_alternative<bool>(v_); }
  [[nodiscard]] bool is_integer() const { return std::holds_alternative<std::int64_t>(v_); }
  [[nodiscard]] bool is_text() const { return std::holds_alternative<std::string>(v_); }
  /// Only when the type matches.
  [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
  [[nodiscard]] std::int64_t as_integer() const { return std::get<std::int64_t>(v_); }
  [[nodiscard]] const std::string& as_text() const { return std::get<std::string>(v_); }

  /// How the value reads in text: "" for null, "true"/"false", decimal digits, the text.
  [[nodiscard]] std::string to_text() const;
  /// null, false, 0 and "" are false; everything else is true.
  [[nodiscard]] bool truthy() const;
  /// "null", "bool", "integer" or "text", for error messages.
  [[nodiscard]] std::string_view type_name() const;

  friend bool operator==(const value&, const value&) = default;

 private:
  std::variant<std::monostate, bool, std::int64_t, std::string> v_;
};

/// Where the evaluation finds variables and the time. Any thread; one evaluation at a time.
struct evaluation_context {
  /// The value of a variable; null when it is not set.
  std::function<value(std::string_view name)> lookup;
  /// The clock now() reads (injected, so tests fix the time).
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

/// Why text is not an expression: a byte offset into it and a reason for the admin
/// ("expected ')' to close '(' at 4", "unknown function 'lenght' (did you mean 'len'?)").
struct parse_error {
  std::size_t offset = 0;
  std::string reason;
};

/// Why an evaluation failed ("division by zero", "'-' wants integers, not text and integer").
struct evaluation_error {
  std::string reason;
};

/// Hard limits that keep hostile input cheap.
inline constexpr std::size_t max_expression_bytes = 4096;
inline constexpr std::size_t max_expression_depth = 64;     ///< nesting of any kind
inline constexpr std::size_t max_text_value_bytes = 65536;  ///< longest text a result may be

class expression;

namespace detail {
struct node;
/// expression::parse() for text that stands at offset `base` of a larger text (a `${...}` part
/// of a template): errors, and the offsets their reasons mention, count from there.
std::variant<expression, parse_error> parse_at(std::string_view text, std::size_t base);
}  // namespace detail

/// A parsed expression: immutable, shareable between threads and calls.
class expression {
 public:
  /// Parses `text`; a value or the first error.
  static std::variant<expression, parse_error> parse(std::string_view text);

  /// Evaluates against `context`. Never throws for anything the text or the variables hold.
  [[nodiscard]] std::variant<value, evaluation_error> evaluate(
      const evaluation_context& context) const;

  /// The variable names it reads, each once, in order of first use (for the validator).
  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
  /// The text it was parsed from.
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  friend std::variant<expression, parse_error> detail::parse_at(std::string_view, std::size_t);

  std::shared_ptr<const detail::node> root_;
  std::vector<std::string> names_;
  std::string text_;
};

/// Text with `${expression}` parts, as prompt text and variable values are written:
/// "Your balance is ${balance} yuan". `$$` is a literal `$`; a `$` not followed by `{` or `$`
/// is itself. Immutable, shareable.
class text_template {
 public:
  /// Parses every `${...}` part; the error's offset is into `text`.
  static std::variant<text_template, parse_error> parse(std::string_view text);

  /// The text with each part replaced by its value's to_text(); the first error otherwise.
  [[nodiscard]] std::variant<std::string, evaluation_error> render(
      const evaluation_context& context) const;

  /// Whether it has no `${...}` part (its text is then known before any call).
  [[nodiscard]] bool is_constant() const;
  /// The names every part reads.
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  struct part {
    std::string literal;                     ///< text before the expression (unescaped)
    std::shared_ptr<const expression> expr;  ///< null for the trailing literal
  };
  std::vector<part> parts_;
};

}  // namespace callcenterd::ivr
