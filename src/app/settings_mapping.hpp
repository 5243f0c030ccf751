#pragma once

#include <spdlog/common.h>

#include <string>

#include "auth_service.hpp"
#include "callcenterd/acd/model.hpp"
#include "callcenterd/api/http_server.hpp"
#include "callcenterd/call/call_manager.hpp"
#include "callcenterd/config/settings.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "callcenterd/store/event_log.hpp"

namespace callcenterd::app {

// The composition root's one job besides wiring: copy the configuration into the settings
// structs of the components, which know nothing of the YAML file.

store::db_pool_settings to_pool_settings(const config::database_settings& database);
store::event_log_settings to_event_log_settings(const config::event_log_settings& log,
                                                const std::string& node);
api::http_server_settings to_http_settings(const config::http_settings& http);
auth_settings auth_settings_of(const config::session_settings& sessions);
spdlog::level::level_enum to_spdlog_level(config::log_level level);
/// A queue's callback as its callers meet it.
call::callback_treatment callback_treatment_of(const acd::callback_settings& callback);

/// service.node_name, or the host name when it is empty.
std::string node_name(const config::service_settings& service);

/// service.threads, or the number of cores when it is 0.
unsigned thread_count(const config::service_settings& service);

}  // namespace callcenterd::app
