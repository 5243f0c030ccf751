// The knowledge base over HTTP: every signed-in user searches and reads the articles (in
// Chinese or English, best match first), supervisors and admins write them. Queries run on
// the database pool; each write is audited.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <pqxx/pqxx>

#include "crm_jobs.hpp"
#include "crm_json.hpp"
#include "crm_routes.hpp"
#include "query_reading.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

struct kb_access {
  audit_trail& audit;
  store::db_pool& pool;
};

using access_ptr = std::shared_ptr<kb_access>;

api::response no_such_article() {
  return api::error_response(http::status::not_found, "not_found", "no such article");
}

void register_reads(secured_routes& routes, const access_ptr& access) {
  routes.get(
      "/api/v1/kb", any_role,
      [access](api::request_context& ctx, const principal&) -> asio::awaitable<api::response> {
        crm::kb_query query;
        std::int64_t limit = 0;
        std::optional<std::string> q;
        std::optional<std::string> category;
        for (auto refused : {read_limit(ctx, limit, 20, 100), read_text(ctx, "q", q),
                             read_text(ctx, "category", category, 64)}) {
          if (refused) co_return std::move(*refused);
        }
        query.q = q.value_or("");
        query.category = category.value_or("");
        query.limit = static_cast<std::size_t>(limit);
        std::function<crm::crm_result<std::vector<crm::kb_hit>>(pqxx::connection&)> job =
            [query](pqxx::connection& c) { return crm::blocking_search_kb(c, query); };
        auto running = run_crm<std::vector<crm::kb_hit>>(access->pool, std::move(job));
        auto found = co_await std::move(running);
        if (!found) co_return std::move(found.refusal);
        json list = json::array();
        for (const auto& hit : *found) list.push_back(kb_hit_json(hit));
        co_return api::json_response(http::status::ok, {{"articles", std::move(list)}});
      });

  routes.get("/api/v1/kb/categories", any_role,
             [access](api::request_context&, const principal&) -> asio::awaitable<api::response> {
               std::function<std::vector<crm::kb_category>(pqxx::connection&)> job =
                   [](pqxx::connection& c) { return crm::blocking_kb_categories(c); };
               auto running = access->pool.async_run<std::vector<crm::kb_category>>(
                   std::move(job), asio::as_tuple(asio::use_awaitable));
               auto [ec, found] = co_await std::move(running);
               if (ec) co_return database_failure(ec);
               json list = json::array();
               for (const auto& category : found) {
                 list.push_back({{"name", category.name}, {"articles", category.articles}});
               }
               co_return api::json_response(http::status::ok, {{"categories", std::move(list)}});
             });

  routes.get(
      "/api/v1/kb/{id}", any_role,
      [access](api::request_context& ctx, const principal&) -> asio::awaitable<api::response> {
        const auto id = read_record_number(ctx.path_param("id").value_or(""));
        if (!id) co_return no_such_article();
        std::function<crm::crm_result<crm::kb_article>(pqxx::connection&)> job =
            [id = *id](pqxx::connection& c) { return crm::blocking_get_kb_article(c, id); };
        auto running = run_crm<crm::kb_article>(access->pool, std::move(job));
        auto found = co_await std::move(running);
        if (!found) co_return std::move(found.refusal);
        co_return api::json_response(http::status::ok, kb_article_json(*found));
      });
}

void register_writes(secured_routes& routes, const access_ptr& access) {
  routes.post(
      "/api/v1/kb", supervisors_and_admins,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        crm::kb_input input;
        if (auto refused = read_kb_input(body, input)) co_return std::move(*refused);
        std::function<crm::crm_result<crm::kb_article>(pqxx::connection&)> job =
            [input, actor = who.login](pqxx::connection& c) {
              return crm::blocking_create_kb_article(c, input, actor);
            };
        auto running = run_crm<crm::kb_article>(access->pool, std::move(job));
        auto created = co_await std::move(running);
        api::response response = std::move(created.refusal);
        std::string target;
        if (created) {
          target = std::to_string(created->id);
          response = api::json_response(http::status::created, kb_article_json(*created));
          response.set(http::field::location, "/api/v1/kb/" + target);
        }
        access->audit.answered(ctx, &who, "kb.create", target, response);
        co_return response;
      });

  routes.put(
      "/api/v1/kb/{id}", supervisors_and_admins,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        crm::kb_input input;
        if (auto refused = read_kb_input(body, input)) co_return std::move(*refused);
        const auto id = read_record_number(ctx.path_param("id").value_or(""));
        if (!id) co_return no_such_article();
        std::function<crm::crm_result<crm::kb_article>(pqxx::connection&)> job =
            [id = *id, input](pqxx::connection& c) {
              return crm::blocking_update_kb_article(c, id, input);
            };
        auto running = run_crm<crm::kb_article>(access->pool, std::move(job));
        auto updated = co_await std::move(running);
        api::response response = std::move(updated.refusal);
        if (updated) {
          response = api::json_response(http::status::ok, kb_article_json(*updated));
        }
        access->audit.answered(ctx, &who, "kb.update", std::to_string(*id), response,
                               {{"fields", field_names(body)}});
        co_return response;
      });

  routes.del(
      "/api/v1/kb/{id}", supervisors_and_admins,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        const auto id = read_record_number(ctx.path_param("id").value_or(""));
        if (!id) co_return no_such_article();
        std::function<crm::crm_result<void>(pqxx::connection&)> job =
            [id = *id](pqxx::connection& c) { return crm::blocking_delete_kb_article(c, id); };
        auto running = access->pool.async_run<crm::crm_result<void>>(
            std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, deleted] = co_await std::move(running);
        api::response response{http::status::no_content, 11};
        if (ec) {
          response = database_failure(ec);
        } else if (!deleted) {
          response = crm_error_response(deleted.error());
        }
        access->audit.answered(ctx, &who, "kb.delete", std::to_string(*id), response);
        co_return response;
      });
}

}  // namespace

void register_kb_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool) {
  auto access = std::make_shared<kb_access>(kb_access{audit, pool});
  register_reads(routes, access);
  register_writes(routes, access);
}

}  // namespace callcenterd::app
