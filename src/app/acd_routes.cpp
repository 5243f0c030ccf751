// Agents and queues over HTTP: who may see and steer which agent, the JSON of the live views
// (KPIS.md's names), and the ACD's refusals as HTTP statuses. Every read and change runs on the
// ACD's strand; nothing here touches PostgreSQL.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "acd_json.hpp"
#include "agent_change.hpp"
#include "agent_reach.hpp"
#include "api_routes.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

void register_acd_routes(secured_routes& routes, audit_trail& audit, acd::acd_service& acd) {
  routes.get("/api/v1/agents", any_role,
             [&acd](api::request_context& /*ctx*/,
                    const principal& who) -> asio::awaitable<api::response> {
               std::function<std::vector<acd::agent_view>(acd::engine&, acd::instant)> job =
                   [](acd::engine& engine, acd::instant) { return engine.agents(); };
               auto asked = acd.ask<std::vector<acd::agent_view>>(std::move(job));
               const auto agents = co_await std::move(asked);
               json list = json::array();
               for (const auto& a : agents) {
                 if (may_reach(who, a)) list.push_back(agent_json(a));
               }
               co_return api::json_response(http::status::ok, {{"agents", std::move(list)}});
             });

  routes.get(
      "/api/v1/agents/{agent}", any_role,
      [&acd](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        const auto id = std::string(ctx.path_param("agent").value_or(""));
        std::function<std::optional<acd::agent_view>(acd::engine&, acd::instant)> job =
            [id](acd::engine& engine, acd::instant) { return engine.agent(id); };
        auto asked = acd.ask<std::optional<acd::agent_view>>(std::move(job));
        const auto agent = co_await std::move(asked);
        if (!agent)
          co_return api::error_response(http::status::not_found, "not_found", "no such agent");
        if (!may_reach(who, *agent)) {
          co_return api::error_response(http::status::forbidden, "forbidden",
                                        "you may not see this agent");
        }
        co_return api::json_response(http::status::ok, agent_json(*agent));
      });

  routes.post(
      "/api/v1/agents/{agent}/state", any_role,
      [&acd, &audit](api::request_context& ctx,
                     const principal& who) -> asio::awaitable<api::response> {
        const auto body = json::parse(ctx.body(), nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("state") ||
            !body["state"].is_string() ||
            (body.contains("reason") && !body["reason"].is_string() && !body["reason"].is_null())) {
          co_return api::error_response(http::status::bad_request, "bad_request",
                                        "expected {\"state\": \"ready\" | \"not_ready\" | "
                                        "\"logged_out\", \"reason\": \"...\"}");
        }
        const auto state = body["state"].get<std::string>();
        const auto reason = body.contains("reason") && body["reason"].is_string()
                                ? body["reason"].get<std::string>()
                                : std::string();
        std::function<boost::system::result<void>(acd::engine&, acd::instant)> change;
        const auto id = std::string(ctx.path_param("agent").value_or(""));
        if (state == "ready") {
          change = [id](acd::engine& e, acd::instant now) { return e.set_ready(id, now); };
        } else if (state == "logged_out") {
          change = [id](acd::engine& e, acd::instant now) { return e.log_out(id, now); };
        } else if (state == "not_ready") {
          if (reason.empty()) {
            co_return api::error_response(http::status::bad_request, "bad_reason",
                                          "not_ready needs a reason");
          }
          change = [id, reason](acd::engine& e, acd::instant now) {
            return e.set_not_ready(id, reason, now);
          };
        } else {
          co_return api::error_response(http::status::bad_request, "bad_state",
                                        "state must be ready, not_ready or logged_out");
        }
        auto changing = change_agent(acd, who, id, std::move(change));
        auto response = co_await std::move(changing);
        audit.answered(ctx, &who, "agent.state", id, response,
                       {{"state", state}, {"reason", reason}});
        co_return response;
      });

  routes.post("/api/v1/agents/{agent}/wrapup/end", any_role,
              [&acd, &audit](api::request_context& ctx,
                             const principal& who) -> asio::awaitable<api::response> {
                const auto id = std::string(ctx.path_param("agent").value_or(""));
                std::function<boost::system::result<void>(acd::engine&, acd::instant)> change =
                    [id](acd::engine& e, acd::instant now) { return e.end_wrap_up(id, now); };
                auto changing = change_agent(acd, who, id, std::move(change));
                auto response = co_await std::move(changing);
                audit.answered(ctx, &who, "agent.wrapup_end", id, response);
                co_return response;
              });

  routes.get("/api/v1/queues", any_role,
             [&acd](api::request_context& /*ctx*/,
                    const principal& /*who*/) -> asio::awaitable<api::response> {
               std::function<std::vector<acd::queue_view>(acd::engine&, acd::instant)> job =
                   [](acd::engine& engine, acd::instant now) { return engine.queues(now); };
               auto asked = acd.ask<std::vector<acd::queue_view>>(std::move(job));
               const auto queues = co_await std::move(asked);
               json list = json::array();
               for (const auto& q : queues) list.push_back(queue_json(q));
               co_return api::json_response(http::status::ok, {{"queues", std::move(list)}});
             });

  routes.get(
      "/api/v1/queues/{queue}/calls", any_role,
      [&acd](api::request_context& ctx,
             const principal& /*who*/) -> asio::awaitable<api::response> {
        const auto name = std::string(ctx.path_param("queue").value_or(""));
        using answer = std::optional<std::vector<acd::waiting_call_view>>;
        std::function<answer(acd::engine&, acd::instant)> job = [name](acd::engine& engine,
                                                                       acd::instant now) -> answer {
          if (!engine.queue(name, now)) return std::nullopt;
          return engine.waiting_calls(name, now);
        };
        auto asked = acd.ask<answer>(std::move(job));
        const auto calls = co_await std::move(asked);
        if (!calls) {
          co_return api::error_response(http::status::not_found, "not_found", "no such queue");
        }
        json list = json::array();
        for (const auto& c : *calls) list.push_back(waiting_json(c));
        co_return api::json_response(http::status::ok, {{"calls", std::move(list)}});
      });

  routes.post("/api/v1/calls/{call}/priority", supervisors_and_admins,
              [&acd, &audit](api::request_context& ctx,
                             const principal& who) -> asio::awaitable<api::response> {
                const auto body = json::parse(ctx.body(), nullptr, false);
                if (body.is_discarded() || !body.is_object() || !body.contains("priority") ||
                    !body["priority"].is_number_integer()) {
                  co_return api::error_response(http::status::bad_request, "bad_request",
                                                "expected {\"priority\": 0..100}");
                }
                const auto priority = body["priority"].get<std::int64_t>();
                if (priority < 0 || priority > acd::engine::max_priority) {
                  co_return api::error_response(http::status::bad_request, "bad_priority",
                                                "priority must be 0 to 100");
                }
                const auto id = std::string(ctx.path_param("call").value_or(""));
                using answer = std::optional<acd::waiting_call_view>;
                std::function<answer(acd::engine&, acd::instant)> job =
                    [id, priority](acd::engine& engine, acd::instant now) -> answer {
                  if (!engine.set_priority(id, static_cast<int>(priority), now)) {
                    return std::nullopt;
                  }
                  return engine.waiting_call(id, now);
                };
                auto asked = acd.ask<answer>(std::move(job));
                const auto changed = co_await std::move(asked);
                auto response = changed
                                    ? api::json_response(http::status::ok, waiting_json(*changed))
                                    : api::error_response(http::status::not_found, "not_found",
                                                          "no such call waiting in a queue");
                audit.answered(ctx, &who, "call.priority", id, response, {{"priority", priority}});
                co_return response;
              });

  routes.get(
      "/api/v1/queues/{queue}", any_role,
      [&acd](api::request_context& ctx,
             const principal& /*who*/) -> asio::awaitable<api::response> {
        const auto name = std::string(ctx.path_param("queue").value_or(""));
        std::function<std::optional<acd::queue_view>(acd::engine&, acd::instant)> job =
            [name](acd::engine& engine, acd::instant now) { return engine.queue(name, now); };
        auto asked = acd.ask<std::optional<acd::queue_view>>(std::move(job));
        const auto queue = co_await std::move(asked);
        if (!queue)
          co_return api::error_response(http::status::not_found, "not_found", "no such queue");
        co_return api::json_response(http::status::ok, queue_json(*queue));
      });
}

}  // namespace callcenterd::app
