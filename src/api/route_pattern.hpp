#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Route patterns and request targets as plain data, so that matching is testable without I/O.
namespace callcenterd::api::detail {

struct pattern_segment {
  // Declared from most to least specific; compare_specificity relies on this order.
  enum class kind { literal, param, rest };
  kind type = kind::literal;
  std::string text;  // the literal, or the parameter's name
};

struct route_pattern {
  std::string text;
  std::vector<pattern_segment> segments;
};

/// Parses "/api/v1/agents/{id}" and friends; nullopt (with `why` set) when malformed.
std::optional<route_pattern> parse_route_pattern(std::string_view text, std::string& why);

/// A request target split into percent-decoded path segments and query pairs. The path "/" has
/// one empty segment; a trailing slash adds an empty last segment.
struct parsed_target {
  std::vector<std::string> segments;
  std::vector<std::pair<std::string, std::string>> query;
};

/// nullopt for anything but an origin-form ("/path?query") or absolute-form target with valid
/// percent-encoding.
std::optional<parsed_target> parse_target(std::string_view target);

/// Decodes %XX escapes (and '+' as space when asked); nullopt for a bad escape or a NUL byte.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

using path_params = std::map<std::string, std::string, std::less<>>;

/// True when `pattern` matches `segments`; the parameters are then in `params`.
bool match_route(const route_pattern& pattern, const std::vector<std::string>& segments,
                 path_params& params);

/// Negative when `a` is less specific than `b`, positive when more, zero when they have the same
/// shape (and so would match the same paths).
int compare_specificity(const route_pattern& a, const route_pattern& b);

}  // namespace callcenterd::api::detail
