#pragma once

// The parsed form of an expression, shared by the parser (expression_parser.cpp), the
// evaluator (expression.cpp) and text templates, which borrow the lexer to find where a
// `${...}` part ends.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "callcenterd/ivr/expression.hpp"

namespace callcenterd::ivr::detail {

enum class binary_op : std::uint8_t {
  add,
  subtract,
  multiply,
  divide,
  remainder,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
};

enum class function_id : std::uint8_t {
  len,
  substr,
  now,
  format_duration,
  to_int,
  to_str,
  contains,
  starts_with,
  min,
  max,
  abs,
};

/// The spelling of an operator, for error messages ("'-' wants integers, ...").
std::string_view spelling(binary_op op);
/// The name a flow file calls a function by.
std::string_view spelling(function_id fn);

using node_ptr = std::unique_ptr<const node>;

struct constant_node {
  value constant;
};

struct variable_node {
  std::string name;  ///< dotted names whole: "customer.name"
};

struct negate_node {
  node_ptr operand;
};

struct not_node {
  node_ptr operand;
};

/// `a && b && c` or `a || b || c`. Chains are flat rather than nested so that a long run of
/// operators makes a wide tree, not a deep one: evaluation and destruction recurse only as
/// deep as the nesting the parser already bounds.
struct logic_node {
  bool is_and = false;
  std::vector<node_ptr> operands;  ///< two or more
};

/// `a + b - c` or `a * b / c`, applied left to right: ((a op1 b) op2 c). Flat for the same
/// reason as logic_node.
struct arithmetic_node {
  node_ptr first;
  std::vector<std::pair<binary_op, node_ptr>> rest;  ///< one or more
};

/// A single comparison; the grammar does not chain them.
struct compare_node {
  binary_op op = binary_op::equal;
  node_ptr left;
  node_ptr right;
};

/// A call whose name and number of arguments the parser has checked.
struct call_node {
  function_id fn = function_id::len;
  std::vector<node_ptr> args;
};

struct node {
  std::variant<constant_node, variable_node, negate_node, not_node, logic_node, arithmetic_node,
               compare_node, call_node>
      kind;
};

/// Where the `${...}` part whose expression starts at `from` ends: the offset of its closing
/// `}`, found by lexing so that a `}` inside a string literal does not end it. `dollar` is the
/// offset of the part's `$`, where an unclosed part is reported.
std::variant<std::size_t, parse_error> find_template_part_end(std::string_view text,
                                                              std::size_t dollar, std::size_t from);

}  // namespace callcenterd::ivr::detail
