// Audit entries as events: the event log makes them durable, sql/0012_audit.sql files them.
#include "audit_trail.hpp"

namespace callcenterd::app {

void audit_trail::record(const api::request_context& ctx, const principal* who,
                         std::string_view action, std::string_view target, std::string_view outcome,
                         nlohmann::json detail) {
  nlohmann::json payload{{"action", action},
                         {"target", target},
                         {"outcome", outcome},
                         {"source", ctx.client_address},
                         {"request_id", ctx.request_id},
                         {"detail", std::move(detail)}};
  if (who != nullptr) {
    payload["user"] = who->login;
    payload["user_id"] = who->user_id;
    payload["role"] = to_string(who->role);
  }
  events_.append(store::make_event("audit", ctx.request_id, std::move(payload)));
}

void audit_trail::answered(const api::request_context& ctx, const principal* who,
                           std::string_view action, std::string_view target,
                           const api::response& response, nlohmann::json detail) {
  const auto status = response.result_int();
  if (status >= 200 && status < 300) {
    record(ctx, who, action, target, "ok", std::move(detail));
    return;
  }
  const auto body = nlohmann::json::parse(response.body(), nullptr, false);
  const auto* code = body.is_object() && body.contains("error") && body["error"].is_object() &&
                             body["error"].contains("code") && body["error"]["code"].is_string()
                         ? body["error"]["code"].get_ptr<const std::string*>()
                         : nullptr;
  record(ctx, who, action, target, code != nullptr ? *code : std::to_string(status),
         std::move(detail));
}

}  // namespace callcenterd::app
