#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "callcenterd/crm/customer_directory.hpp"
#include "callcenterd/store/db_pool.hpp"

namespace callcenterd::app {

/// What an agent's screen shows when a call rings them, beyond the call itself: the customer
/// behind the caller's number (found in the in-memory directory) with their record and recent
/// contacts (read from PostgreSQL on the pool; the call path never waits for it).
class screen_pop_source {
 public:
  static constexpr std::size_t recent_contacts = 5;

  screen_pop_source(store::db_pool& pool, const crm::customer_directory& customers,
                    std::string country_code)
      : pool_(pool), customers_(customers), country_code_(std::move(country_code)) {}

  /// {"customer": record or null, "recent_contacts": [...]}. Without a known customer, or
  /// when the database does not answer, the summary the directory has (or null) and no
  /// contacts. Resumes on the caller's executor.
  boost::asio::awaitable<nlohmann::json> about(std::string caller);

 private:
  store::db_pool& pool_;
  const crm::customer_directory& customers_;
  std::string country_code_;
};

}  // namespace callcenterd::app
