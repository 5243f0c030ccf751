// Knowledge base articles in PostgreSQL: write, read, and ranked search with excerpts.
#include "callcenterd/crm/knowledge_base.hpp"

#include <pqxx/pqxx>

#include "callcenterd/crm/search_text.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "pg_support.hpp"
#include "validation.hpp"

namespace callcenterd::crm {
namespace {

using pg::statement_name;

constexpr std::size_t max_hits = 100;
constexpr std::size_t snippet_chars = 160;

// One article by id; FOR UPDATE is appended for the locking read.
constexpr const char* article_sql =
    "SELECT id, title, body, category, to_jsonb(tags)::text, created_by,"
    " (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM updated_at) * 1000000)::bigint FROM kb_articles WHERE id = $1";

constexpr const char* insert_sql = R"sql(
INSERT INTO kb_articles (title, body, category, tags, created_by, search)
VALUES ($1, $2, $3,
        ARRAY(SELECT t FROM jsonb_array_elements_text($4::jsonb) WITH ORDINALITY AS e(t, n)
               ORDER BY n),
        $5, setweight(to_tsvector('simple', $6), 'A') || setweight(to_tsvector('simple', $7), 'B'))
RETURNING id
)sql";

constexpr const char* update_sql = R"sql(
UPDATE kb_articles
   SET title = $2, body = $3, category = $4,
       tags = ARRAY(SELECT t FROM jsonb_array_elements_text($5::jsonb) WITH ORDINALITY AS e(t, n)
                     ORDER BY n),
       search = setweight(to_tsvector('simple', $6), 'A')
                || setweight(to_tsvector('simple', $7), 'B'),
       updated_at = now()
 WHERE id = $1
)sql";

constexpr const char* delete_sql = "DELETE FROM kb_articles WHERE id = $1";

// The query is built once per statement, not once per row.
constexpr const char* search_sql = R"sql(
SELECT a.id, a.title, a.category, to_jsonb(a.tags)::text, a.body,
       coalesce(ts_rank(a.search, q.query), 0)::float8,
       (extract(epoch FROM a.updated_at) * 1000000)::bigint
  FROM kb_articles a CROSS JOIN (SELECT to_tsquery('simple', nullif($1, '')) AS query) q
 WHERE (q.query IS NULL OR a.search @@ q.query)
   AND ($2 = '' OR a.category = $2)
 ORDER BY 6 DESC, a.updated_at DESC, a.id DESC
 LIMIT $3
)sql";

constexpr const char* categories_sql = R"sql(
SELECT category, count(*) FROM kb_articles WHERE category <> '' GROUP BY category
 ORDER BY category
)sql";

void prepare(pqxx::connection& connection) {
  store::prepare_once(connection, statement_name("kb_get"), article_sql);
  store::prepare_once(connection, statement_name("kb_lock"),
                      std::string(article_sql) + " FOR UPDATE");
  store::prepare_once(connection, statement_name("kb_insert"), insert_sql);
  store::prepare_once(connection, statement_name("kb_update"), update_sql);
  store::prepare_once(connection, statement_name("kb_delete"), delete_sql);
}

crm_error not_found(std::int64_t id) {
  return make_crm_error(crm_errc::not_found, "no knowledge base article " + std::to_string(id));
}

kb_article article_from_row(const pqxx::row& row) {
  return kb_article{row[0].as<std::int64_t>(),
                    row[1].as<std::string>(),
                    row[2].as<std::string>(),
                    row[3].as<std::string>(),
                    pg::strings_from_json(row[4].as<std::string>()),
                    row[5].as<std::string>(),
                    pg::from_micros(row[6].as<std::int64_t>()),
                    pg::from_micros(row[7].as<std::int64_t>())};
}

// Title and tags weigh the same (A): both name what the article is about.
std::string heading_terms(const kb_article& a) {
  std::string text = a.title;
  for (const auto& tag : a.tags) text += " " + tag;
  return index_terms(text);
}

}  // namespace

crm_result<kb_article> blocking_create_kb_article(pqxx::connection& connection,
                                                  const kb_input& input, std::string_view actor) {
  if (actor.empty()) {
    return make_crm_error(crm_errc::invalid_input, "the user making the change is unknown",
                          {{0, "actor", "the user making the change is unknown"}});
  }
  auto valid = validate_kb_input(input, true);
  if (!valid) return valid.error();
  kb_article a;
  a.title = *valid->title;
  a.body = valid->body.value_or("");
  a.category = valid->category.value_or("");
  a.tags = valid->tags.value_or(std::vector<std::string>{});
  prepare(connection);
  pqxx::work tx(connection);
  const auto id = tx.exec_prepared1(statement_name("kb_insert"), a.title, a.body, a.category,
                                    pg::json_array(a.tags), std::string(actor), heading_terms(a),
                                    index_terms(a.body))[0]
                      .as<std::int64_t>();
  auto stored = article_from_row(tx.exec_prepared1(statement_name("kb_get"), id));
  tx.commit();
  return stored;
}

crm_result<kb_article> blocking_update_kb_article(pqxx::connection& connection, std::int64_t id,
                                                  const kb_input& input) {
  auto valid = validate_kb_input(input, false);
  if (!valid) return valid.error();
  prepare(connection);
  pqxx::work tx(connection);
  const auto rows = tx.exec_prepared(statement_name("kb_lock"), id);
  if (rows.empty()) return not_found(id);
  kb_article a = article_from_row(rows[0]);
  if (valid->title) a.title = *valid->title;
  if (valid->body) a.body = *valid->body;
  if (valid->category) a.category = *valid->category;
  if (valid->tags) a.tags = *valid->tags;
  tx.exec_prepared(statement_name("kb_update"), id, a.title, a.body, a.category,
                   pg::json_array(a.tags), heading_terms(a), index_terms(a.body));
  auto stored = article_from_row(tx.exec_prepared1(statement_name("kb_get"), id));
  tx.commit();
  return stored;
}

crm_result<void> blocking_delete_kb_article(pqxx::connection& connection, std::int64_t id) {
  prepare(connection);
  pqxx::work tx(connection);
  if (tx.exec_prepared(statement_name("kb_delete"), id).affected_rows() == 0) {
    return not_found(id);
  }
  tx.commit();
  return {};
}

crm_result<kb_article> blocking_get_kb_article(pqxx::connection& connection, std::int64_t id) {
  prepare(connection);
  pqxx::read_transaction tx(connection);
  const auto rows = tx.exec_prepared(statement_name("kb_get"), id);
  if (rows.empty()) return not_found(id);
  return article_from_row(rows[0]);
}

crm_result<std::vector<kb_hit>> blocking_search_kb(pqxx::connection& connection,
                                                   const kb_query& query) {
  std::vector<crm_problem> problems;
  if (query.limit == 0 || query.limit > max_hits) {
    problems.push_back({0, "limit", "limit must be 1 to 100"});
  }
  check_text(problems, "category", query.category, 64, false);
  if (!problems.empty()) return invalid_input(std::move(problems));
  store::prepare_once(connection, statement_name("kb_search"), search_sql);
  pqxx::read_transaction tx(connection);
  std::vector<kb_hit> hits;
  for (const auto& row : tx.exec_prepared(statement_name("kb_search"), tsquery_text(query.q),
                                          query.category, static_cast<std::int64_t>(query.limit))) {
    hits.push_back(kb_hit{row[0].as<std::int64_t>(), row[1].as<std::string>(),
                          row[2].as<std::string>(), pg::strings_from_json(row[3].as<std::string>()),
                          row[5].as<double>(),
                          make_snippet(row[4].as<std::string>(), query.q, snippet_chars),
                          pg::from_micros(row[6].as<std::int64_t>())});
  }
  return hits;
}

std::vector<kb_category> blocking_kb_categories(pqxx::connection& connection) {
  store::prepare_once(connection, statement_name("kb_categories"), categories_sql);
  pqxx::read_transaction tx(connection);
  std::vector<kb_category> out;
  for (const auto& row : tx.exec_prepared(statement_name("kb_categories"))) {
    out.push_back({row[0].as<std::string>(), row[1].as<std::size_t>()});
  }
  return out;
}

}  // namespace callcenterd::crm
