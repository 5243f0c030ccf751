#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/crm/crm_error.hpp"

namespace callcenterd::crm {

// The knowledge base: articles agents look up during a call, found by words in Chinese or
// English (see search_text.hpp). validate_kb_input() is pure (any thread). Every blocking_*
// function runs queries on `connection` and must run inside a db_pool job
// (store::db_pool::async_run), never on an I/O thread; bad client input comes back as a
// crm_error, libpqxx exceptions escape to the pool. Who may write articles is the caller's
// decision; every signed-in user may read them.

struct kb_article {
  std::int64_t id = 0;
  std::string title;
  std::string body;
  std::string category;  ///< "" for none
  std::vector<std::string> tags;
  std::string created_by;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
};

/// What a client sends to create or change an article; on update a field left empty stays.
struct kb_input {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> category;
  std::optional<std::vector<std::string>> tags;
};

/// `input` checked and trimmed, or invalid_input by field: title 1..200 characters (required
/// when `creating`), body up to 100,000, category up to 64 (empty: none), at most 20 tags of
/// 1..40 characters (repeats dropped). Pure.
crm_result<kb_input> validate_kb_input(const kb_input& input, bool creating);

/// Creates an article written by `actor` (a login).
crm_result<kb_article> blocking_create_kb_article(pqxx::connection& connection,
                                                  const kb_input& input, std::string_view actor);

/// Changes the fields given; not_found when there is no such article.
crm_result<kb_article> blocking_update_kb_article(pqxx::connection& connection, std::int64_t id,
                                                  const kb_input& input);

/// Deletes the article; not_found when there is none.
crm_result<void> blocking_delete_kb_article(pqxx::connection& connection, std::int64_t id);

/// The article; not_found when there is none.
crm_result<kb_article> blocking_get_kb_article(pqxx::connection& connection, std::int64_t id);

struct kb_query {
  std::string q;           ///< words; empty: the newest articles
  std::string category;    ///< only this category; empty: all
  std::size_t limit = 20;  ///< 1..100
};

/// One search result: enough for a list, with the excerpt around the first hit.
struct kb_hit {
  std::int64_t id = 0;
  std::string title;
  std::string category;
  std::vector<std::string> tags;
  double rank = 0;      ///< ts_rank; larger is better, 0 without words
  std::string snippet;  ///< plain text, see make_snippet()
  std::chrono::system_clock::time_point updated_at;
};

/// Articles containing every word of `q` (title and tags weigh more than the body), best
/// first, then newest. invalid_input for a limit outside 1..100.
crm_result<std::vector<kb_hit>> blocking_search_kb(pqxx::connection& connection,
                                                   const kb_query& query);

struct kb_category {
  std::string name;
  std::size_t articles = 0;
  friend bool operator==(const kb_category&, const kb_category&) = default;
};

/// The categories in use, by name, with how many articles each has (articles without a
/// category are left out).
std::vector<kb_category> blocking_kb_categories(pqxx::connection& connection);

}  // namespace callcenterd::crm
