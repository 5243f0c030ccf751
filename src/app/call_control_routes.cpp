// Call control over HTTP (CTI): the agent on a call, or a supervisor or admin who reaches
// that agent, hangs it up, holds and resumes it, sends keys to the caller, pauses the
// recording and transfers the caller to an extension, an agent or a queue. Each command
// runs on the call's strand; the answer is the call as it is afterwards, or why it was
// refused (409 when the call is not in a state that allows it). Every command is audited.
#include "call_control_routes.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "agent_reach.hpp"
#include "crm_json.hpp"
#include "live_call_json.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

/// The longest key string one request may send.
constexpr std::size_t max_digits = 32;

struct control_access {
  audit_trail& audit;
  call::call_manager& calls;
  acd::acd_service& acd;
  call_control_targets targets;
};

using access_ptr = std::shared_ptr<control_access>;

/// Runs `command` on the call's strand; resumes on the request's executor with the result.
asio::awaitable<call::command_result> run_command(call::call_manager& calls, std::string id,
                                                  call::call_command command) {
  auto initiation = [&calls, id = std::move(id),
                     command = std::move(command)](auto handler) mutable {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    calls.command(id, std::move(command), [shared](call::command_result result) {
      auto executor = asio::get_associated_executor(*shared);
      asio::post(executor,
                 [shared, result = std::move(result)]() mutable { (*shared)(std::move(result)); });
    });
  };
  auto running = asio::async_initiate<decltype(asio::use_awaitable), void(call::command_result)>(
      std::move(initiation), asio::use_awaitable);
  auto result = co_await std::move(running);
  co_return result;
}

api::response refusal(const call::command_result& result) {
  using outcome = call::command_outcome;
  switch (result.outcome) {
    case outcome::done:
      break;
    case outcome::no_such_call:
      return api::error_response(http::status::not_found, "not_found", result.message);
    case outcome::wrong_state:
      return api::error_response(http::status::conflict, "wrong_state", result.message);
    case outcome::unavailable:
      return api::error_response(http::status::conflict, "unsupported", result.message);
    case outcome::unknown_target:
      return api::error_response(http::status::bad_request, "unknown_target", result.message);
    case outcome::target_offline:
      return api::error_response(http::status::conflict, "target_offline", result.message);
  }
  return api::error_response(http::status::internal_server_error, "internal", result.message);
}

/// Reads {digits}: 1 to 32 of 0-9, *, #, A-D.
std::optional<api::response> read_digits(const api::request_context& ctx, call::call_command& out) {
  json body;
  if (auto refused = read_json_object(ctx.body(), body)) return refused;
  const auto digits = body.find("digits");
  if (body.size() != 1 || digits == body.end() || !digits->is_string()) {
    return bad_request("expected {\"digits\": \"...\"}");
  }
  out.digits = digits->get<std::string>();
  const bool valid = !out.digits.empty() && out.digits.size() <= max_digits &&
                     out.digits.find_first_not_of("0123456789*#ABCDabcd") == std::string::npos;
  if (!valid) return bad_request("digits are 1 to 32 of 0-9, *, #, A-D");
  return std::nullopt;
}

/// Reads {extension | agent | queue: name}: exactly one.
std::optional<api::response> read_destination(const api::request_context& ctx,
                                              const call_control_targets& targets,
                                              call::call_command& out) {
  json body;
  if (auto refused = read_json_object(ctx.body(), body)) return refused;
  if (body.size() != 1 || !body.begin().value().is_string()) {
    return bad_request("expected one of {\"extension\": ...}, {\"agent\": ...}, {\"queue\": ...}");
  }
  const auto& field = body.begin().key();
  const auto name = body.begin().value().get<std::string>();
  using kind = call::transfer_destination::kind;
  if (field == "extension") {
    out.to = {kind::extension, name};
  } else if (field == "agent") {
    const auto agent = targets.agent_extensions.find(name);
    if (agent == targets.agent_extensions.end()) {
      return api::error_response(http::status::bad_request, "unknown_target", "no agent " + name);
    }
    out.to = {kind::extension, agent->second};
  } else if (field == "queue") {
    if (!targets.queues.contains(name)) {
      return api::error_response(http::status::bad_request, "unknown_target", "no queue " + name);
    }
    out.to = {kind::queue, name};
  } else {
    return bad_request("expected one of {\"extension\": ...}, {\"agent\": ...}, {\"queue\": ...}");
  }
  return std::nullopt;
}

using body_reader =
    std::function<std::optional<api::response>(const api::request_context&, call::call_command&)>;

void add_command(secured_routes& routes, const access_ptr& access, const std::string& suffix,
                 call::call_command::kind what, body_reader read) {
  routes.post(
      "/api/v1/calls/{call}/" + suffix, any_role,
      [access, what, read = std::move(read)](
          api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        const std::string id(ctx.path_param("call").value_or(""));
        const std::string action = "call." + std::string(call::to_string(what));
        call::call_command command;
        command.what = what;
        if (auto refused = read(ctx, command)) co_return std::move(*refused);
        const auto& board = access->calls.live_calls();
        const auto found = board.find(id);
        if (!found) {
          co_return api::error_response(http::status::not_found, "not_found",
                                        "no such call in progress");
        }
        auto reaching = reachable_agents(access->acd, who);
        const auto reachable = co_await std::move(reaching);
        // Only a call with an agent on it takes commands, from that agent or those over them.
        if (found->agent.empty() || !may_see(who, reachable, *found)) {
          api::response response = forbidden_response("this is not a call of yours");
          access->audit.answered(ctx, &who, action, id, response);
          co_return response;
        }
        json detail = json::object();
        if (what == call::call_command::kind::transfer) detail["to"] = command.to.name;
        auto running = run_command(access->calls, id, std::move(command));
        const auto result = co_await std::move(running);
        api::response response;
        if (result.outcome == call::command_outcome::done) {
          const auto now = board.find(id);
          response = api::json_response(http::status::ok,
                                        {{"call", now ? live_call_json(*now) : json(nullptr)}});
        } else {
          response = refusal(result);
        }
        access->audit.answered(ctx, &who, action, id, response, std::move(detail));
        co_return response;
      });
}

}  // namespace

void register_call_control_routes(secured_routes& routes, audit_trail& audit,
                                  call::call_manager& calls, acd::acd_service& acd,
                                  call_control_targets targets) {
  auto access =
      std::make_shared<control_access>(control_access{audit, calls, acd, std::move(targets)});
  using kind = call::call_command::kind;
  // These take no fields: whatever body comes is not read.
  const auto no_fields = [](const api::request_context&,
                            call::call_command&) -> std::optional<api::response> {
    return std::nullopt;
  };
  add_command(routes, access, "hangup", kind::hang_up, no_fields);
  add_command(routes, access, "hold", kind::hold, no_fields);
  add_command(routes, access, "resume", kind::resume, no_fields);
  add_command(routes, access, "recording/pause", kind::pause_recording, no_fields);
  add_command(routes, access, "recording/resume", kind::resume_recording, no_fields);
  add_command(routes, access, "dtmf", kind::send_dtmf, read_digits);
  add_command(routes, access, "transfer", kind::transfer,
              [access](const api::request_context& ctx, call::call_command& out) {
                return read_destination(ctx, access->targets, out);
              });
}

}  // namespace callcenterd::app
