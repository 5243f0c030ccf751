#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/crm/crm_error.hpp"

namespace callcenterd::crm {

// Customers: who the center talks to, their phone numbers, and the calls it had with them.
// Validation is pure (any thread). Every blocking_* function runs queries on `connection` and
// must run inside a db_pool job (store::db_pool::async_run), never on an I/O thread; bad client
// input comes back as a crm_error, while libpqxx exceptions (lost connection, server error)
// escape to the pool, which turns them into store::db_errc codes. `country_code` is the
// site's country calling code as digits ("86"), see normalize_e164().

/// One of a customer's numbers, E.164 once validated.
struct customer_phone {
  std::string number;
  std::string label;  ///< "mobile", "office", ...; may be empty
  friend bool operator==(const customer_phone&, const customer_phone&) = default;
};

/// A customer as stored.
struct customer {
  std::string id;  ///< UUID
  std::string name;
  std::vector<customer_phone> phones;                 ///< in the order given
  nlohmann::json account = nlohmann::json::object();  ///< the site's own fields, flat
  int vip_level = 0;                                  ///< 0 (none) to 5
  std::vector<std::string> tags;
  std::string notes;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
};

/// The limits validate_customer_input() enforces.
struct customer_limits {
  static constexpr std::size_t max_name_chars = 200;
  static constexpr std::size_t max_phones = 10;
  static constexpr std::size_t max_label_chars = 40;
  static constexpr int max_vip_level = 5;
  static constexpr std::size_t max_tags = 20;
  static constexpr std::size_t max_tag_chars = 40;
  static constexpr std::size_t max_notes_chars = 10'000;
  static constexpr std::size_t max_account_fields = 50;
  static constexpr std::size_t max_account_key_chars = 64;
  static constexpr std::size_t max_account_text_chars = 1'000;
};

/// What a client sends to create or change a customer. On update, a field left empty is
/// left as it is and a given field replaces the stored one entirely (phones and tags are
/// whole lists). On create, `name` is required and the rest defaults to empty / 0.
struct customer_input {
  std::optional<std::string> name;
  std::optional<std::vector<customer_phone>> phones;  ///< numbers as typed
  std::optional<nlohmann::json> account;
  std::optional<int> vip_level;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> notes;
};

/// `input` checked and cleaned, or crm_errc::invalid_input listing every broken rule by field:
/// name 1..200 characters after trimming, no control characters; at most 10 phones, each
/// normalised to E.164 with `country_code` and given once, labels up to 40 characters without
/// ':' or ';' (the separators of the CSV phones column); vip_level 0..5; at most 20 tags of
/// 1..40 characters without ';' (trimmed, repeats dropped); notes up to 10,000 characters;
/// account a JSON object of at most 50 fields, keys 1..64 characters, values strings (up to
/// 1,000 characters), numbers, booleans or null. `creating` makes `name` required. Pure.
crm_result<customer_input> validate_customer_input(const customer_input& input,
                                                   std::string_view country_code, bool creating);

/// Who may see which customers. Default-constructed: nobody. Built by the API from the
/// signed-in user: supervisors and admins see everyone; an agent sees the customers of calls
/// that agent had (call_records.agent, by login) plus the customers of the calls the agent
/// is handling right now (`extra_customer_ids`, which the call records do not hold yet).
struct customer_visibility {
  bool everyone = false;
  std::vector<std::string> agents;              ///< agent logins
  std::vector<std::string> extra_customer_ids;  ///< UUIDs; anything else matches nothing

  static customer_visibility all() { return customer_visibility{true, {}, {}}; }
  static customer_visibility of_agents(std::vector<std::string> agents,
                                       std::vector<std::string> extra_customer_ids = {}) {
    return customer_visibility{false, std::move(agents), std::move(extra_customer_ids)};
  }
};

/// Creates a customer with a new UUID. invalid_input as validate_customer_input();
/// crm_errc::conflict naming the owner when a number belongs to another customer (checked
/// before writing, and again by the table so that a concurrent create cannot slip through).
crm_result<customer> blocking_create_customer(pqxx::connection& connection,
                                              const customer_input& input,
                                              std::string_view country_code);

/// The customer `id`, or crm_errc::not_found when there is none, `id` is not a UUID, or
/// `visibility` does not cover it.
crm_result<customer> blocking_get_customer(pqxx::connection& connection, std::string_view id,
                                           const customer_visibility& visibility);

/// Replaces the fields given in `input` (see customer_input); not_found, invalid_input and
/// conflict as for create. Who may write is the caller's decision.
crm_result<customer> blocking_update_customer(pqxx::connection& connection, std::string_view id,
                                              const customer_input& input,
                                              std::string_view country_code);

/// Deletes the customer and its numbers; its tickets stay, unlinked. not_found when absent.
crm_result<void> blocking_delete_customer(pqxx::connection& connection, std::string_view id);

/// A search: words or a number in `q` (empty: everyone), one page of results.
struct customer_query {
  std::string q;
  std::size_t limit = 50;  ///< 1..500
  std::size_t offset = 0;
};

struct customer_page {
  std::vector<customer> items;
  std::size_t total = 0;  ///< matches in all pages
};

/// Customers matching `query` that `visibility` covers. A `q` made of digits and separators
/// (at least 3 digits, see e164_prefix()) finds numbers that start with it in E.164 or
/// contain its digits (4 or more: agents type the last digits); any other `q` is words
/// matched against name, tags and notes (every word must occur; Chinese by bigrams, so
/// "张伟" finds "张伟明"; the last Latin word as a prefix). Best matches first, then by name.
/// invalid_input for a limit outside 1..500.
crm_result<customer_page> blocking_search_customers(pqxx::connection& connection,
                                                    const customer_query& query,
                                                    const customer_visibility& visibility,
                                                    std::string_view country_code);

/// One call with a customer, from call_records.
struct contact_record {
  std::string call_id;
  std::chrono::system_clock::time_point started_at;
  /// "outbound" for a call the center placed to call the customer back (callback_of is
  /// set), else "inbound": call_records keep no other direction.
  std::string direction;
  std::string dialed;
  std::string caller;
  std::optional<std::string> queue;
  std::optional<std::string> agent;
  std::string disposition;
  std::int64_t talk_ms = 0;
  std::optional<std::int64_t> wait_ms;
  std::optional<std::string> recording_id;  ///< the recording's call_uuid when indexed
  bool recording_completed = false;         ///< false: the recording failed (no file to play)
};

/// The customer's calls, newest first, at most `limit` (1..500, else invalid_input). An
/// unknown customer has no calls; visibility is the caller's check (get the customer first).
crm_result<std::vector<contact_record>> blocking_contact_history(pqxx::connection& connection,
                                                                 std::string_view customer_id,
                                                                 std::size_t limit);

}  // namespace callcenterd::crm
