#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <optional>
#include <pqxx/connection>
#include <utility>

#include "callcenterd/api/response.hpp"
#include "callcenterd/crm/crm_error.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "crm_json.hpp"
#include "query_reading.hpp"

namespace callcenterd::app {

/// What a CRM job on the database pool came to: its value, or else the answer to send in its
/// place (503 when the database failed, the CRM's refusal otherwise).
template <class T>
struct crm_outcome {
  std::optional<T> value;
  api::response refusal;

  explicit operator bool() const { return value.has_value(); }
  T& operator*() { return *value; }
  T* operator->() { return &*value; }
};

/// Runs `job` on the pool; resumes on the caller's executor.
template <class T>
boost::asio::awaitable<crm_outcome<T>> run_crm(
    store::db_pool& pool, std::function<crm::crm_result<T>(pqxx::connection&)> job) {
  auto running = pool.async_run<crm::crm_result<T>>(
      std::move(job), boost::asio::as_tuple(boost::asio::use_awaitable));
  auto [ec, result] = co_await std::move(running);
  crm_outcome<T> out;
  if (ec) {
    out.refusal = database_failure(ec);
  } else if (!result) {
    out.refusal = crm_error_response(result.error());
  } else {
    out.value = std::move(*result);
  }
  co_return out;
}

}  // namespace callcenterd::app
