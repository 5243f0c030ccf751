#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth_service.hpp"
#include "callcenterd/api/router.hpp"
#include "callcenterd/crm/crm_error.hpp"
#include "callcenterd/crm/customers.hpp"
#include "callcenterd/crm/knowledge_base.hpp"
#include "callcenterd/crm/tickets.hpp"
#include "query_reading.hpp"

namespace callcenterd::app {

// The CRM's records as the API shows them, and request bodies read into the CRM's inputs. A
// body of the wrong shape (not an object, a field of the wrong type, an unknown field) is a
// 400 `bad_request`; values that break the CRM's rules are left to its validation, which
// answers 400 `invalid` with every problem. Fields the API writes itself (id, created_at,
// updated_at, ...) are ignored in bodies, so a client may send back what it read. All
// functions here are pure and may run on any thread.

/// The answer to a CRM refusal: 400 `invalid` (with `problems`), 404 `not_found`, 409
/// `conflict` (another customer's number, with `problems`; a refused ticket move), 413
/// `too_large`. The error body carries `problems: [{field, message, line?}]` when there are
/// any; `line` only for problems found in a file.
api::response crm_error_response(const crm::crm_error& error);

/// 400 `bad_request` with `message`.
api::response bad_request(std::string_view message);

/// `body` parsed as a JSON object into `out`; else the 400 `bad_request` to send.
std::optional<api::response> read_json_object(const std::string& body, nlohmann::json& out);

/// The names of the fields a body sets, for the audit log (never their values).
nlohmann::json field_names(const nlohmann::json& body);

/// The ticket or article number in a path: a whole number from 1; nothing otherwise.
std::optional<std::int64_t> read_record_number(std::string_view text);

/// Reads `limit` (1..max_limit, default `fallback`) for a list without pages: an `offset` is
/// refused. On a bad value, the 400 `bad_query` response to send; else nullopt.
std::optional<api::response> read_limit(const api::request_context& ctx, std::int64_t& out,
                                        std::int64_t fallback, std::int64_t max_limit);

/// The customers `who` may see, from reachable_agents(): an admin (nullopt) everyone, others
/// the customers of the calls of the agents they reach.
crm::customer_visibility customer_visibility_for(
    const std::optional<std::vector<std::string>>& reachable);

/// The tickets `who` may see: an agent their own (assigned to or created by them), a
/// supervisor theirs plus those of their teams and of the agents they reach (`reachable`),
/// an admin every ticket.
crm::ticket_visibility ticket_visibility_for(const principal& who,
                                             std::vector<std::string> reachable);

// Customers: {id, name, phones: [{number, label}], account, vip_level, tags, notes,
// created_at, updated_at}.
nlohmann::json customer_json(const crm::customer& c);
nlohmann::json contact_json(const crm::contact_record& contact);
/// Reads {name, phones: ["+86..." | {number, label}], account: {}, vip_level, tags, notes}.
std::optional<api::response> read_customer_input(const nlohmann::json& body,
                                                 crm::customer_input& out);

// Tickets: {id, subject, description, status, priority, customer_id, call_id, assignee, team,
// due_at, created_by, created_at, updated_at} and, with `full`, comments and history.
nlohmann::json ticket_json(const crm::ticket& t, bool full);
nlohmann::json comment_json(const crm::ticket_comment& comment);
/// Reads {subject, description, status (not when `creating`), priority, customer_id, call_id,
/// assignee, team, due_at}; the last five take null to clear them. An unknown status or
/// priority name, or a due_at that is no ISO 8601 time, is a 400 `invalid`.
std::optional<api::response> read_ticket_input(const nlohmann::json& body, bool creating,
                                               crm::ticket_input& out);
/// The statuses of a comma-separated list ("new,open"); nothing when a name is unknown.
std::optional<std::vector<crm::ticket_status>> read_status_list(std::string_view text);

// Knowledge base: {id, title, body, category, tags, created_by, created_at, updated_at}.
nlohmann::json kb_article_json(const crm::kb_article& article);
nlohmann::json kb_hit_json(const crm::kb_hit& hit);
/// Reads {title, body, category, tags}.
std::optional<api::response> read_kb_input(const nlohmann::json& body, crm::kb_input& out);

}  // namespace callcenterd::app
