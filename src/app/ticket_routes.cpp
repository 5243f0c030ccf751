// Tickets over HTTP: lists with filters, one ticket with its comments and history, create,
// change (the workflow refuses some status moves: 409), comment. Queries run on the database
// pool. An agent reaches the tickets assigned to or created by them, a supervisor also those
// of their teams and their teams' agents, an admin all; a ticket the user may not reach
// answers 404, as if it did not exist.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <pqxx/pqxx>

#include "agent_reach.hpp"
#include "callcenterd/core/uuid.hpp"
#include "crm_jobs.hpp"
#include "crm_json.hpp"
#include "crm_routes.hpp"
#include "query_reading.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

struct ticket_access {
  audit_trail& audit;
  store::db_pool& pool;
  acd::acd_service& acd;
};

using access_ptr = std::shared_ptr<ticket_access>;

asio::awaitable<crm::ticket_visibility> visibility_of(acd::acd_service& acd, const principal& who) {
  std::vector<std::string> reachable;
  // Only a supervisor's view depends on the agents they reach.
  if (who.role == user_role::supervisor) {
    auto reaching = reachable_agents(acd, who);
    auto ids = co_await std::move(reaching);
    if (ids) reachable = std::move(*ids);
  }
  co_return ticket_visibility_for(who, std::move(reachable));
}

api::response no_such_ticket() {
  return api::error_response(http::status::not_found, "not_found", "no such ticket");
}

/// Reads the filters of GET /api/v1/tickets; the 400 to send on a bad one.
std::optional<api::response> read_ticket_filter(const api::request_context& ctx,
                                                crm::ticket_filter& f) {
  page range;
  std::optional<std::string> statuses;
  std::optional<std::string> q;
  std::optional<std::chrono::system_clock::time_point> due_before;
  for (auto refused :
       {read_page(ctx, range), read_text(ctx, "status", statuses, 100),
        read_text(ctx, "assignee", f.assignee, 64), read_text(ctx, "team", f.team, 64),
        read_text(ctx, "customer", f.customer_id, 36), read_text(ctx, "q", q),
        read_time(ctx, "due_before", due_before)}) {
    if (refused) return refused;
  }
  if (statuses) {
    auto parsed = read_status_list(*statuses);
    if (!parsed) {
      return bad_query(
          "status takes a comma-separated list of new, open, pending, resolved "
          "and closed");
    }
    f.statuses = std::move(*parsed);
  }
  if (f.customer_id && !core::is_uuid(*f.customer_id)) {
    return bad_query("customer must be a UUID");
  }
  f.q = q.value_or("");
  f.due_before = due_before;
  f.limit = static_cast<std::size_t>(range.limit);
  f.offset = static_cast<std::size_t>(range.offset);
  return std::nullopt;
}

void register_reads(secured_routes& routes, const access_ptr& access) {
  routes.get(
      "/api/v1/tickets", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        crm::ticket_filter filter;
        if (auto refused = read_ticket_filter(ctx, filter)) co_return std::move(*refused);
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        std::function<crm::crm_result<crm::ticket_page>(pqxx::connection&)> job =
            [filter, visibility = std::move(visibility)](pqxx::connection& c) {
              return crm::blocking_search_tickets(c, filter, visibility);
            };
        auto running = run_crm<crm::ticket_page>(access->pool, std::move(job));
        auto found = co_await std::move(running);
        if (!found) co_return std::move(found.refusal);
        json list = json::array();
        for (const auto& t : found->items) list.push_back(ticket_json(t, false));
        co_return api::json_response(http::status::ok,
                                     {{"tickets", std::move(list)}, {"total", found->total}});
      });

  routes.get(
      "/api/v1/tickets/{id}", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        const auto id = read_record_number(ctx.path_param("id").value_or(""));
        if (!id) co_return no_such_ticket();
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        std::function<crm::crm_result<crm::ticket>(pqxx::connection&)> job =
            [id = *id, visibility = std::move(visibility)](pqxx::connection& c) {
              return crm::blocking_get_ticket(c, id, visibility);
            };
        auto running = run_crm<crm::ticket>(access->pool, std::move(job));
        auto found = co_await std::move(running);
        if (!found) co_return std::move(found.refusal);
        co_return api::json_response(http::status::ok, ticket_json(*found, true));
      });
}

void register_writes(secured_routes& routes, const access_ptr& access) {
  routes.post(
      "/api/v1/tickets", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        crm::ticket_input input;
        if (auto refused = read_ticket_input(body, true, input)) co_return std::move(*refused);
        std::function<crm::crm_result<crm::ticket>(pqxx::connection&)> job =
            [input, actor = who.login](pqxx::connection& c) {
              return crm::blocking_create_ticket(c, input, actor);
            };
        auto running = run_crm<crm::ticket>(access->pool, std::move(job));
        auto created = co_await std::move(running);
        api::response response = std::move(created.refusal);
        std::string target;
        if (created) {
          target = std::to_string(created->id);
          response = api::json_response(http::status::created, ticket_json(*created, true));
          response.set(http::field::location, "/api/v1/tickets/" + target);
        }
        access->audit.answered(ctx, &who, "ticket.create", target, response);
        co_return response;
      });

  routes.patch(
      "/api/v1/tickets/{id}", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        crm::ticket_input changes;
        if (auto refused = read_ticket_input(body, false, changes)) co_return std::move(*refused);
        const auto id = read_record_number(ctx.path_param("id").value_or(""));
        if (!id) co_return no_such_ticket();
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        std::function<crm::crm_result<crm::ticket>(pqxx::connection&)> job =
            [id = *id, changes, actor = who.login,
             visibility = std::move(visibility)](pqxx::connection& c) {
              return crm::blocking_update_ticket(c, id, changes, actor, visibility);
            };
        auto running = run_crm<crm::ticket>(access->pool, std::move(job));
        auto updated = co_await std::move(running);
        api::response response = std::move(updated.refusal);
        if (updated) {
          response = api::json_response(http::status::ok, ticket_json(*updated, true));
        }
        json detail = {{"fields", field_names(body)}};
        if (const auto status = body.find("status"); status != body.end()) {
          detail["status"] = *status;
        }
        access->audit.answered(ctx, &who, "ticket.update", std::to_string(*id), response,
                               std::move(detail));
        co_return response;
      });

  routes.post(
      "/api/v1/tickets/{id}/comments", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        const auto text = body.find("body");
        if (body.size() != 1 || text == body.end() || !text->is_string()) {
          co_return bad_request("expected {\"body\": \"...\"}");
        }
        const auto id = read_record_number(ctx.path_param("id").value_or(""));
        if (!id) co_return no_such_ticket();
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        std::function<crm::crm_result<crm::ticket_comment>(pqxx::connection&)> job =
            [id = *id, comment = text->get<std::string>(), actor = who.login,
             visibility = std::move(visibility)](pqxx::connection& c) {
              return crm::blocking_add_ticket_comment(c, id, comment, actor, visibility);
            };
        auto running = run_crm<crm::ticket_comment>(access->pool, std::move(job));
        auto added = co_await std::move(running);
        api::response response = std::move(added.refusal);
        if (added) {
          response = api::json_response(http::status::created, comment_json(*added));
        }
        access->audit.answered(ctx, &who, "ticket.comment", std::to_string(*id), response);
        co_return response;
      });
}

}  // namespace

void register_ticket_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                            acd::acd_service& acd) {
  auto access = std::make_shared<ticket_access>(ticket_access{audit, pool, acd});
  register_reads(routes, access);
  register_writes(routes, access);
}

}  // namespace callcenterd::app
