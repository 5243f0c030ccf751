// Users over HTTP, for admins. Rows live in users and user_teams (sql/0002, 0007). A user's
// sessions are cached by auth_service, so every change drops the user's cached sessions; a
// change that alters what the user may do (password, role, disabled) also revokes them in the
// table, and the user signs in again.
#include "user_routes.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "callcenterd/core/uuid.hpp"
#include "crm_json.hpp"
#include "password_hash.hpp"
#include "query_reading.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::size_t max_login_bytes = 64;
constexpr std::size_t max_name_bytes = 100;
constexpr std::size_t min_password_bytes = 8;
constexpr std::size_t max_password_bytes = 128;
constexpr std::size_t max_team_bytes = 64;
constexpr std::size_t max_teams = 64;

struct user_access {
  audit_trail& audit;
  store::db_pool& pool;
  auth_service& auth;
};

using access_ptr = std::shared_ptr<user_access>;

/// What a body sets of a user.
struct user_input {
  std::optional<std::string> login;
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::string> password;
  std::optional<std::vector<std::string>> teams;
  std::optional<bool> disabled;
};

bool only_of(std::string_view text, std::string_view extra) {
  return std::all_of(text.begin(), text.end(), [extra](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

std::optional<api::response> read_teams(const json& value, std::vector<std::string>& out) {
  if (!value.is_array() || value.size() > max_teams) {
    return bad_request("teams is a list of at most 64 team names");
  }
  for (const auto& team : value) {
    if (!team.is_string()) return bad_request("a team is a name");
    auto name = team.get<std::string>();
    if (name.empty() || name.size() > max_team_bytes || !only_of(name, "_.+-")) {
      return bad_request("a team name is 1 to 64 of A-Z, a-z, 0-9 and _ . + -");
    }
    out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return std::nullopt;
}

std::optional<api::response> read_user_field(const std::string& key, const json& value,
                                             bool creating, user_input& out) {
  if (key == "login" && creating) {
    if (!value.is_string()) return bad_request("login is text");
    auto login = value.get<std::string>();
    if (login.empty() || login.size() > max_login_bytes || !only_of(login, "_.@-")) {
      return bad_request("a login is 1 to 64 of A-Z, a-z, 0-9 and _ . @ -");
    }
    out.login = std::move(login);
  } else if (key == "name") {
    if (!value.is_string()) return bad_request("name is text");
    auto name = value.get<std::string>();
    if (name.empty() || name.size() > max_name_bytes || !is_valid_utf8(name)) {
      return bad_request("a name is UTF-8 text of 1 to 100 bytes");
    }
    out.name = std::move(name);
  } else if (key == "role") {
    if (!value.is_string()) return bad_request("role is agent, supervisor or admin");
    auto role = value.get<std::string>();
    if (role != "agent" && role != "supervisor" && role != "admin") {
      return bad_request("role is agent, supervisor or admin");
    }
    out.role = std::move(role);
  } else if (key == "password") {
    if (!value.is_string()) return bad_request("password is text");
    auto password = value.get<std::string>();
    if (password.size() < min_password_bytes || password.size() > max_password_bytes ||
        !is_valid_utf8(password)) {
      return bad_request("a password is UTF-8 text of 8 to 128 bytes");
    }
    out.password = std::move(password);
  } else if (key == "teams") {
    out.teams.emplace();
    return read_teams(value, *out.teams);
  } else if (key == "disabled") {
    if (!value.is_boolean()) return bad_request("disabled is true or false");
    out.disabled = value.get<bool>();
  } else {
    return bad_request("unknown field " + key + "; expected " +
                       (creating ? "login, name, role, password, teams and disabled"
                                 : "name, role, password, teams and disabled"));
  }
  return std::nullopt;
}

std::optional<api::response> read_user_input(const json& body, bool creating, user_input& out) {
  for (const auto& [key, value] : body.items()) {
    if (auto refused = read_user_field(key, value, creating, out)) return refused;
  }
  if (creating && (!out.login || !out.name || !out.role)) {
    return bad_request("a new user needs login, name and role");
  }
  if (!creating && body.empty()) return bad_request("nothing to change");
  return std::nullopt;
}

constexpr const char* user_columns =
    "u.id::text, u.login, u.display_name, u.role, u.disabled, "
    "coalesce((SELECT json_agg(t.team ORDER BY t.team) FROM user_teams t "
    "WHERE t.user_id = u.id), '[]')::text, "
    "coalesce((SELECT json_agg(a.extension ORDER BY a.extension) FROM sip_accounts a "
    "WHERE a.user_id = u.id), '[]')::text, u.password_hash IS NOT NULL, "
    "to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(u.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

json user_json(const pqxx::row& row) {
  return {{"id", row[0].as<std::string>()},
          {"login", row[1].as<std::string>()},
          {"name", row[2].as<std::string>()},
          {"role", row[3].as<std::string>()},
          {"disabled", row[4].as<bool>()},
          {"teams", json::parse(row[5].as<std::string>())},
          {"extensions", json::parse(row[6].as<std::string>())},
          {"web_sign_in", row[7].as<bool>()},
          {"created_at", row[8].as<std::string>()},
          {"updated_at", row[9].as<std::string>()}};
}

std::optional<json> blocking_user(pqxx::transaction_base& tx, const std::string& id) {
  const auto rows = tx.exec_params(
      std::string("SELECT ") + user_columns + " FROM users u WHERE u.id = $1::uuid", id);
  if (rows.empty()) return std::nullopt;
  return user_json(rows[0]);
}

void blocking_set_teams(pqxx::work& tx, const std::string& id,
                        const std::vector<std::string>& teams) {
  tx.exec_params("DELETE FROM user_teams WHERE user_id = $1::uuid", id);
  for (const auto& team : teams) {
    tx.exec_params("INSERT INTO user_teams (user_id, team) VALUES ($1::uuid, $2)", id, team);
  }
}

/// What a write found.
struct user_write {
  enum class kind { done, not_found, login_taken, last_admin, teams_need_supervisor };
  kind what = kind::done;
  json user{};
  bool sessions_ended = false;
};

user_write blocking_create(pqxx::connection& c, const user_input& in) {
  const auto hash = in.password ? std::optional(hash_password(*in.password)) : std::nullopt;
  pqxx::work tx(c);
  const auto rows = tx.exec_params(
      "INSERT INTO users (id, login, display_name, role, password_hash, disabled) "
      "VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) ON CONFLICT (login) DO NOTHING "
      "RETURNING id::text",
      *in.login, *in.name, *in.role, hash, in.disabled.value_or(false));
  if (rows.empty()) return {.what = user_write::kind::login_taken};
  const auto id = rows[0][0].as<std::string>();
  if (in.teams) blocking_set_teams(tx, id, *in.teams);
  user_write out{.user = *blocking_user(tx, id)};
  tx.commit();
  return out;
}

user_write blocking_update(pqxx::connection& c, const std::string& id, const user_input& in) {
  const auto hash = in.password ? std::optional(hash_password(*in.password)) : std::nullopt;
  pqxx::work tx(c);
  // Admins' rows are locked first, so that two changes cannot both leave the site without one.
  const auto admins = tx.exec(
      "SELECT id::text FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE");
  const auto current =
      tx.exec_params("SELECT role, disabled FROM users WHERE id = $1::uuid FOR UPDATE", id);
  if (current.empty()) return {.what = user_write::kind::not_found};
  const auto role = in.role.value_or(current[0][0].as<std::string>());
  const bool disabled = in.disabled.value_or(current[0][1].as<bool>());
  const bool was_admin = current[0][0].as<std::string>() == "admin" && !current[0][1].as<bool>();
  if (was_admin && (role != "admin" || disabled) && admins.size() <= 1) {
    return {.what = user_write::kind::last_admin};
  }
  if (in.teams && !in.teams->empty() && role != "supervisor") {
    return {.what = user_write::kind::teams_need_supervisor};
  }
  tx.exec_params(
      "UPDATE users SET display_name = coalesce($2, display_name), role = $3, disabled = $4, "
      "password_hash = coalesce($5, password_hash), updated_at = now() WHERE id = $1::uuid",
      id, in.name, role, disabled, hash);
  if (role != "supervisor") {
    blocking_set_teams(tx, id, {});
  } else if (in.teams) {
    blocking_set_teams(tx, id, *in.teams);
  }
  user_write out;
  if (in.password || in.role || in.disabled) {
    tx.exec_params(
        "UPDATE sessions SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS NULL",
        id);
    out.sessions_ended = true;
  }
  out.user = *blocking_user(tx, id);
  tx.commit();
  return out;
}

api::response no_such_user() {
  return api::error_response(http::status::not_found, "not_found", "no such user");
}

api::response write_response(const user_write& written, http::status success) {
  switch (written.what) {
    case user_write::kind::done:
      return api::json_response(success, written.user);
    case user_write::kind::not_found:
      return no_such_user();
    case user_write::kind::login_taken:
      return api::error_response(http::status::conflict, "conflict", "the login is taken");
    case user_write::kind::last_admin:
      return api::error_response(http::status::conflict, "last_admin",
                                 "the last enabled admin cannot be demoted or disabled");
    case user_write::kind::teams_need_supervisor:
      return bad_request("only a supervisor has teams (an agent's are in the configuration)");
  }
  return no_such_user();
}

void register_read_routes(secured_routes& routes, const access_ptr& access) {
  routes.get(
      "/api/v1/users", admins_only,
      [access](api::request_context& ctx, const principal&) -> asio::awaitable<api::response> {
        page range;
        if (auto refused = read_page(ctx, range)) co_return std::move(*refused);
        std::optional<std::string> q;
        std::optional<std::string> role;
        if (auto refused = read_text(ctx, "q", q, 100)) co_return std::move(*refused);
        if (auto refused = read_text(ctx, "role", role, 20)) co_return std::move(*refused);
        std::function<json(pqxx::connection&)> job = [q, role, range](pqxx::connection& c) {
          pqxx::read_transaction tx(c);
          const std::string where =
              " FROM users u WHERE ($1::text IS NULL OR strpos(lower(u.login), lower($1)) > 0 "
              "OR strpos(lower(u.display_name), lower($1)) > 0) "
              "AND ($2::text IS NULL OR u.role = $2)";
          const auto rows =
              tx.exec_params(std::string("SELECT ") + user_columns + ", count(*) OVER ()" + where +
                                 " ORDER BY u.login LIMIT $3 OFFSET $4",
                             q, role, range.limit, range.offset);
          json users = json::array();
          std::int64_t total = 0;
          for (const auto& row : rows) {
            users.push_back(user_json(row));
            total = row[10].as<std::int64_t>();
          }
          if (rows.empty() && range.offset > 0) {
            total = tx.exec_params("SELECT count(*)" + where, q, role)[0][0].as<std::int64_t>();
          }
          return json{{"users", std::move(users)}, {"total", total}};
        };
        auto running =
            access->pool.async_run<json>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, list] = co_await std::move(running);
        if (ec) co_return database_failure(ec);
        co_return api::json_response(http::status::ok, list);
      });

  routes.get(
      "/api/v1/users/{id}", admins_only,
      [access](api::request_context& ctx, const principal&) -> asio::awaitable<api::response> {
        const std::string id(ctx.path_param("id").value_or(""));
        if (!core::is_uuid(id)) co_return no_such_user();
        std::function<std::optional<json>(pqxx::connection&)> job = [id](pqxx::connection& c) {
          pqxx::read_transaction tx(c);
          return blocking_user(tx, id);
        };
        auto running = access->pool.async_run<std::optional<json>>(
            std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, user] = co_await std::move(running);
        if (ec) co_return database_failure(ec);
        if (!user) co_return no_such_user();
        co_return api::json_response(http::status::ok, *user);
      });
}

void register_write_routes(secured_routes& routes, const access_ptr& access) {
  routes.post(
      "/api/v1/users", admins_only,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        user_input input;
        if (auto refused = read_user_input(body, true, input)) co_return std::move(*refused);
        if (input.teams && !input.teams->empty() && input.role != "supervisor") {
          co_return write_response({.what = user_write::kind::teams_need_supervisor},
                                   http::status::created);
        }
        std::function<user_write(pqxx::connection&)> job = [input](pqxx::connection& c) {
          return blocking_create(c, input);
        };
        auto running =
            access->pool.async_run<user_write>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, written] = co_await std::move(running);
        const auto response =
            ec ? database_failure(ec) : write_response(written, http::status::created);
        const auto target =
            written.user.is_object() ? written.user.value("id", *input.login) : *input.login;
        access->audit.answered(ctx, &who, "user.create", target, response,
                               {{"login", *input.login}, {"fields", field_names(body)}});
        co_return response;
      });

  routes.put(
      "/api/v1/users/{id}", admins_only,
      [access](api::request_context& ctx, const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        user_input input;
        if (auto refused = read_user_input(body, false, input)) co_return std::move(*refused);
        const std::string id(ctx.path_param("id").value_or(""));
        if (!core::is_uuid(id)) co_return no_such_user();
        std::function<user_write(pqxx::connection&)> job = [id, input](pqxx::connection& c) {
          return blocking_update(c, id, input);
        };
        auto running =
            access->pool.async_run<user_write>(std::move(job), asio::as_tuple(asio::use_awaitable));
        auto [ec, written] = co_await std::move(running);
        // Whatever changed, the user's cached sessions are read again on their next request.
        if (!ec && written.what == user_write::kind::done) access->auth.forget_sessions_of(id);
        const auto response = ec ? database_failure(ec) : write_response(written, http::status::ok);
        access->audit.answered(
            ctx, &who, "user.update", id, response,
            {{"fields", field_names(body)}, {"sessions_ended", written.sessions_ended}});
        co_return response;
      });
}

}  // namespace

void register_user_routes(secured_routes& routes, audit_trail& audit, store::db_pool& pool) {
  auto access = std::make_shared<user_access>(user_access{audit, pool, routes.auth()});
  register_read_routes(routes, access);
  register_write_routes(routes, access);
}

}  // namespace callcenterd::app
