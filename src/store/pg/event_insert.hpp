#pragma once

#include <cstddef>
#include <functional>
#include <pqxx/connection>
#include <string>

namespace callcenterd::store::detail {

/// A db_pool job inserting a JSON array of encoded event rows (see encode_event_row) in
/// array order with ON CONFLICT (id) DO NOTHING, in one transaction. Returns the number of
/// rows actually inserted (conflicts excluded). Runs on a pool thread.
std::function<std::size_t(pqxx::connection&)> make_event_insert_job(std::string rows_json);

}  // namespace callcenterd::store::detail
