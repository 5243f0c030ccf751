// Login and logout over HTTP: JSON in, a session token out; every failure a JSON error.
#include <nlohmann/json.hpp>

#include "api_routes.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

api::response login_answer(const auth_service::login_result& result) {
  using kind = auth_service::login_result::kind;
  switch (result.what) {
    case kind::signed_in:
      return api::json_response(http::status::ok,
                                {{"token", result.token},
                                 {"user",
                                  {{"login", result.who.login},
                                   {"role", std::string(to_string(result.who.role))},
                                   {"name", result.who.name}}},
                                 {"expires_at", iso_utc(result.expires_at)}});
    case kind::bad_credentials:
      return api::error_response(http::status::unauthorized, "bad_credentials",
                                 "wrong user name or password");
    case kind::throttled: {
      auto response = api::error_response(http::status::too_many_requests, "throttled",
                                          "too many failed logins; try again in a few minutes");
      response.set(http::field::retry_after, "300");
      return response;
    }
    case kind::unavailable:
      break;
  }
  return api::error_response(http::status::service_unavailable, "unavailable",
                             "the database cannot be reached");
}

}  // namespace

void register_auth_routes(secured_routes& routes, audit_trail& audit) {
  auto& auth = routes.auth();
  routes.open(
      http::verb::post, "/api/v1/auth/login",
      [&auth, &audit](api::request_context& ctx) -> asio::awaitable<api::response> {
        const auto body = nlohmann::json::parse(ctx.body(), nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("username") ||
            !body.contains("password") || !body["username"].is_string() ||
            !body["password"].is_string()) {
          co_return api::error_response(http::status::bad_request, "bad_request",
                                        "expected {\"username\": \"...\", \"password\": \"...\"}");
        }
        auto username = body["username"].get<std::string>();
        auto password = body["password"].get<std::string>();
        if (username.empty() || username.size() > 64 || password.size() > 1024) {
          co_return api::error_response(
              http::status::bad_request, "bad_request",
              "username must be 1 to 64 characters, password at most 1024");
        }
        // Made, then awaited: GCC 12 mishandles temporaries in a full expression that co_awaits.
        auto signing_in = auth.login(username, std::move(password), ctx.client_address);
        const auto result = co_await std::move(signing_in);
        auto response = login_answer(result);
        // The name tried is kept even when unknown (attempts on made-up names are what an
        // audit is for); the password never is.
        audit.answered(
            ctx, result.what == auth_service::login_result::kind::signed_in ? &result.who : nullptr,
            "auth.login", username, response);
        co_return response;
      });

  routes.post("/api/v1/auth/logout", any_role,
              [&auth, &audit](api::request_context& ctx,
                              const principal& who) -> asio::awaitable<api::response> {
                auto ending = auth.logout(std::string(ctx.header("Authorization")));
                const bool ended = co_await std::move(ending);
                if (!ended) {
                  co_return api::error_response(http::status::unauthorized, "unauthorized",
                                                "no valid session");
                }
                audit.done(ctx, who, "auth.logout", who.login);
                api::response response{http::status::no_content, 11};
                co_return response;
              });
}

}  // namespace callcenterd::app
