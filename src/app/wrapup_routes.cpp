// Wrap-up over HTTP: the site's disposition codes (everyone reads them, admins edit them) and
// what an agent says of a call: a code and notes, written through the event log so that a
// database outage loses none. Codes are checked in memory; whose call it was comes from the
// ACD while the agent is on it or wrapping it up, later from its record.
#include "wrapup_routes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "agent_reach.hpp"
#include "callcenterd/core/uuid.hpp"
#include "crm_json.hpp"
#include "query_reading.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

/// The longest notes a wrap-up keeps, in bytes.
constexpr std::size_t max_notes_bytes = 4000;
constexpr std::size_t max_label_bytes = 100;

struct wrapup_access {
  audit_trail& audit;
  store::db_pool& pool;
  store::event_log& events;
  acd::acd_service& acd;
  disposition_catalog& codes;
};

using access_ptr = std::shared_ptr<wrapup_access>;

json code_json(const disposition_code& code) {
  return {{"code", code.code}, {"label", code.label}, {"active", code.active}};
}

api::response codes_not_loaded() {
  return api::error_response(http::status::service_unavailable, "unavailable",
                             "the disposition codes are not loaded yet: PostgreSQL has not "
                             "answered since the start");
}

/// The agent whose call `id` is: the ACD's agent on it or wrapping it up, else the agent of
/// its record. Empty when neither knows the call; an error when the database failed.
asio::awaitable<std::pair<boost::system::error_code, std::string>> agent_of_call(
    const access_ptr& access, const std::string& id) {
  std::function<std::string(acd::engine&, acd::instant)> ask = [id](acd::engine& engine,
                                                                    acd::instant) {
    for (const auto& agent : engine.agents()) {
      if (agent.call == id) return agent.id;
    }
    return std::string();
  };
  auto asking = access->acd.ask<std::string>(std::move(ask));
  auto agent = co_await std::move(asking);
  if (!agent.empty()) co_return std::pair{boost::system::error_code{}, std::move(agent)};
  std::function<std::string(pqxx::connection&)> job = [id](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto rows =
        tx.exec_params("SELECT coalesce(agent, '') FROM call_records WHERE call_id = $1::uuid", id);
    return rows.empty() ? std::string() : rows[0][0].as<std::string>();
  };
  auto running =
      access->pool.async_run<std::string>(std::move(job), asio::as_tuple(asio::use_awaitable));
  auto [ec, recorded] = co_await std::move(running);
  co_return std::pair{ec, std::move(recorded)};
}

/// Reads {disposition: code | null, notes: text}, at least one of them.
std::optional<api::response> read_wrapup(const json& body, std::optional<std::string>& code,
                                         std::string& notes) {
  for (const auto& [key, value] : body.items()) {
    if (key != "disposition" && key != "notes") {
      return bad_request("unknown field " + key + "; expected disposition and notes");
    }
  }
  const auto disposition = body.find("disposition");
  const auto text = body.find("notes");
  if (disposition == body.end() && text == body.end()) {
    return bad_request("expected {\"disposition\": code or null, \"notes\": text}");
  }
  if (disposition != body.end() && !disposition->is_null()) {
    if (!disposition->is_string()) return bad_request("disposition is a code or null");
    code = disposition->get<std::string>();
  }
  if (text != body.end()) {
    if (!text->is_string()) return bad_request("notes is text");
    notes = text->get<std::string>();
    if (notes.size() > max_notes_bytes) return bad_request("notes take at most 4000 bytes");
  }
  return std::nullopt;
}

void register_code_routes(secured_routes& routes, const access_ptr& access) {
  routes.get("/api/v1/disposition-codes", any_role,
             [access](api::request_context&, const principal&) -> asio::awaitable<api::response> {
               if (!access->codes.loaded()) co_return codes_not_loaded();
               json list = json::array();
               for (const auto& code : access->codes.all()) list.push_back(code_json(code));
               co_return api::json_response(http::status::ok, {{"codes", std::move(list)}});
             });

  routes.post(
      "/api/v1/disposition-codes", admins_only,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        const auto code = body.find("code");
        const auto label = body.find("label");
        if (body.size() != 2 || code == body.end() || label == body.end() || !code->is_string() ||
            !label->is_string()) {
          co_return bad_request("expected {\"code\": \"...\", \"label\": \"...\"}");
        }
        disposition_code wanted{code->get<std::string>(), label->get<std::string>(), true};
        if (!is_disposition_code(wanted.code)) {
          co_return bad_request("a code is 1 to 32 of a-z, 0-9 and _");
        }
        if (wanted.label.empty() || wanted.label.size() > max_label_bytes) {
          co_return bad_request("a label is 1 to 100 bytes");
        }
        std::function<bool(pqxx::connection&)> job = [wanted](pqxx::connection& c) {
          pqxx::work tx(c);
          const auto rows = tx.exec_params(
              "INSERT INTO disposition_codes (code, label) VALUES ($1, $2) "
              "ON CONFLICT (code) DO NOTHING RETURNING code",
              wanted.code, wanted.label);
          tx.commit();
          return !rows.empty();
        };
        auto running =
            access->pool.async_run<bool>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, inserted] = co_await std::move(running);
        api::response response;
        if (ec) {
          response = database_failure(ec);
        } else if (!inserted) {
          response = api::error_response(http::status::conflict, "conflict",
                                         "the code " + wanted.code + " exists already");
        } else {
          access->codes.put(wanted);
          response = api::json_response(http::status::created, code_json(wanted));
        }
        access->audit.answered(ctx, &who, "disposition_code.create", wanted.code, response);
        co_return response;
      });

  routes.put(
      "/api/v1/disposition-codes/{code}", admins_only,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        std::optional<std::string> label;
        std::optional<bool> active;
        for (const auto& [key, value] : body.items()) {
          if (key == "label" && value.is_string()) {
            label = value.get<std::string>();
          } else if (key == "active" && value.is_boolean()) {
            active = value.get<bool>();
          } else {
            co_return bad_request("expected {\"label\": \"...\", \"active\": true|false}");
          }
        }
        if (label && (label->empty() || label->size() > max_label_bytes)) {
          co_return bad_request("a label is 1 to 100 bytes");
        }
        const std::string code(ctx.path_param("code").value_or(""));
        using found = std::optional<disposition_code>;
        std::function<found(pqxx::connection&)> job = [code, label,
                                                       active](pqxx::connection& c) -> found {
          pqxx::work tx(c);
          const auto rows = tx.exec_params(
              "UPDATE disposition_codes SET label = coalesce($2, label), "
              "active = coalesce($3, active), updated_at = now() WHERE code = $1 "
              "RETURNING code, label, active",
              code, label, active);
          tx.commit();
          if (rows.empty()) return std::nullopt;
          return disposition_code{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                                  rows[0][2].as<bool>()};
        };
        auto running =
            access->pool.async_run<found>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, updated] = co_await std::move(running);
        api::response response;
        if (ec) {
          response = database_failure(ec);
        } else if (!updated) {
          response = api::error_response(http::status::not_found, "not_found", "no such code");
        } else {
          access->codes.put(*updated);
          response = api::json_response(http::status::ok, code_json(*updated));
        }
        access->audit.answered(ctx, &who, "disposition_code.update", code, response,
                               {{"fields", field_names(body)}});
        co_return response;
      });
}

void register_wrapup_route(secured_routes& routes, const access_ptr& access) {
  routes.put(
      "/api/v1/calls/{call}/wrapup", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        std::optional<std::string> code;
        std::string notes;
        if (auto refused = read_wrapup(body, code, notes)) co_return std::move(*refused);
        const std::string id(ctx.path_param("call").value_or(""));
        const auto not_found = [] {
          return api::error_response(http::status::not_found, "not_found", "no such call");
        };
        if (!core::is_uuid(id)) co_return not_found();
        if (code) {
          if (!access->codes.loaded()) co_return codes_not_loaded();
          const auto known = access->codes.find(*code);
          if (!known || !known->active) {
            api::response response = api::error_response(
                http::status::bad_request, "unknown_disposition",
                "no disposition code " + *code + " in use; GET /api/v1/disposition-codes");
            access->audit.answered(ctx, &who, "call.wrapup", id, response);
            co_return response;
          }
        }
        auto finding = agent_of_call(access, id);
        auto [ec, agent] = co_await std::move(finding);
        if (ec) co_return database_failure(ec);
        auto reaching = reachable_agents(access->acd, who);
        const auto reachable = co_await std::move(reaching);
        const bool mine = !agent.empty() &&
                          (!reachable || std::find(reachable->begin(), reachable->end(), agent) !=
                                             reachable->end());
        // A call the user may not reach answers as if it did not exist.
        if (!mine) co_return not_found();
        json wrapup{{"agent", agent},
                    {"disposition", code ? json(*code) : json(nullptr)},
                    {"notes", notes},
                    {"by", who.login}};
        access->events.append(store::make_event("call.wrapup", id, wrapup));
        wrapup["call"] = id;
        wrapup.erase("by");
        api::response response = api::json_response(http::status::ok, wrapup);
        access->audit.answered(ctx, &who, "call.wrapup", id, response,
                               {{"disposition", wrapup["disposition"]}});
        co_return response;
      });
}

}  // namespace

void register_wrapup_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                            store::event_log& events, acd::acd_service& acd,
                            disposition_catalog& codes) {
  auto access = std::make_shared<wrapup_access>(wrapup_access{audit, pool, events, acd, codes});
  register_code_routes(routes, access);
  register_wrapup_route(routes, access);
}

}  // namespace callcenterd::app
