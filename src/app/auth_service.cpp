// Logins and sessions: argon2id verification and session rows on the database pool, the
// sessions in use cached in memory, failed logins throttled per user name.
#include "auth_service.hpp"

#include <argon2.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/pqxx>

#include "callcenterd/core/encoding.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
using std::chrono::steady_clock;
using std::chrono::system_clock;

namespace {

// Checked when the user name is unknown, so that a wrong name costs as long as a wrong
// password and the answer time says nothing about which names exist.
constexpr const char* decoy_hash =
    "$argon2id$v=19$m=65536,t=3,p=1$ZGVjb3ktc2FsdC0xNmJ5dA$"
    "j3ur4FHjgT5NnGpJF/go6uL0xf0Y8/yxDXa1mjAgcOE";

/// 32 random bytes as unpadded base64url: 43 characters.
std::string new_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no randomness for a session token");
  }
  return core::base64url_encode(bytes);
}

std::optional<std::string> bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "Bearer ";
  if (authorization.size() <= scheme.size() || authorization.substr(0, scheme.size()) != scheme) {
    return std::nullopt;
  }
  auto token = authorization.substr(scheme.size());
  if (token.size() > 128) return std::nullopt;
  return std::string(token);
}

std::optional<user_role> role_of(std::string_view text) {
  if (text == "agent") return user_role::agent;
  if (text == "supervisor") return user_role::supervisor;
  if (text == "admin") return user_role::admin;
  return std::nullopt;
}

std::vector<std::string> blocking_teams(pqxx::work& tx, const std::string& user_id) {
  std::vector<std::string> teams;
  for (const auto& row :
       tx.exec_params("SELECT team FROM user_teams WHERE user_id = $1 ORDER BY team", user_id)) {
    teams.push_back(row[0].as<std::string>());
  }
  return teams;
}

// What the pool job of a login found; the token is made and stored only on success.
struct login_row {
  bool verified = false;
  principal who;
  system_clock::time_point expires_at;
};

login_row blocking_login(pqxx::connection& connection, const std::string& username,
                         const std::string& password, const std::string& token_hash,
                         std::chrono::seconds lifetime) {
  pqxx::work tx(connection);
  const auto rows = tx.exec_params(
      "SELECT id::text, display_name, role, coalesce(password_hash, ''), disabled FROM users "
      "WHERE login = $1",
      username);
  const bool known =
      !rows.empty() && !rows[0][3].as<std::string>().empty() && !rows[0][4].as<bool>();
  const auto hash = known ? rows[0][3].as<std::string>() : std::string(decoy_hash);
  const bool matches = argon2id_verify(hash.c_str(), password.data(), password.size()) == ARGON2_OK;
  login_row out;
  if (!known || !matches) return out;
  const auto role = role_of(rows[0][2].as<std::string>());
  if (!role) return out;
  out.verified = true;
  out.who = principal{.user_id = rows[0][0].as<std::string>(),
                      .login = username,
                      .name = rows[0][1].as<std::string>(),
                      .role = *role,
                      .teams = blocking_teams(tx, rows[0][0].as<std::string>())};
  out.expires_at = system_clock::now() + lifetime;
  tx.exec_params(
      "INSERT INTO sessions (token_sha256, user_id, expires_at) "
      "VALUES (decode($1, 'hex'), $2::uuid, now() + make_interval(secs => $3))",
      token_hash, out.who.user_id, static_cast<double>(lifetime.count()));
  tx.commit();
  return out;
}

std::optional<login_row> blocking_find_session(pqxx::connection& connection,
                                               const std::string& token_hash) {
  pqxx::work tx(connection);
  const auto rows = tx.exec_params(
      "SELECT u.id::text, u.login, u.display_name, u.role, "
      "extract(epoch FROM s.expires_at)::float8 FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_sha256 = decode($1, 'hex') AND s.revoked_at IS NULL "
      "AND s.expires_at > now() AND NOT u.disabled",
      token_hash);
  if (rows.empty()) return std::nullopt;
  const auto role = role_of(rows[0][3].as<std::string>());
  if (!role) return std::nullopt;
  login_row out;
  out.verified = true;
  out.who = principal{.user_id = rows[0][0].as<std::string>(),
                      .login = rows[0][1].as<std::string>(),
                      .name = rows[0][2].as<std::string>(),
                      .role = *role,
                      .teams = blocking_teams(tx, rows[0][0].as<std::string>())};
  out.expires_at = system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(
      std::chrono::duration<double>(rows[0][4].as<double>())));
  return out;
}

}  // namespace

std::string_view to_string(user_role role) {
  switch (role) {
    case user_role::agent:
      return "agent";
    case user_role::supervisor:
      return "supervisor";
    case user_role::admin:
      return "admin";
  }
  return "agent";
}

auth_service::auth_service(store::db_pool& pool, auth_settings settings)
    : pool_(pool),
      settings_(settings),
      failures_by_user_(settings.max_failures, settings.failure_window),
      failures_by_source_(settings.max_failures_per_source, settings.failure_window) {}

asio::awaitable<auth_service::login_result> auth_service::login(std::string username,
                                                                std::string password,
                                                                std::string source) {
  {
    const std::lock_guard lock(mutex_);
    const auto now = steady_clock::now();
    if (failures_by_user_.full(username, now) ||
        (!source.empty() && failures_by_source_.full(source, now))) {
      co_return login_result{.what = login_result::kind::throttled};
    }
  }
  auto token = new_token();
  const auto token_hash = core::sha256_hex(token);
  const auto lifetime = settings_.lifetime;
  // Each job and awaitable is made in a statement of its own: GCC 12 mishandles temporaries in
  // a full expression that co_awaits.
  std::function<login_row(pqxx::connection&)> job = [username, password = std::move(password),
                                                     token_hash,
                                                     lifetime](pqxx::connection& connection) {
    return blocking_login(connection, username, password, token_hash, lifetime);
  };
  auto running = pool_.async_run<login_row>(std::move(job), asio::as_tuple(asio::use_awaitable));
  auto [ec, row] = co_await std::move(running);
  if (ec) {
    spdlog::warn("login of {} failed: {}", username, ec.message());
    co_return login_result{.what = login_result::kind::unavailable};
  }
  const std::lock_guard lock(mutex_);
  const auto now = steady_clock::now();
  if (!row.verified) {
    failures_by_user_.add(username, now);
    if (!source.empty()) failures_by_source_.add(source, now);
    co_return login_result{.what = login_result::kind::bad_credentials};
  }
  failures_by_user_.clear(username);
  sessions_[token_hash] =
      cached_session{.who = row.who, .expires_at = row.expires_at, .last_used = now};
  co_return login_result{.what = login_result::kind::signed_in,
                         .token = std::move(token),
                         .who = row.who,
                         .expires_at = row.expires_at};
}

asio::awaitable<std::optional<principal>> auth_service::authenticate(std::string authorization) {
  const auto token = bearer_token(authorization);
  if (!token) co_return std::nullopt;
  const auto token_hash = core::sha256_hex(*token);
  {
    const std::lock_guard lock(mutex_);
    auto found = sessions_.find(token_hash);
    if (found != sessions_.end()) {
      const auto now = steady_clock::now();
      auto& session = found->second;
      if (system_clock::now() >= session.expires_at ||
          now - session.last_used > settings_.idle_timeout) {
        sessions_.erase(found);
        co_return std::nullopt;
      }
      session.last_used = now;
      co_return session.who;
    }
  }
  // Not seen by this process (it restarted): the session table says.
  std::uint64_t forgotten = 0;
  {
    const std::lock_guard lock(mutex_);
    forgotten = forgotten_;
  }
  std::function<std::optional<login_row>(pqxx::connection&)> job =
      [token_hash](pqxx::connection& connection) {
        return blocking_find_session(connection, token_hash);
      };
  auto running = pool_.async_run<std::optional<login_row>>(std::move(job),
                                                           asio::as_tuple(asio::use_awaitable));
  auto [ec, row] = co_await std::move(running);
  if (ec || !row) co_return std::nullopt;
  const std::lock_guard lock(mutex_);
  if (forgotten_ == forgotten) {
    sessions_[token_hash] = cached_session{
        .who = row->who, .expires_at = row->expires_at, .last_used = steady_clock::now()};
  }
  co_return row->who;
}

asio::awaitable<bool> auth_service::logout(std::string authorization) {
  const auto token = bearer_token(authorization);
  if (!token) co_return false;
  const auto token_hash = core::sha256_hex(*token);
  {
    const std::lock_guard lock(mutex_);
    sessions_.erase(token_hash);
  }
  std::function<bool(pqxx::connection&)> job = [token_hash](pqxx::connection& connection) {
    pqxx::work tx(connection);
    const auto rows = tx.exec_params(
        "UPDATE sessions SET revoked_at = now() WHERE token_sha256 = decode($1, 'hex') "
        "AND revoked_at IS NULL",
        token_hash);
    tx.commit();
    return rows.affected_rows() > 0;
  };
  auto running = pool_.async_run<bool>(std::move(job), asio::as_tuple(asio::use_awaitable));
  auto [ec, revoked] = co_await std::move(running);
  co_return !ec && revoked;
}

void auth_service::forget_sessions_of(std::string_view user_id) {
  const std::lock_guard lock(mutex_);
  ++forgotten_;
  std::erase_if(sessions_,
                [user_id](const auto& entry) { return entry.second.who.user_id == user_id; });
}

}  // namespace callcenterd::app
