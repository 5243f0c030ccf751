#pragma once

// Type erasure for db_pool jobs: the template half that must live in a header. Nothing here
// is for use outside db_pool.

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/system/error_code.hpp>
#include <functional>
#include <optional>
#include <pqxx/connection>
#include <type_traits>
#include <utility>

namespace callcenterd::store::detail {

template <class R>
struct db_signature {
  using type = void(boost::system::error_code, R);
};

template <>
struct db_signature<void> {
  using type = void(boost::system::error_code);
};

/// A queued job as the worker sees it. invoke() runs on the worker and may throw; the worker
/// translates exceptions and then calls complete() exactly once.
class db_job {
 public:
  virtual ~db_job() = default;
  virtual void invoke(pqxx::connection& connection) = 0;
  virtual void complete(const boost::system::error_code& ec) = 0;
};

template <class R, class Handler>
class db_job_impl final : public db_job {
 public:
  db_job_impl(std::function<R(pqxx::connection&)> fn, Handler handler)
      : fn_(std::move(fn)),
        handler_(std::move(handler)),
        // Keeps the caller's io_context from running out of work while the job waits.
        work_(boost::asio::make_work_guard(boost::asio::get_associated_executor(handler_))) {}

  void invoke(pqxx::connection& connection) override {
    if constexpr (std::is_void_v<R>) {
      fn_(connection);
    } else {
      result_.emplace(fn_(connection));
    }
  }

  void complete(const boost::system::error_code& ec) override {
    auto executor = work_.get_executor();
    if constexpr (std::is_void_v<R>) {
      boost::asio::dispatch(
          executor, [handler = std::move(handler_), ec]() mutable { std::move(handler)(ec); });
    } else {
      R value = (!ec && result_) ? std::move(*result_) : R{};
      boost::asio::dispatch(
          executor, [handler = std::move(handler_), ec, value = std::move(value)]() mutable {
            std::move(handler)(ec, std::move(value));
          });
    }
    work_.reset();
  }

 private:
  using executor_type = boost::asio::associated_executor_t<Handler>;
  using result_holder = std::conditional_t<std::is_void_v<R>, bool, std::optional<R>>;

  std::function<R(pqxx::connection&)> fn_;
  Handler handler_;
  boost::asio::executor_work_guard<executor_type> work_;
  result_holder result_{};
};

}  // namespace callcenterd::store::detail
