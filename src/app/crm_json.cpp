// The CRM's records as JSON and request bodies read into its inputs: shapes checked here,
// rules left to the CRM's validation, so that a client learns every broken rule at once.
#include "crm_json.hpp"

#include <charconv>
#include <initializer_list>
#include <limits>

#include "time_text.hpp"

namespace callcenterd::app {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

json time_json(std::chrono::system_clock::time_point at) { return iso_utc(at); }

template <class T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json problems_json(const std::vector<crm::crm_problem>& problems) {
  json out = json::array();
  for (const auto& p : problems) {
    json one = {{"field", p.field}, {"message", p.message}};
    if (p.line != 0) one["line"] = p.line;
    out.push_back(std::move(one));
  }
  return out;
}

/// Why a body has the wrong shape: the first wrong field, empty while all are right.
struct shape_check {
  std::string why;

  void wrong(std::string_view field, std::string_view expected) {
    if (why.empty()) why = std::string(field) + " must be " + std::string(expected);
  }

  /// Refuses a field that is neither in `known` nor in `ignored` (the fields the API writes).
  void only(const json& body, std::initializer_list<std::string_view> known,
            std::initializer_list<std::string_view> ignored) {
    for (const auto& item : body.items()) {
      const auto& key = item.key();
      const auto in = [&key](std::initializer_list<std::string_view> names) {
        for (const auto name : names) {
          if (name == key) return true;
        }
        return false;
      };
      if (!in(known) && !in(ignored) && why.empty()) why = "unknown field " + key;
    }
  }

  std::optional<std::string> text(const json& body, const char* name) {
    const auto found = body.find(name);
    if (found == body.end()) return std::nullopt;
    if (!found->is_string()) {
      wrong(name, "a string");
      return std::nullopt;
    }
    return found->get<std::string>();
  }

  /// A field that null clears: nothing when absent, an empty inner value for null.
  std::optional<std::optional<std::string>> nullable_text(const json& body, const char* name) {
    const auto found = body.find(name);
    if (found == body.end()) return std::nullopt;
    if (found->is_null()) return std::optional<std::string>();
    if (!found->is_string()) {
      wrong(name, "a string or null");
      return std::nullopt;
    }
    return std::optional<std::string>(found->get<std::string>());
  }

  std::optional<std::vector<std::string>> text_list(const json& body, const char* name) {
    const auto found = body.find(name);
    if (found == body.end()) return std::nullopt;
    if (!found->is_array()) {
      wrong(name, "an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : *found) {
      if (!item.is_string()) {
        wrong(name, "an array of strings");
        return std::nullopt;
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }
};

std::optional<std::vector<crm::customer_phone>> read_phones(const json& body, shape_check& shape) {
  const auto found = body.find("phones");
  if (found == body.end()) return std::nullopt;
  constexpr std::string_view expected = "an array of numbers or {\"number\", \"label\"} objects";
  if (!found->is_array()) {
    shape.wrong("phones", expected);
    return std::nullopt;
  }
  std::vector<crm::customer_phone> out;
  for (const auto& item : *found) {
    if (item.is_string()) {
      out.push_back({item.get<std::string>(), ""});
      continue;
    }
    const auto field = "phones[" + std::to_string(out.size()) + "]";
    if (!item.is_object()) {
      shape.wrong(field, "a number or a {\"number\", \"label\"} object");
      return std::nullopt;
    }
    shape_check inner;
    inner.only(item, {"number", "label"}, {});
    const auto number = inner.text(item, "number");
    const auto label = inner.text(item, "label");
    if (!inner.why.empty() || !number) {
      shape.wrong(field, "a number or a {\"number\", \"label\"} object");
      return std::nullopt;
    }
    out.push_back({*number, label.value_or("")});
  }
  return out;
}

api::response invalid(std::vector<crm::crm_problem> problems) {
  return crm_error_response(
      crm::make_crm_error(crm::crm_errc::invalid_input, problems.front().message, problems));
}

}  // namespace

api::response crm_error_response(const crm::crm_error& error) {
  using crm::crm_errc;
  auto status = http::status::internal_server_error;
  std::string_view code = "internal_error";
  if (error.code == crm_errc::invalid_input) {
    status = http::status::bad_request;
    code = "invalid";
  } else if (error.code == crm_errc::not_found) {
    status = http::status::not_found;
    code = "not_found";
  } else if (error.code == crm_errc::conflict || error.code == crm_errc::refused_transition) {
    status = http::status::conflict;
    code = "conflict";
  } else if (error.code == crm_errc::too_large) {
    status = http::status::payload_too_large;
    code = "too_large";
  }
  json detail = {{"code", code},
                 {"message", error.message.empty() ? error.code.message() : error.message}};
  if (!error.problems.empty()) detail["problems"] = problems_json(error.problems);
  return api::json_response(status, {{"error", std::move(detail)}});
}

api::response bad_request(std::string_view message) {
  return api::error_response(http::status::bad_request, "bad_request", message);
}

std::optional<api::response> read_json_object(const std::string& body, json& out) {
  out = json::parse(body, nullptr, false);
  if (out.is_discarded() || !out.is_object()) {
    return bad_request("the body must be a JSON object");
  }
  return std::nullopt;
}

json field_names(const json& body) {
  json out = json::array();
  for (const auto& item : body.items()) out.push_back(item.key());
  return out;
}

std::optional<std::int64_t> read_record_number(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 1) return std::nullopt;
  return value;
}

std::optional<api::response> read_limit(const api::request_context& ctx, std::int64_t& out,
                                        std::int64_t fallback, std::int64_t max_limit) {
  page range;
  if (auto refused = read_page(ctx, range, fallback, max_limit)) return refused;
  if (ctx.query_param("offset")) {
    return bad_query("this list takes no offset: ask for a larger limit");
  }
  out = range.limit;
  return std::nullopt;
}

crm::customer_visibility customer_visibility_for(
    const std::optional<std::vector<std::string>>& reachable) {
  if (!reachable) return crm::customer_visibility::all();
  return crm::customer_visibility::of_agents(*reachable);
}

crm::ticket_visibility ticket_visibility_for(const principal& who,
                                             std::vector<std::string> reachable) {
  switch (who.role) {
    case user_role::admin:
      return crm::ticket_visibility::admin();
    case user_role::supervisor:
      return crm::ticket_visibility::supervisor(who.login, who.teams, std::move(reachable));
    case user_role::agent:
      break;
  }
  return crm::ticket_visibility::agent(who.login);
}

json customer_json(const crm::customer& c) {
  json phones = json::array();
  for (const auto& phone : c.phones) {
    phones.push_back({{"number", phone.number}, {"label", phone.label}});
  }
  return {{"id", c.id},
          {"name", c.name},
          {"phones", std::move(phones)},
          {"account", c.account},
          {"vip_level", c.vip_level},
          {"tags", c.tags},
          {"notes", c.notes},
          {"created_at", time_json(c.created_at)},
          {"updated_at", time_json(c.updated_at)}};
}

json contact_json(const crm::contact_record& contact) {
  return {{"call_id", contact.call_id},
          {"started_at", time_json(contact.started_at)},
          {"direction", contact.direction},
          {"caller", contact.caller},
          {"dialed", contact.dialed},
          {"queue", optional_json(contact.queue)},
          {"agent", optional_json(contact.agent)},
          {"disposition", contact.disposition},
          {"talk_ms", contact.talk_ms},
          {"wait_ms", optional_json(contact.wait_ms)},
          {"recording_id", optional_json(contact.recording_id)},
          {"recording_completed", contact.recording_completed}};
}

std::optional<api::response> read_customer_input(const json& body, crm::customer_input& out) {
  shape_check shape;
  shape.only(body, {"name", "phones", "account", "vip_level", "tags", "notes"},
             {"id", "created_at", "updated_at", "recent_contacts"});
  out = crm::customer_input{};
  out.name = shape.text(body, "name");
  out.phones = read_phones(body, shape);
  out.tags = shape.text_list(body, "tags");
  out.notes = shape.text(body, "notes");
  if (const auto account = body.find("account"); account != body.end()) {
    if (account->is_object()) {
      out.account = *account;
    } else {
      shape.wrong("account", "an object");
    }
  }
  if (!shape.why.empty()) return bad_request(shape.why);
  if (const auto vip = body.find("vip_level"); vip != body.end()) {
    if (!vip->is_number_integer()) return bad_request("vip_level must be a whole number");
    // Out of int's range is out of 0..5 too: said as the CRM says it, not cut to fit.
    const bool fits = vip->is_number_unsigned()
                          ? vip->get<std::uint64_t>() <= std::numeric_limits<int>::max()
                          : vip->get<std::int64_t>() >= std::numeric_limits<int>::min() &&
                                vip->get<std::int64_t>() <= std::numeric_limits<int>::max();
    if (!fits) return invalid({{0, "vip_level", "vip_level must be from 0 to 5"}});
    out.vip_level = static_cast<int>(vip->get<std::int64_t>());
  }
  return std::nullopt;
}

json comment_json(const crm::ticket_comment& comment) {
  return {{"id", comment.id},
          {"author", comment.author},
          {"body", comment.body},
          {"created_at", time_json(comment.created_at)}};
}

json ticket_json(const crm::ticket& t, bool full) {
  json out = {{"id", t.id},
              {"subject", t.subject},
              {"description", t.description},
              {"status", crm::to_string(t.status)},
              {"priority", crm::to_string(t.priority)},
              {"customer_id", optional_json(t.customer_id)},
              {"call_id", optional_json(t.call_id)},
              {"assignee", optional_json(t.assignee)},
              {"team", optional_json(t.team)},
              {"due_at", t.due_at ? time_json(*t.due_at) : json(nullptr)},
              {"created_by", t.created_by},
              {"created_at", time_json(t.created_at)},
              {"updated_at", time_json(t.updated_at)}};
  if (!full) return out;
  json comments = json::array();
  for (const auto& comment : t.comments) comments.push_back(comment_json(comment));
  json history = json::array();
  for (const auto& change : t.history) {
    history.push_back({{"id", change.id},
                       {"actor", change.actor},
                       {"at", time_json(change.at)},
                       {"field", change.field},
                       {"old_value", optional_json(change.old_value)},
                       {"new_value", optional_json(change.new_value)}});
  }
  out["comments"] = std::move(comments);
  out["history"] = std::move(history);
  return out;
}

std::optional<api::response> read_ticket_input(const json& body, bool creating,
                                               crm::ticket_input& out) {
  shape_check shape;
  shape.only(body,
             {"subject", "description", "status", "priority", "customer_id", "call_id", "assignee",
              "team", "due_at"},
             {"id", "created_by", "created_at", "updated_at", "comments", "history"});
  out = crm::ticket_input{};
  out.subject = shape.text(body, "subject");
  out.description = shape.text(body, "description");
  const auto status = shape.text(body, "status");
  const auto priority = shape.text(body, "priority");
  out.customer_id = shape.nullable_text(body, "customer_id");
  out.call_id = shape.nullable_text(body, "call_id");
  out.assignee = shape.nullable_text(body, "assignee");
  out.team = shape.nullable_text(body, "team");
  const auto due = shape.nullable_text(body, "due_at");
  if (!shape.why.empty()) return bad_request(shape.why);

  std::vector<crm::crm_problem> problems;
  if (status) {
    out.status = crm::parse_ticket_status(*status);
    if (creating) {
      problems.push_back({0, "status", "a new ticket starts as new: leave status out"});
    } else if (!out.status) {
      problems.push_back({0, "status", "status must be new, open, pending, resolved or closed"});
    }
  }
  if (priority) {
    out.priority = crm::parse_ticket_priority(*priority);
    if (!out.priority) {
      problems.push_back({0, "priority", "priority must be low, normal, high or urgent"});
    }
  }
  if (due) {
    if (!*due) {
      out.due_at = std::optional<std::chrono::system_clock::time_point>();
    } else if (const auto at = parse_iso_time(**due)) {
      out.due_at = std::optional<std::chrono::system_clock::time_point>(*at);
    } else {
      problems.push_back({0, "due_at", "due_at must be an ISO 8601 date or time"});
    }
  }
  if (!problems.empty()) return invalid(std::move(problems));
  return std::nullopt;
}

std::optional<std::vector<crm::ticket_status>> read_status_list(std::string_view text) {
  std::vector<crm::ticket_status> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto name = text.substr(0, comma);
    const auto status = crm::parse_ticket_status(name);
    if (!status) return std::nullopt;
    out.push_back(*status);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return std::nullopt;  // a trailing comma
  }
  return out;
}

json kb_article_json(const crm::kb_article& article) {
  return {{"id", article.id},
          {"title", article.title},
          {"body", article.body},
          {"category", article.category},
          {"tags", article.tags},
          {"created_by", article.created_by},
          {"created_at", time_json(article.created_at)},
          {"updated_at", time_json(article.updated_at)}};
}

json kb_hit_json(const crm::kb_hit& hit) {
  return {{"id", hit.id},
          {"title", hit.title},
          {"category", hit.category},
          {"tags", hit.tags},
          {"rank", hit.rank},
          {"snippet", hit.snippet},
          {"updated_at", time_json(hit.updated_at)}};
}

std::optional<api::response> read_kb_input(const json& body, crm::kb_input& out) {
  shape_check shape;
  shape.only(body, {"title", "body", "category", "tags"},
             {"id", "created_by", "created_at", "updated_at"});
  out = crm::kb_input{};
  out.title = shape.text(body, "title");
  out.body = shape.text(body, "body");
  out.category = shape.text(body, "category");
  out.tags = shape.text_list(body, "tags");
  if (!shape.why.empty()) return bad_request(shape.why);
  return std::nullopt;
}

}  // namespace callcenterd::app
