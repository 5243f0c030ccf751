// Calls in progress over HTTP, read from the live call board in memory (never PostgreSQL):
// an agent sees the calls ringing or talking to them, a supervisor those of their teams'
// agents and every call not with an agent yet (in a flow or a queue), an admin all.
#include <nlohmann/json.hpp>

#include "agent_reach.hpp"
#include "api_routes.hpp"
#include "live_call_json.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

void register_call_routes(secured_routes& routes, const call::live_call_board& board,
                          acd::acd_service& acd) {
  routes.get("/api/v1/calls", any_role,
             [&board, &acd](api::request_context&,
                            const principal& who) -> asio::awaitable<api::response> {
               auto reaching = reachable_agents(acd, who);
               const auto reachable = co_await std::move(reaching);
               json list = json::array();
               for (const auto& c : board.all()) {
                 if (may_see(who, reachable, c)) list.push_back(live_call_json(c));
               }
               co_return api::json_response(http::status::ok, {{"calls", std::move(list)}});
             });

  routes.get("/api/v1/calls/{call}", any_role,
             [&board, &acd](api::request_context& ctx,
                            const principal& who) -> asio::awaitable<api::response> {
               const auto found = board.find(std::string(ctx.path_param("call").value_or("")));
               if (!found) {
                 co_return api::error_response(http::status::not_found, "not_found",
                                               "no such call in progress");
               }
               auto reaching = reachable_agents(acd, who);
               const auto reachable = co_await std::move(reaching);
               if (!may_see(who, reachable, *found)) {
                 co_return forbidden_response("you may not see this call");
               }
               co_return api::json_response(http::status::ok, live_call_json(*found));
             });
}

}  // namespace callcenterd::app
