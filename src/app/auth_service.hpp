#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/store/db_pool.hpp"
#include "failure_window.hpp"

namespace callcenterd::app {

enum class user_role { agent, supervisor, admin };

/// Who a request comes from, as their session says.
struct principal {
  std::string user_id{};
  std::string login{};
  std::string name{};
  user_role role = user_role::agent;
  std::vector<std::string> teams{};  ///< a supervisor's teams
};

struct auth_settings {
  std::chrono::seconds lifetime{std::chrono::hours(12)};
  std::chrono::seconds idle_timeout{std::chrono::minutes(30)};
  /// Failed logins per user name within the window before further attempts are refused
  /// without a look at the password.
  unsigned max_failures = 5;
  /// Failed logins from one client address (whatever names it tries) within the window before
  /// its further attempts are refused the same way: guessing across many names is slowed too.
  unsigned max_failures_per_source = 20;
  std::chrono::seconds failure_window{std::chrono::minutes(5)};
};

/// Logins, sessions and logouts. Passwords are checked against their argon2id hashes on the
/// database pool (the hash is deliberately slow); a session is a random token of which only
/// the SHA-256 is stored. Sessions in use are cached in memory, so authenticating a request
/// touches PostgreSQL only for a token this process has not seen (after a restart).
/// Thread-safe: any strand.
class auth_service {
 public:
  auth_service(store::db_pool& pool, auth_settings settings = {});

  struct login_result {
    enum class kind { signed_in, bad_credentials, throttled, unavailable };
    kind what = kind::bad_credentials;
    std::string token{};
    principal who{};
    std::chrono::system_clock::time_point expires_at{};
  };
  /// `source` is the client's address, for throttling per source.
  boost::asio::awaitable<login_result> login(std::string username, std::string password,
                                             std::string source);
  /// The principal of an `Authorization: Bearer <token>` value, if the session is valid.
  boost::asio::awaitable<std::optional<principal>> authenticate(std::string authorization);
  /// Ends the session of `authorization`; false when there was none.
  boost::asio::awaitable<bool> logout(std::string authorization);
  /// Drops the cached sessions of user `user_id`, so that their next request reads the session
  /// table again (which refuses what was revoked there, and gives the user's new role, name
  /// and teams). Call after changing the user's row.
  void forget_sessions_of(std::string_view user_id);

 private:
  struct cached_session {
    principal who;
    std::chrono::system_clock::time_point expires_at;
    std::chrono::steady_clock::time_point last_used;
  };

  store::db_pool& pool_;
  auth_settings settings_;
  std::mutex mutex_;
  std::map<std::string, cached_session, std::less<>> sessions_;  ///< by token SHA-256 (hex)
  /// Counts forget_sessions_of() calls: a session read from the table while one ran may be
  /// stale, and is not cached.
  std::uint64_t forgotten_ = 0;
  failure_window failures_by_user_;
  failure_window failures_by_source_;
};

/// "agent", "supervisor", "admin".
std::string_view to_string(user_role role);

}  // namespace callcenterd::app
