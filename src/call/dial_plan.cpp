#include "callcenterd/call/dial_plan.hpp"

#include <algorithm>

namespace callcenterd::call {

dial_plan::dial_plan(std::vector<number_route> numbers, extension_lookup is_extension,
                     std::vector<prefix_route> prefixes)
    : is_extension_(std::move(is_extension)), prefixes_(std::move(prefixes)) {
  for (auto& route : numbers) numbers_.emplace(std::move(route.number), std::move(route.target));
  std::stable_sort(prefixes_.begin(), prefixes_.end(),
                   [](const auto& a, const auto& b) { return a.prefix.size() > b.prefix.size(); });
}

call_target dial_plan::route(std::string_view dialled, bool from_trunk) const {
  if (const auto found = numbers_.find(std::string(dialled)); found != numbers_.end()) {
    return found->second;
  }
  if (!dialled.empty() && is_extension_ && is_extension_(dialled)) {
    return {.what = call_target::kind::extension, .name = std::string(dialled)};
  }
  if (!from_trunk) {
    for (const auto& route : prefixes_) {
      if (dialled.size() > route.prefix.size() && dialled.starts_with(route.prefix)) {
        return {
            .what = call_target::kind::trunk, .name = route.trunk, .number = std::string(dialled)};
      }
    }
  }
  return {.what = call_target::kind::reject, .status = 404, .reason = "Not Found"};
}

}  // namespace callcenterd::call
