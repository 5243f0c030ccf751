#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "callcenterd/call/call_manager.hpp"

namespace callcenterd::call::detail {

/// What a waiting caller is told of their place: "You are caller number 3. Your estimated
/// wait is about 2 minutes." / "您前面还有两位客户。预计等待约两分钟。" The wait is rounded up to
/// whole minutes (never promising less than it is), "less than a minute" under one; an unknown wait
/// is not mentioned. Empty when there is nothing to say. Pure.
std::string queue_announcement(const queue_place& place, const queue_treatment& treatment);

/// `text` with each `{name}` replaced by `value_of(name)` (empty for what it does not know):
/// a queue's whisper and agent announcement for one call. Pure.
std::string fill_fields(std::string_view text,
                        const std::function<std::string(std::string_view name)>& value_of);

/// The language a configured line is said in: Mandarin when it has characters beyond ASCII,
/// else English.
media::speech_language spoken_language_of(std::string_view text);

}  // namespace callcenterd::call::detail
