// The API's reload: the configuration and flows read again, as on SIGHUP, answered with what
// happened so that an admin who edited a flow file sees its errors at once.
#include "reload_route.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

void register_reload_route(secured_routes& routes, audit_trail& audit, config_reloader& reloader,
                           const asio::any_io_executor& files) {
  routes.post(
      "/api/v1/flows/reload", admins_only,
      [&audit, &reloader, files](api::request_context& ctx,
                                 const principal& who) -> asio::awaitable<api::response> {
        auto reloading = asio::co_spawn(
            files, [&reloader]() -> asio::awaitable<reload_result> { co_return reloader.reload(); },
            asio::use_awaitable);
        const auto result = co_await std::move(reloading);
        json body{{"applied", result.applied},
                  {"flows_version", result.flows_version},
                  {"flows", result.flows}};
        api::response response;
        if (result.applied) {
          body["needs_restart"] = result.needs_restart;
          response = api::json_response(http::status::ok, body);
        } else {
          // 422: the request was fine, the files are not; what runs stays in force.
          json problems = json::array();
          for (const auto& error : result.errors) problems.push_back({{"message", error}});
          response = api::json_response(
              http::status::unprocessable_entity,
              {{"error",
                {{"code", "invalid_config"},
                 {"message",
                  "the files were refused; the running configuration and flows stay "
                  "in force"},
                 {"problems", std::move(problems)}}},
               {"applied", false},
               {"flows_version", result.flows_version},
               {"flows", result.flows}});
        }
        audit.answered(ctx, &who, "flows.reload", "", response,
                       {{"flows_version", result.flows_version}, {"errors", result.errors.size()}});
        co_return response;
      });
}

}  // namespace callcenterd::app
