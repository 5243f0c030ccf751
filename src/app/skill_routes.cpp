// Agents' skills over HTTP. The ACD applies a change at once (a ready agent may be offered a
// call of their new queues before the answer leaves); the change is written through the event
// log, so that a database outage loses none, and a trigger keeps the latest per agent for the
// next start (acd_day_restore.cpp puts them back).
#include "skill_routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "acd_json.hpp"
#include "agent_change.hpp"
#include "crm_json.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::size_t max_skills = 64;
constexpr std::size_t max_skill_name_bytes = 64;

bool is_skill_name(std::string_view name) {
  return !name.empty() && name.size() <= max_skill_name_bytes &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '+' || c == '-';
         });
}

/// {"skills": {"name": level, ...}} into `out`; levels are checked by the ACD (bad_skills).
std::optional<api::response> read_skills(const json& body, std::vector<acd::agent_skill>& out) {
  const auto skills = body.find("skills");
  if (body.size() != 1 || skills == body.end() || !skills->is_object() ||
      skills->size() > max_skills) {
    return bad_request("expected {\"skills\": {\"skill\": level 1 to 10, ...}}, at most 64");
  }
  for (const auto& [name, level] : skills->items()) {
    if (!is_skill_name(name)) {
      return bad_request("a skill is 1 to 64 of A-Z, a-z, 0-9 and _ . + -");
    }
    if (!level.is_number_integer()) return bad_request("a skill's level is a whole number");
    const auto value = level.get<std::int64_t>();
    out.push_back({name, static_cast<int>(std::clamp<std::int64_t>(value, -1, 11))});
  }
  return std::nullopt;
}

std::vector<acd::agent_skill> configured_skills(const acd::acd_model& model,
                                                const std::string& agent) {
  for (const auto& a : model.agents) {
    if (a.id == agent) return a.skills;
  }
  return {};
}

/// Puts `skills` in force for agent `id` if `who` reaches them, and on success writes the
/// "agent.skills" event that keeps `recorded` for the next start.
asio::awaitable<api::response> set_skills(acd::acd_service& acd, store::event_log& events,
                                          principal who, std::string id,
                                          std::vector<acd::agent_skill> skills, json recorded) {
  std::function<boost::system::result<void>(acd::engine&, acd::instant)> change =
      [id, skills = std::move(skills)](acd::engine& e, acd::instant now) {
        return e.set_skills(id, skills, now);
      };
  auto changing = change_agent(acd, who, id, std::move(change));
  auto response = co_await std::move(changing);
  if (response.result() == http::status::ok) {
    events.append(store::make_event(
        "agent.skills", {}, {{"agent", id}, {"skills", std::move(recorded)}, {"by", who.login}}));
  }
  co_return response;
}

}  // namespace

std::vector<std::pair<std::string, std::vector<acd::agent_skill>>> blocking_read_skill_overrides(
    pqxx::connection& connection) {
  pqxx::read_transaction tx(connection);
  std::vector<std::pair<std::string, std::vector<acd::agent_skill>>> out;
  for (const auto& row :
       tx.exec("SELECT agent, skills::text FROM agent_skill_overrides ORDER BY agent")) {
    const auto skills = json::parse(row[1].as<std::string>(), nullptr, false);
    if (!skills.is_object()) continue;
    std::vector<acd::agent_skill> list;
    for (const auto& [name, level] : skills.items()) {
      if (level.is_number_integer()) list.push_back({name, level.get<int>()});
    }
    out.emplace_back(row[0].as<std::string>(), std::move(list));
  }
  return out;
}

void register_skill_routes(secured_routes& routes, audit_trail& audit, store::event_log& events,
                           acd::acd_service& acd, const acd::acd_model& configured) {
  routes.put(
      "/api/v1/agents/{agent}/skills", supervisors_and_admins,
      [&audit, &events, &acd](api::request_context& ctx,
                              const principal& who) -> asio::awaitable<api::response> {
        json body;
        if (auto refused = read_json_object(ctx.body(), body)) co_return std::move(*refused);
        std::vector<acd::agent_skill> skills;
        if (auto refused = read_skills(body, skills)) co_return std::move(*refused);
        const auto id = std::string(ctx.path_param("agent").value_or(""));
        auto setting = set_skills(acd, events, who, id, skills, skills_json(skills));
        auto response = co_await std::move(setting);
        audit.answered(ctx, &who, "agent.skills", id, response, {{"skills", skills_json(skills)}});
        co_return response;
      });

  routes.del(
      "/api/v1/agents/{agent}/skills", supervisors_and_admins,
      [&audit, &events, &acd, &configured](api::request_context& ctx,
                                           const principal& who) -> asio::awaitable<api::response> {
        const auto id = std::string(ctx.path_param("agent").value_or(""));
        // Recorded as null: the configuration's, whatever the file says at the next start.
        auto setting = set_skills(acd, events, who, id, configured_skills(configured, id), nullptr);
        auto response = co_await std::move(setting);
        audit.answered(ctx, &who, "agent.skills.reset", id, response);
        co_return response;
      });
}

}  // namespace callcenterd::app
