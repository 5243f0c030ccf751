#pragma once

#include <string>

#include "callcenterd/call/call_manager.hpp"

namespace callcenterd::call::detail {

/// What a waiting caller is told of their place: "You are caller number 3. Your estimated
/// wait is about 2 minutes." / "您前面还有两位客户。预计等待约两分钟。" The wait is rounded up to
/// whole minutes (never promising less than it is), "less than a minute" under one; an unknown wait
/// is not mentioned. Empty when there is nothing to say. Pure.
std::string queue_announcement(const queue_place& place, const queue_treatment& treatment);

}  // namespace callcenterd::call::detail
