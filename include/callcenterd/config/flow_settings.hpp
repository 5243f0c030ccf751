#pragma once

// Plain values read from the flow files (config/flows/*.yaml): calendars and the call flows
// that admins write. The reader checks the shape (known keys, types, ranges, one kind per
// node); the meaning (expressions, targets, reachability, loops) is checked by ivr, which
// needs the place each piece of text came from to say where a problem is. Values without
// shared state: safe to copy between threads.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "callcenterd/acd/model.hpp"
#include "callcenterd/config/config_error.hpp"

namespace callcenterd::config {

/// Text from a flow file and where it was written: the file, the 1-based line and column,
/// and its dotted key ("flows.main.nodes.menu.options.1").
struct flow_text {
  std::string text;
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;

  [[nodiscard]] bool empty() const { return text.empty(); }
  /// A problem of this text, reported where it was written.
  [[nodiscard]] config_error problem(std::string reason) const {
    return config_error{file, line, column, key_path, std::move(reason)};
  }
  bool operator==(const flow_text&) const = default;
};

/// One piece of what a caller hears.
struct prompt_item {
  enum class kind {
    say,       ///< text for the speech engine, with ${...} parts
    file,      ///< a recorded WAV under paths.prompts
    digits,    ///< an expression read digit by digit
    number,    ///< an expression read as a number
    duration,  ///< an expression of seconds read as a duration
  };
  kind what = kind::say;
  flow_text value;
  /// "en" or "zh"; empty: the flow's language.
  std::string language;
  bool operator==(const prompt_item&) const = default;
};
using prompt_settings = std::vector<prompt_item>;

/// Plays its prompt, then goes on.
struct play_node {
  prompt_settings prompt;
  /// A key stops the prompt (and is kept for a menu or collect that follows).
  bool interruptible = true;
  flow_text next;
  bool operator==(const play_node&) const = default;
};

/// A choice by one key, with retries.
struct menu_node {
  prompt_settings prompt;
  std::vector<std::pair<std::string, flow_text>> options;  ///< key → node
  std::chrono::milliseconds timeout{5000};
  unsigned retries = 3;    ///< prompts heard in all; the last failure takes its branch
  std::string repeat_key;  ///< plays the prompt again without using a retry
  prompt_settings invalid_prompt;
  prompt_settings no_input_prompt;
  flow_text invalid;   ///< after the last try with a wrong key
  flow_text no_input;  ///< after the last try with no key
  bool operator==(const menu_node&) const = default;
};

/// Digits into a variable.
struct collect_node {
  prompt_settings prompt;
  std::string variable;
  unsigned min_digits = 1;
  unsigned max_digits = 20;
  std::string terminator = "#";  ///< empty: none; input ends at max_digits or the timeout
  /// An expression that must hold for the digits (read through `variable`), e.g.
  /// "len(account) == 8 and starts_with(account, '6')"; empty: any digits are fine.
  flow_text valid_if;
  std::chrono::milliseconds timeout{5000};        ///< to the first key
  std::chrono::milliseconds digit_timeout{3000};  ///< between keys
  unsigned retries = 3;
  prompt_settings invalid_prompt;
  prompt_settings no_input_prompt;
  flow_text next;
  flow_text invalid;
  flow_text no_input;
  bool operator==(const collect_node&) const = default;
};

/// Variables from expressions, in order.
struct set_node {
  std::vector<std::pair<std::string, flow_text>> assignments;
  flow_text next;
  bool operator==(const set_node&) const = default;
};

/// The first case whose condition holds.
struct branch_node {
  struct condition {
    flow_text when;
    flow_text go;
    bool operator==(const condition&) const = default;
  };
  std::vector<condition> cases;
  flow_text otherwise;
  bool operator==(const branch_node&) const = default;
};

/// The case equal to an expression's value (as text).
struct switch_node {
  flow_text value;
  std::vector<std::pair<std::string, flow_text>> cases;  ///< value text → node
  flow_text otherwise;
  bool operator==(const switch_node&) const = default;
};

/// Open, closed or holiday by a calendar.
struct schedule_node {
  flow_text calendar;
  flow_text open;
  flow_text closed;
  flow_text holiday;  ///< empty: closed
  bool operator==(const schedule_node&) const = default;
};

/// Hands the call to a queue (until the ACD lands: rings the queue's extension).
struct queue_node {
  flow_text queue;
  flow_text priority;  ///< an expression; empty: 0
  /// Raises (or lowers) the waiting call's priority after waits, keeping its arrival time.
  std::vector<acd::priority_step> escalate;
  /// Where the call goes when the queue gives it back (nobody answered); empty: hang up.
  flow_text next;
  bool operator==(const queue_node&) const = default;
};

/// Sends the call on: to an extension, a number out through a trunk, or another flow.
struct transfer_node {
  enum class kind { extension, number, flow };
  kind what = kind::extension;
  flow_text target;   ///< a template for extension and number, a flow name for flow
  std::string trunk;  ///< number: the trunk; empty: the one whose prefix matches
  /// When the extension or number fails (busy, no answer); empty: hang up.
  flow_text failed;
  bool operator==(const transfer_node&) const = default;
};

/// Runs another flow and comes back.
struct call_flow_node {
  flow_text flow;
  flow_text next;
  bool operator==(const call_flow_node&) const = default;
};

/// Back to the flow that called this one (the end of the call in a top flow).
struct return_node {
  bool operator==(const return_node&) const = default;
};

/// Ends the call.
struct hangup_node {
  std::string reason;
  bool operator==(const hangup_node&) const = default;
};

/// Runs a named database query; the first row's columns become variables `into.column`.
struct lookup_node {
  flow_text query;                    ///< a query of the flow files' `queries:`
  std::vector<flow_text> parameters;  ///< expressions for $1, $2, ... in order
  std::string into;                   ///< the variables' prefix; empty: the query's name
  flow_text found;
  flow_text not_found;
  /// The database failed or did not answer within the query's timeout; empty: not_found.
  flow_text error;
  bool operator==(const lookup_node&) const = default;
};

using flow_node_body = std::variant<play_node, menu_node, collect_node, set_node, branch_node,
                                    switch_node, schedule_node, queue_node, transfer_node,
                                    call_flow_node, return_node, hangup_node, lookup_node>;

struct flow_node_settings {
  std::string name;
  flow_text at;  ///< the node's name where it is defined (its position and key path)
  flow_node_body body;
  bool operator==(const flow_node_settings&) const = default;
};

struct flow_settings {
  std::string name;
  flow_text at;
  /// The language of its speech: "en" or "zh".
  std::string language = "en";
  flow_text start;
  std::vector<flow_node_settings> nodes;  ///< as written
  bool operator==(const flow_settings&) const = default;
};

/// Opening hours: weekly intervals and holiday dates in a time zone.
struct calendar_settings {
  struct interval {
    unsigned weekday = 0;  ///< 0 Monday … 6 Sunday
    std::chrono::minutes from{0};
    std::chrono::minutes to{0};  ///< up to 24:00
    bool operator==(const interval&) const = default;
  };
  std::string name;
  flow_text at;
  std::string time_zone = "UTC";  ///< an IANA name ("Asia/Shanghai")
  std::vector<interval> open;
  std::vector<std::chrono::year_month_day> holidays;
  bool operator==(const calendar_settings&) const = default;
};

/// A named, parameterized query that `lookup` nodes run on the database: one SELECT whose
/// parameters are $1..$n, never SQL built from text. It runs read-only, within its timeout.
struct query_settings {
  std::string name;
  flow_text at;
  flow_text sql;
  unsigned parameters = 0;  ///< n, the highest $n in the SQL
  std::chrono::milliseconds timeout{2000};
  bool operator==(const query_settings&) const = default;
};

/// Every flow file of a directory, read together: a reload takes all of them or none.
struct flow_set_settings {
  std::filesystem::path directory;
  std::vector<std::string> files;  ///< read, in name order
  std::vector<calendar_settings> calendars;
  std::vector<query_settings> queries;
  std::vector<flow_settings> flows;
  bool operator==(const flow_set_settings&) const = default;
};

}  // namespace callcenterd::config
