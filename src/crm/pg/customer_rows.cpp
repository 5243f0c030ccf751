// Customer rows: reading them, their search vector, who may see them, and whose numbers are
// whose. Shared by the customer functions and the CSV import.
#include "customer_rows.hpp"

#include "callcenterd/core/wording.hpp"
#include "callcenterd/crm/search_text.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "pg_support.hpp"

namespace callcenterd::crm::pg {

const char* const customer_columns = R"sql(
c.id::text, c.name,
(SELECT coalesce(jsonb_agg(jsonb_build_object('number', p.number, 'label', p.label)
                           ORDER BY p.position, p.number), '[]'::jsonb)
   FROM customer_phones p WHERE p.customer_id = c.id)::text,
c.account::text, c.vip_level, to_jsonb(c.tags)::text, c.notes,
(extract(epoch FROM c.created_at) * 1000000)::bigint,
(extract(epoch FROM c.updated_at) * 1000000)::bigint
)sql";

namespace {

constexpr const char* owners_sql = R"sql(
SELECT p.number, p.customer_id::text, c.name
  FROM customer_phones p JOIN customers c ON c.id = p.customer_id
 WHERE p.number IN (SELECT jsonb_array_elements_text($1::jsonb))
   AND p.customer_id <> $2::uuid
 ORDER BY p.number
)sql";

}  // namespace

customer customer_from_row(const pqxx::row& row) {
  customer c;
  c.id = row[0].as<std::string>();
  c.name = row[1].as<std::string>();
  for (const auto& phone : nlohmann::json::parse(row[2].as<std::string>())) {
    c.phones.push_back(
        {phone.at("number").get<std::string>(), phone.at("label").get<std::string>()});
  }
  c.account = nlohmann::json::parse(row[3].as<std::string>());
  c.vip_level = row[4].as<int>();
  c.tags = strings_from_json(row[5].as<std::string>());
  c.notes = row[6].as<std::string>();
  c.created_at = from_micros(row[7].as<std::int64_t>());
  c.updated_at = from_micros(row[8].as<std::int64_t>());
  return c;
}

customer_terms terms_of(const customer& c) {
  std::string tags;
  for (const auto& tag : c.tags) tags += tag + " ";
  return {index_terms(c.name), index_terms(tags), index_terms(c.notes)};
}

std::string search_vector_sql(int first) {
  const auto p = [first](int i) { return "$" + std::to_string(first + i); };
  return "setweight(to_tsvector('simple', " + p(0) + "), 'A') || setweight(to_tsvector('simple', " +
         p(1) + "), 'B') || setweight(to_tsvector('simple', " + p(2) + "), 'C')";
}

std::string visibility_sql(int first) {
  const auto p = [first](int i) { return "$" + std::to_string(first + i); };
  return "(" + p(0) +
         "::boolean OR c.id IN (SELECT r.customer_id FROM call_records r"
         " WHERE r.customer_id IS NOT NULL AND r.agent IN"
         " (SELECT jsonb_array_elements_text(" +
         p(1) +
         "::jsonb)))"
         " OR c.id IN (SELECT jsonb_array_elements_text(" +
         p(2) + "::jsonb)::uuid))";
}

visibility_params params_of(const customer_visibility& v) {
  return {v.everyone, json_array(v.agents), json_array(only_uuids(v.extra_customer_ids))};
}

std::string phones_json(const std::vector<customer_phone>& phones) {
  auto out = nlohmann::json::array();
  for (std::size_t i = 0; i < phones.size(); ++i) {
    out.push_back({{"number", phones[i].number}, {"label", phones[i].label}, {"position", i}});
  }
  return out.dump();
}

std::vector<crm_problem> blocking_phone_conflicts(pqxx::connection& connection,
                                                  pqxx::transaction_base& tx,
                                                  const std::string& owner_id,
                                                  const std::vector<customer_phone>& phones) {
  if (phones.empty()) return {};
  store::prepare_once(connection, statement_name("phone_owners"), owners_sql);
  std::vector<std::string> numbers;
  numbers.reserve(phones.size());
  for (const auto& phone : phones) numbers.push_back(phone.number);
  std::vector<crm_problem> problems;
  for (const auto& row :
       tx.exec_prepared(statement_name("phone_owners"), json_array(numbers), owner_id)) {
    const auto number = row[0].as<std::string>();
    std::size_t index = 0;
    while (index < phones.size() && phones[index].number != number) ++index;
    problems.push_back({0, "phones[" + std::to_string(index) + "].number",
                        number + " belongs to customer " +
                            core::in_quotes(row[2].as<std::string>()) + " (" +
                            row[1].as<std::string>() + ")"});
  }
  return problems;
}

crm_error conflict_error(std::vector<crm_problem> problems) {
  std::string summary = problems.empty() ? std::string("a phone number belongs to another customer")
                                         : problems.front().message;
  if (problems.size() > 1) summary += " (and " + std::to_string(problems.size() - 1) + " more)";
  return make_crm_error(crm_errc::conflict, std::move(summary), std::move(problems));
}

}  // namespace callcenterd::crm::pg
