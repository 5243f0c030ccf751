// The ticket workflow and the rules a ticket's fields follow: pure, so the API and the tests
// can ask without a database.
#include <algorithm>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/crm/tickets.hpp"
#include "utf8.hpp"
#include "validation.hpp"

namespace callcenterd::crm {
namespace {

constexpr std::size_t max_subject_chars = 200;
constexpr std::size_t max_description_chars = 20'000;
constexpr std::size_t max_team_chars = 64;
constexpr std::size_t max_login_chars = 64;

bool is_login(std::string_view text) {
  return !text.empty() && text.size() <= max_login_chars &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '@' || c == '-';
         });
}

// Trims the inner text of a nullable change; an empty text means "none".
void normalise(std::optional<std::optional<std::string>>& change) {
  if (change && *change) {
    std::string trimmed(utf8::trim(**change));
    if (trimmed.empty()) {
      change->reset();
    } else {
      **change = std::move(trimmed);
    }
  }
}

}  // namespace

std::string_view to_string(ticket_status s) noexcept {
  switch (s) {
    case ticket_status::new_:
      return "new";
    case ticket_status::open:
      return "open";
    case ticket_status::pending:
      return "pending";
    case ticket_status::resolved:
      return "resolved";
    case ticket_status::closed:
      return "closed";
  }
  return "new";
}

std::string_view to_string(ticket_priority p) noexcept {
  switch (p) {
    case ticket_priority::low:
      return "low";
    case ticket_priority::normal:
      return "normal";
    case ticket_priority::high:
      return "high";
    case ticket_priority::urgent:
      return "urgent";
  }
  return "normal";
}

std::optional<ticket_status> parse_ticket_status(std::string_view text) noexcept {
  for (const auto s : {ticket_status::new_, ticket_status::open, ticket_status::pending,
                       ticket_status::resolved, ticket_status::closed}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::optional<ticket_priority> parse_ticket_priority(std::string_view text) noexcept {
  for (const auto p : {ticket_priority::low, ticket_priority::normal, ticket_priority::high,
                       ticket_priority::urgent}) {
    if (to_string(p) == text) return p;
  }
  return std::nullopt;
}

bool may_move(ticket_status from, ticket_status to) noexcept {
  using s = ticket_status;
  switch (from) {
    case s::new_:
      return to == s::open || to == s::pending || to == s::resolved || to == s::closed;
    case s::open:
      return to == s::pending || to == s::resolved || to == s::closed;
    case s::pending:
      return to == s::open || to == s::resolved || to == s::closed;
    case s::resolved:
      return to == s::open || to == s::closed;
    case s::closed:
      return false;
  }
  return false;
}

crm_result<ticket_input> validate_ticket_input(const ticket_input& input, bool creating) {
  ticket_input out = input;
  std::vector<crm_problem> problems;
  if (out.subject) {
    out.subject = std::string(utf8::trim(*out.subject));
    if (out.subject->empty()) {
      problems.push_back({0, "subject", "subject may not be empty"});
    } else {
      check_text(problems, "subject", *out.subject, max_subject_chars, false);
    }
  } else if (creating) {
    problems.push_back({0, "subject", "subject is required"});
  }
  if (out.description) {
    check_text(problems, "description", *out.description, max_description_chars, true);
  }
  if (creating && out.status) {
    problems.push_back({0, "status", "a new ticket starts as new; change its status later"});
  }
  normalise(out.assignee);
  normalise(out.team);
  normalise(out.customer_id);
  normalise(out.call_id);
  if (out.assignee && *out.assignee && !is_login(**out.assignee)) {
    problems.push_back(
        {0, "assignee", "assignee must be a login (1 to 64 of A-Z a-z 0-9 _ . @ -)"});
  }
  if (out.team && *out.team) check_text(problems, "team", **out.team, max_team_chars, false);
  if (out.customer_id && *out.customer_id && !core::is_uuid(**out.customer_id)) {
    problems.push_back({0, "customer_id", "customer_id is not a UUID"});
  }
  if (out.call_id && *out.call_id && !core::is_uuid(**out.call_id)) {
    problems.push_back({0, "call_id", "call_id is not a UUID"});
  }
  if (out.due_at && *out.due_at) {
    using namespace std::chrono;
    // Outside these years a due time is a typo, and far beyond them it would not fit the
    // microsecond arithmetic on the way to PostgreSQL.
    constexpr auto earliest = sys_days{year{2000} / January / 1};
    constexpr auto latest = sys_days{year{2200} / January / 1};
    if (**out.due_at < earliest || **out.due_at >= latest) {
      problems.push_back({0, "due_at", "due_at must be between the years 2000 and 2199"});
    }
  }
  if (!problems.empty()) return invalid_input(std::move(problems));
  return out;
}

}  // namespace callcenterd::crm
