#include "callcenterd/call/dial_plan.hpp"

namespace callcenterd::call {

dial_plan::dial_plan(std::vector<number_route> numbers, extension_lookup is_extension)
    : is_extension_(std::move(is_extension)) {
  for (auto& route : numbers) numbers_.emplace(std::move(route.number), std::move(route.target));
}

call_target dial_plan::route(std::string_view dialled) const {
  if (const auto found = numbers_.find(std::string(dialled)); found != numbers_.end()) {
    return found->second;
  }
  if (!dialled.empty() && is_extension_ && is_extension_(dialled)) {
    return {call_target::kind::extension, std::string(dialled), 0, {}};
  }
  return {call_target::kind::reject, {}, 404, "Not Found"};
}

}  // namespace callcenterd::call
