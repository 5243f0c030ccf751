#pragma once

#include "callcenterd/config/settings.hpp"

namespace callcenterd::app {

/// `callcenterd --config PATH --migrate`: applies pending migrations and returns the exit
/// status (0 applied or nothing to do, 1 on any failure, with the reason logged).
int run_migrations(const config::daemon_settings& settings);

/// Runs the daemon until SIGTERM/SIGINT and a drained stop; returns the exit status.
int run_daemon(config::daemon_settings settings);

}  // namespace callcenterd::app
