#include "route_pattern.hpp"

#include <algorithm>

namespace callcenterd::api::detail {

namespace {

bool is_param_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int rank(pattern_segment::kind type) {
  return type == pattern_segment::kind::literal ? 2 : type == pattern_segment::kind::param ? 1 : 0;
}

}  // namespace

std::optional<route_pattern> parse_route_pattern(std::string_view text, std::string& why) {
  if (text.empty() || text.front() != '/') {
    why = "a pattern must start with '/'";
    return std::nullopt;
  }
  route_pattern pattern{std::string(text), {}};
  const auto pieces = split(text.substr(1), '/');
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const std::string_view piece = pieces[i];
    if (piece.find_first_of("?#") != std::string_view::npos) {
      why = "a pattern holds no query or fragment";
      return std::nullopt;
    }
    if (!piece.starts_with('{')) {
      if (piece.find_first_of("{}%") != std::string_view::npos) {
        why = "braces must enclose a whole segment and literals are not percent-encoded";
        return std::nullopt;
      }
      pattern.segments.push_back({pattern_segment::kind::literal, std::string(piece)});
      continue;
    }
    if (!piece.ends_with('}')) {
      why = "unterminated '{'";
      return std::nullopt;
    }
    std::string_view name = piece.substr(1, piece.size() - 2);
    auto type = pattern_segment::kind::param;
    if (name.ends_with('*')) {
      if (i + 1 != pieces.size()) {
        why = "'{name*}' must be the last segment";
        return std::nullopt;
      }
      name.remove_suffix(1);
      type = pattern_segment::kind::rest;
    }
    if (!is_param_name(name)) {
      why = "parameter names are letters, digits and '_'";
      return std::nullopt;
    }
    for (const auto& seen : pattern.segments) {
      if (seen.type != pattern_segment::kind::literal && seen.text == name) {
        why = "parameter '" + std::string(name) + "' appears twice";
        return std::nullopt;
      }
    }
    pattern.segments.push_back({type, std::string(name)});
  }
  return pattern;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<parsed_target> parse_target(std::string_view target) {
  // Absolute form ("http://host/path") is legal in requests; only the path and query matter.
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (target.starts_with(scheme)) {
      const auto slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      break;
    }
  }
  if (target.empty() || target.front() != '/') return std::nullopt;
  target = target.substr(0, target.find('#'));
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);

  parsed_target parsed;
  // Split before decoding so that an encoded '/' stays inside its segment.
  for (const auto raw : split(path.substr(1), '/')) {
    auto segment = percent_decode(raw, false);
    if (!segment) return std::nullopt;
    parsed.segments.push_back(std::move(*segment));
  }
  if (question != std::string_view::npos) {
    for (const auto raw : split(target.substr(question + 1), '&')) {
      if (raw.empty()) continue;
      const auto equals = raw.find('=');
      auto name = percent_decode(raw.substr(0, equals), true);
      auto value = percent_decode(
          equals == std::string_view::npos ? std::string_view() : raw.substr(equals + 1), true);
      if (!name || !value) return std::nullopt;
      parsed.query.emplace_back(std::move(*name), std::move(*value));
    }
  }
  return parsed;
}

bool match_route(const route_pattern& pattern, const std::vector<std::string>& segments,
                 path_params& params) {
  params.clear();
  const auto& wanted = pattern.segments;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    switch (wanted[i].type) {
      case pattern_segment::kind::rest: {
        std::string rest;
        for (std::size_t j = i; j < segments.size(); ++j) {
          if (j > i) rest += '/';
          rest += segments[j];
        }
        params.emplace(wanted[i].text, std::move(rest));
        return true;
      }
      case pattern_segment::kind::param:
        if (i >= segments.size() || segments[i].empty()) return false;
        params.emplace(wanted[i].text, segments[i]);
        break;
      case pattern_segment::kind::literal:
        if (i >= segments.size() || segments[i] != wanted[i].text) return false;
        break;
    }
  }
  return wanted.size() == segments.size();
}

int compare_specificity(const route_pattern& a, const route_pattern& b) {
  const std::size_t common = std::min(a.segments.size(), b.segments.size());
  for (std::size_t i = 0; i < common; ++i) {
    const auto& x = a.segments[i];
    const auto& y = b.segments[i];
    if (const int diff = rank(x.type) - rank(y.type); diff != 0) return diff;
    if (x.type == pattern_segment::kind::literal && x.text != y.text) {
      // Different literals never match the same path; any stable order will do.
      return x.text < y.text ? -1 : 1;
    }
  }
  if (a.segments.size() == b.segments.size()) return 0;
  return a.segments.size() > b.segments.size() ? 1 : -1;
}

}  // namespace callcenterd::api::detail
