#pragma once

// Helpers the CRM's input checks share: collect every problem, then refuse once with all of
// them. Private to the crm library.

#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/crm/crm_error.hpp"
#include "utf8.hpp"

namespace callcenterd::crm {

/// Adds a problem for `field` when `value` breaks the text rules (see utf8::text_problem).
inline void check_text(std::vector<crm_problem>& problems, const std::string& field,
                       std::string_view value, std::size_t max_chars, bool multiline) {
  if (auto problem = utf8::text_problem(value, max_chars, multiline)) {
    problems.push_back({0, field, field + " " + *problem});
  }
}

/// invalid_input with every problem; the summary is the first one and how many follow.
inline crm_error invalid_input(std::vector<crm_problem> problems) {
  std::string summary = problems.empty() ? std::string("invalid input") : problems.front().message;
  if (problems.size() > 1) summary += " (and " + std::to_string(problems.size() - 1) + " more)";
  return make_crm_error(crm_errc::invalid_input, std::move(summary), std::move(problems));
}

}  // namespace callcenterd::crm
