#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "auth_service.hpp"
#include "callcenterd/api/router.hpp"
#include "callcenterd/store/event_log.hpp"

namespace callcenterd::app {

/// Who did what through the API, for the audit log in PostgreSQL (`audit_log`). Each entry is
/// an "audit" event of the event log, so it is durable through a database outage (spooled,
/// replayed) and lands in the table exactly once (a trigger copies it). Never logs secrets:
/// callers pass what was done to what, not request bodies. Thread-safe: any strand.
class audit_trail {
 public:
  explicit audit_trail(store::event_log& events) : events_(events) {}

  /// `action` is a dotted name ("auth.login", "agent.state", "recording.download", ...);
  /// `target` what it was done to (an agent id, a call UUID, a customer id); `outcome`
  /// "ok" or the error code the client got; `detail` a small object of facts.
  void record(const api::request_context& ctx, const principal* who, std::string_view action,
              std::string_view target, std::string_view outcome,
              nlohmann::json detail = nlohmann::json::object());
  /// As record(), with the outcome read from the response the client gets: "ok" for a 2xx,
  /// else the error code of its body.
  void answered(const api::request_context& ctx, const principal* who, std::string_view action,
                std::string_view target, const api::response& response,
                nlohmann::json detail = nlohmann::json::object());
  /// As record(), for a signed-in user whose request succeeded.
  void done(const api::request_context& ctx, const principal& who, std::string_view action,
            std::string_view target, nlohmann::json detail = nlohmann::json::object()) {
    record(ctx, &who, action, target, "ok", std::move(detail));
  }

 private:
  store::event_log& events_;
};

}  // namespace callcenterd::app
