// The customer part of a screen pop: the directory names the customer at once, the database
// adds their record and recent contacts.
#include "screen_pop.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/pqxx>

#include "callcenterd/crm/customers.hpp"
#include "crm_json.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
using nlohmann::json;

boost::asio::awaitable<json> screen_pop_source::about(std::string caller) {
  const auto summary = customers_.lookup_caller(caller, country_code_);
  if (!summary) co_return json{{"customer", nullptr}, {"recent_contacts", json::array()}};
  json fallback{{"customer",
                 {{"id", summary->id},
                  {"name", summary->name},
                  {"vip_level", summary->vip_level},
                  {"tags", summary->tags}}},
                {"recent_contacts", json::array()}};
  std::function<json(pqxx::connection&)> job = [id = summary->id,
                                                fallback](pqxx::connection& connection) {
    const auto found = crm::blocking_get_customer(connection, id, crm::customer_visibility::all());
    if (!found) return fallback;
    json contacts = json::array();
    if (const auto history = crm::blocking_contact_history(connection, id, recent_contacts)) {
      for (const auto& contact : *history) contacts.push_back(contact_json(contact));
    }
    return json{{"customer", customer_json(*found)}, {"recent_contacts", std::move(contacts)}};
  };
  auto running = pool_.async_run<json>(std::move(job), asio::as_tuple(asio::use_awaitable));
  auto [ec, pop] = co_await std::move(running);
  if (ec) co_return fallback;
  co_return pop;
}

}  // namespace callcenterd::app
