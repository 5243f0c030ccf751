#pragma once

// Variables and a fixed clock for evaluating expressions and templates in tests.

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "callcenterd/ivr/expression.hpp"

namespace callcenterd::ivr::test {

using vars = std::map<std::string, value, std::less<>>;

/// Looks names up in `bound` (which must outlive the context); now() is 2023-11-14 22:13:20 UTC.
inline evaluation_context context_of(const vars& bound) {
  evaluation_context context;
  context.lookup = [&bound](std::string_view name) {
    const auto it = bound.find(name);
    return it == bound.end() ? value() : it->second;
  };
  context.now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  return context;
}

}  // namespace callcenterd::ivr::test
