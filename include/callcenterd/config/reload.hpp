#pragma once

#include <string>
#include <vector>

#include "callcenterd/config/settings.hpp"

namespace callcenterd::config {

/// Dotted names of the keys whose values differ between `running` and `next` but that a
/// reload cannot apply (today everything except log.level and log.format), in file order,
/// e.g. {"http.port", "database.password"}. Names only: values, secrets above all, are not
/// part of the answer. Empty means `next` can be applied in full. A pure function: any thread.
std::vector<std::string> restart_required_changes(const daemon_settings& running,
                                                  const daemon_settings& next);

}  // namespace callcenterd::config
