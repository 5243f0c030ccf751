// Customers over HTTP: search, one customer with their recent calls, create, change, delete,
// and CSV out and in. Queries run on the database pool; the in-memory directory the call path
// reads is kept current after each write. An agent sees the customers of the calls they had,
// a supervisor those of their teams' agents' calls, an admin all; a customer the user may not
// see answers 404, as if it did not exist.
#include <spdlog/spdlog.h>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/trim.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <pqxx/pqxx>

#include "agent_reach.hpp"
#include "callcenterd/crm/customer_csv.hpp"
#include "crm_jobs.hpp"
#include "crm_json.hpp"
#include "crm_routes.hpp"
#include "query_reading.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

/// How many calls GET /api/v1/customers/{id} shows with the customer.
constexpr std::size_t recent_contacts = 20;

struct customer_access {
  audit_trail& audit;
  store::db_pool& pool;
  acd::acd_service& acd;
  crm::customer_directory& directory;
  std::string country_code;
};

using access_ptr = std::shared_ptr<customer_access>;

asio::awaitable<crm::customer_visibility> visibility_of(acd::acd_service& acd,
                                                        const principal& who) {
  auto reaching = reachable_agents(acd, who);
  const auto reachable = co_await std::move(reaching);
  co_return customer_visibility_for(reachable);
}

std::string id_of(const api::request_context& ctx) {
  return std::string(ctx.path_param("id").value_or(""));
}

/// Whether the request's Content-Type is text/csv (parameters such as charset allowed).
bool is_csv(const api::request_context& ctx) {
  std::string type(ctx.header("Content-Type"));
  type = type.substr(0, type.find(';'));
  boost::algorithm::trim(type);
  boost::algorithm::to_lower(type);
  return type == "text/csv";
}

void register_reads(secured_routes& routes, const access_ptr& access) {
  routes.get(
      "/api/v1/customers", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        page range;
        std::optional<std::string> q;
        for (auto refused : {read_page(ctx, range), read_text(ctx, "q", q)}) {
          if (refused) co_return std::move(*refused);
        }
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        const crm::customer_query query{q.value_or(""), static_cast<std::size_t>(range.limit),
                                        static_cast<std::size_t>(range.offset)};
        std::function<crm::crm_result<crm::customer_page>(pqxx::connection&)> job =
            [query, visibility = std::move(visibility),
             country = access->country_code](pqxx::connection& c) {
              return crm::blocking_search_customers(c, query, visibility, country);
            };
        auto running = run_crm<crm::customer_page>(access->pool, std::move(job));
        auto found = co_await std::move(running);
        if (!found) co_return std::move(found.refusal);
        json list = json::array();
        for (const auto& c : found->items) list.push_back(customer_json(c));
        co_return api::json_response(http::status::ok,
                                     {{"customers", std::move(list)}, {"total", found->total}});
      });

  routes.get(
      "/api/v1/customers/{id}", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        std::function<crm::crm_result<json>(pqxx::connection&)> job =
            [id = id_of(ctx),
             visibility = std::move(visibility)](pqxx::connection& c) -> crm::crm_result<json> {
          auto found = crm::blocking_get_customer(c, id, visibility);
          if (!found) return found.error();
          auto contacts = crm::blocking_contact_history(c, id, recent_contacts);
          if (!contacts) return contacts.error();
          json out = customer_json(*found);
          json list = json::array();
          for (const auto& contact : *contacts) list.push_back(contact_json(contact));
          out["recent_contacts"] = std::move(list);
          return out;
        };
        auto running = run_crm<json>(access->pool, std::move(job));
        auto found = co_await std::move(running);
        if (!found) co_return std::move(found.refusal);
        co_return api::json_response(http::status::ok, *found);
      });

  routes.get(
      "/api/v1/customers/{id}/contacts", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        std::int64_t limit = 0;
        if (auto refused = read_limit(ctx, limit, 50, 500)) co_return std::move(*refused);
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        using contacts = crm::crm_result<std::vector<crm::contact_record>>;
        std::function<contacts(pqxx::connection&)> job =
            [id = id_of(ctx), visibility = std::move(visibility),
             limit = static_cast<std::size_t>(limit)](pqxx::connection& c) -> contacts {
          if (auto found = crm::blocking_get_customer(c, id, visibility); !found) {
            return found.error();
          }
          return crm::blocking_contact_history(c, id, limit);
        };
        auto running = run_crm<std::vector<crm::contact_record>>(access->pool, std::move(job));
        auto found = co_await std::move(running);
        if (!found) co_return std::move(found.refusal);
        json list = json::array();
        for (const auto& contact : *found) list.push_back(contact_json(contact));
        co_return api::json_response(http::status::ok, {{"contacts", std::move(list)}});
      });
}

void register_writes(secured_routes& routes, const access_ptr& access) {
  // Any role: an agent creates the customer of the call they are on.
  routes.post(
      "/api/v1/customers", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        crm::customer_input input;
        if (auto refused = read_customer_input(body, input)) co_return std::move(*refused);
        std::function<crm::crm_result<crm::customer>(pqxx::connection&)> job =
            [input, country = access->country_code](pqxx::connection& c) {
              return crm::blocking_create_customer(c, input, country);
            };
        auto running = run_crm<crm::customer>(access->pool, std::move(job));
        auto created = co_await std::move(running);
        api::response response = std::move(created.refusal);
        std::string target;
        if (created) {
          access->directory.put(*created);
          target = created->id;
          response = api::json_response(http::status::created, customer_json(*created));
          response.set(http::field::location, "/api/v1/customers/" + created->id);
        }
        access->audit.answered(ctx, &who, "customer.create", target, response);
        co_return response;
      });

  // Any role, for the customers the user sees; the CRM leaves who may write to its caller.
  routes.put(
      "/api/v1/customers/{id}", any_role,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        crm::customer_input input;
        if (auto refused = read_customer_input(body, input)) co_return std::move(*refused);
        const auto id = id_of(ctx);
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        std::function<crm::crm_result<crm::customer>(pqxx::connection&)> job =
            [id, input, visibility = std::move(visibility), country = access->country_code](
                pqxx::connection& c) -> crm::crm_result<crm::customer> {
          if (auto seen = crm::blocking_get_customer(c, id, visibility); !seen) {
            return seen.error();
          }
          return crm::blocking_update_customer(c, id, input, country);
        };
        auto running = run_crm<crm::customer>(access->pool, std::move(job));
        auto updated = co_await std::move(running);
        api::response response = std::move(updated.refusal);
        if (updated) {
          access->directory.put(*updated);
          response = api::json_response(http::status::ok, customer_json(*updated));
        }
        access->audit.answered(ctx, &who, "customer.update", id, response,
                               {{"fields", field_names(body)}});
        co_return response;
      });

  routes.del(
      "/api/v1/customers/{id}", admins_only,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        const auto id = id_of(ctx);
        std::function<crm::crm_result<void>(pqxx::connection&)> job = [id](pqxx::connection& c) {
          return crm::blocking_delete_customer(c, id);
        };
        auto running = access->pool.async_run<crm::crm_result<void>>(
            std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, deleted] = co_await std::move(running);
        api::response response{http::status::no_content, 11};
        if (ec) {
          response = database_failure(ec);
        } else if (!deleted) {
          response = crm_error_response(deleted.error());
        } else {
          access->directory.erase(id);
        }
        access->audit.answered(ctx, &who, "customer.delete", id, response);
        co_return response;
      });
}

void register_files(secured_routes& routes, const access_ptr& access) {
  routes.get(
      "/api/v1/customers/export.csv", supervisors_and_admins,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        std::optional<std::string> q;
        if (auto refused = read_text(ctx, "q", q)) co_return std::move(*refused);
        auto seeing = visibility_of(access->acd, who);
        auto visibility = co_await std::move(seeing);
        std::function<crm::crm_result<std::string>(pqxx::connection&)> job =
            [q = q.value_or(""), visibility = std::move(visibility),
             country = access->country_code](pqxx::connection& c) {
              return crm::blocking_export_customers_csv(c, q, visibility, country);
            };
        auto running = run_crm<std::string>(access->pool, std::move(job));
        auto exported = co_await std::move(running);
        api::response response = std::move(exported.refusal);
        if (exported) {
          response =
              api::text_response(http::status::ok, std::move(*exported), "text/csv; charset=utf-8");
          response.set(http::field::content_disposition, "attachment; filename=\"customers.csv\"");
          // Customers are personal data: no shared cache keeps them.
          response.set(http::field::cache_control, "private, no-store");
        }
        access->audit.answered(ctx, &who, "customer.export", "", response, {{"q", q.value_or("")}});
        co_return response;
      });

  routes.post(
      "/api/v1/customers/import", admins_only,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        if (!is_csv(ctx)) {
          co_return api::error_response(http::status::unsupported_media_type,
                                        "unsupported_media_type",
                                        "send the file as the body with Content-Type: text/csv");
        }
        using counts = crm::crm_result<crm::customer_import_counts>;
        std::function<counts(pqxx::connection&)> job =
            [text = ctx.body(), country = access->country_code](pqxx::connection& c) {
              return crm::blocking_import_customers_csv(c, text, country);
            };
        auto running =
            access->pool.async_run<counts>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, imported] = co_await std::move(running);
        api::response response;
        json detail = json::object();
        if (ec) {
          response = database_failure(ec);
        } else if (!imported) {
          response = crm_error_response(imported.error());
        } else {
          detail = {{"inserted", imported->inserted}, {"updated", imported->updated}};
          response = api::json_response(http::status::ok, detail);
          // The import is committed whatever happens next: a failed reload only leaves the
          // call path's directory behind until the next one.
          std::function<std::size_t(pqxx::connection&)> reload =
              [&directory = access->directory](pqxx::connection& c) {
                directory.blocking_load(c);
                return directory.size();
              };
          auto reloading = access->pool.async_run<std::size_t>(std::move(reload),
                                                               asio::as_tuple(asio::use_awaitable));
          auto [reload_ec, numbers] = co_await std::move(reloading);
          if (reload_ec) {
            spdlog::warn("crm: customer directory not reloaded after an import: {}",
                         reload_ec.message());
          } else {
            spdlog::info("crm: customer directory reloaded after an import: {} number(s)", numbers);
          }
        }
        access->audit.answered(ctx, &who, "customer.import", "", response, std::move(detail));
        co_return response;
      });
}

}  // namespace

void register_customer_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool,
                              acd::acd_service& acd, crm::customer_directory& directory,
                              std::string country_code) {
  auto access = std::make_shared<customer_access>(
      customer_access{audit, pool, acd, directory, std::move(country_code)});
  register_reads(routes, access);
  register_writes(routes, access);
  register_files(routes, access);
}

}  // namespace callcenterd::app
