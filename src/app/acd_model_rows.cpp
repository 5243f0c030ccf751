// The ACD's model as rows for reports: one statement per table from a JSON array of the
// agents or queues (jsonb_to_recordset), then the rows of anything no longer configured go.
#include "acd_model_rows.hpp"

#include <nlohmann/json.hpp>

namespace callcenterd::app {

namespace {

using nlohmann::json;

/// {"skill": level, ...} of an agent's skills or a queue's requirements.
template <class Skill>
json levels_json(const std::vector<Skill>& skills, int Skill::*level) {
  auto out = json::object();
  for (const auto& s : skills) out[s.skill] = s.*level;
  return out;
}

json agents_json(const acd::acd_model& model) {
  auto out = json::array();
  for (const auto& a : model.agents) {
    out.push_back({{"id", a.id},
                   {"name", a.name},
                   {"extension", a.extension},
                   {"teams", a.teams},
                   {"skills", levels_json(a.skills, &acd::agent_skill::level)},
                   {"auto_login", a.auto_login}});
  }
  return out;
}

json queues_json(const acd::acd_model& model) {
  auto out = json::array();
  for (const auto& q : model.queues) {
    out.push_back({{"name", q.name},
                   {"skills", levels_json(q.skills, &acd::skill_requirement::min_level)},
                   {"strategy", q.strategy},
                   {"settings",
                    {{"priority_aging_ms", q.priority_aging.count()},
                     {"max_length", q.max_length},
                     {"max_wait_ms", q.max_wait.count()},
                     {"wrap_up_ms", q.wrap_up.count()},
                     {"ring_timeout_ms", q.ring_timeout.count()},
                     {"service_level_threshold_ms", q.service_level_threshold.count()},
                     {"service_level_target", q.service_level_target},
                     {"short_abandon_ms", q.short_abandon.count()},
                     {"record", q.record},
                     {"overflow_rules", q.overflow.size()},
                     {"callback_after_ms", q.callback.offer_after.count()}}}});
  }
  return out;
}

}  // namespace

void write_acd_model(pqxx::connection& connection, const acd::acd_model& model,
                     const std::string& node) {
  const auto agents = agents_json(model).dump();
  const auto queues = queues_json(model).dump();
  pqxx::work tx(connection);
  tx.exec_params(
      "INSERT INTO acd_agents (id, name, extension, teams, skills, auto_login, node, updated_at) "
      "SELECT id, name, extension, teams, skills, auto_login, $2, now() "
      "FROM jsonb_to_recordset($1::jsonb) AS a(id text, name text, extension text, teams jsonb, "
      "skills jsonb, auto_login boolean) "
      "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, extension = EXCLUDED.extension, "
      "teams = EXCLUDED.teams, skills = EXCLUDED.skills, auto_login = EXCLUDED.auto_login, "
      "node = EXCLUDED.node, updated_at = EXCLUDED.updated_at",
      agents, node);
  tx.exec_params(
      "DELETE FROM acd_agents WHERE id NOT IN "
      "(SELECT value->>'id' FROM jsonb_array_elements($1::jsonb))",
      agents);
  tx.exec_params(
      "INSERT INTO acd_queues (name, skills, strategy, settings, node, updated_at) "
      "SELECT name, skills, strategy, settings, $2, now() "
      "FROM jsonb_to_recordset($1::jsonb) AS q(name text, skills jsonb, strategy text, "
      "settings jsonb) "
      "ON CONFLICT (name) DO UPDATE SET skills = EXCLUDED.skills, strategy = EXCLUDED.strategy, "
      "settings = EXCLUDED.settings, node = EXCLUDED.node, updated_at = EXCLUDED.updated_at",
      queues, node);
  tx.exec_params(
      "DELETE FROM acd_queues WHERE name NOT IN "
      "(SELECT value->>'name' FROM jsonb_array_elements($1::jsonb))",
      queues);
  tx.commit();
}

}  // namespace callcenterd::app
