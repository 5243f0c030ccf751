#pragma once

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace callcenterd::core {

enum class log_format { text, json };

/// Installs the process-wide logger: stderr (journald captures it under systemd), one line per
/// record, as human-readable text or as JSON lines. Call once at start-up before threads run;
/// later calls replace the logger (used by reload to switch the format).
void setup_logging(log_format format, spdlog::level::level_enum level);

/// Changes the level of the installed logger. Callable from any thread.
void set_log_level(spdlog::level::level_enum level);

/// "trace", "debug", "info", "warn", "error", "critical", "off"; nullopt for anything else.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name);

/// Sets the correlation id that records written by this thread carry until the guard ends.
/// Only for synchronous sections: a coroutine must not hold one across a suspension point
/// (it may resume on another thread). Prefer log_for() below.
class correlation_guard {
 public:
  explicit correlation_guard(std::string_view id);
  ~correlation_guard();
  correlation_guard(const correlation_guard&) = delete;
  correlation_guard& operator=(const correlation_guard&) = delete;

 private:
  std::string previous_;
};

/// The correlation id of the calling thread's current guard, empty when none.
std::string_view current_correlation_id();

/// Logs one record tagged with a call's or request's correlation id: text lines show it in
/// brackets, JSON lines as the "correlation_id" field. Callable from any thread or strand.
template <class... Args>
void log_for(std::string_view correlation_id, spdlog::level::level_enum level,
             spdlog::format_string_t<Args...> format, Args&&... args) {
  correlation_guard guard(correlation_id);
  spdlog::log(level, format, std::forward<Args>(args)...);
}

}  // namespace callcenterd::core
