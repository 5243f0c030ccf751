#pragma once

#include <chrono>
#include <pqxx/connection>
#include <string>
#include <vector>

namespace callcenterd::store {

/// One row of caller_blocklist: digits, with a trailing '*' for a prefix.
struct blocklist_row {
  std::string pattern;
  std::string reason;
  friend bool operator==(const blocklist_row&, const blocklist_row&) = default;
};

/// Blocking (run it in a db_pool job): the entries in force at `now`, expired ones left out.
std::vector<blocklist_row> blocking_load_caller_blocklist(
    pqxx::connection& connection, std::chrono::system_clock::time_point now);

}  // namespace callcenterd::store
