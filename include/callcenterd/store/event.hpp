#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace callcenterd::store {

/// One durable fact for the event log ("daemon.started", "call.enqueued", ...). A plain
/// value: build it on any thread and hand it to event_log::append.
struct event {
  using time_point = std::chrono::sys_time<std::chrono::microseconds>;

  std::string id;              ///< canonical UUID text; unique across nodes
  time_point occurred_at{};    ///< when it happened, UTC, microsecond resolution
  std::string kind;            ///< dotted name, e.g. "call.enqueued"
  std::string correlation_id;  ///< call or request id it belongs to; may be empty
  std::string node;            ///< node that produced it; the log fills in its own if empty
  nlohmann::json payload = nlohmann::json::object();
};

/// An event with a fresh UUID and the current time. Thread-safe; any thread.
event make_event(std::string kind, std::string correlation_id,
                 nlohmann::json payload = nlohmann::json::object());

}  // namespace callcenterd::store
