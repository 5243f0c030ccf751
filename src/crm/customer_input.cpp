// The rules a customer's fields must follow before anything is written.
#include <algorithm>

#include "callcenterd/core/wording.hpp"
#include "callcenterd/crm/customers.hpp"
#include "callcenterd/crm/phone_number.hpp"
#include "utf8.hpp"
#include "validation.hpp"

namespace callcenterd::crm {
namespace {

using limits = customer_limits;

void check_phones(std::vector<crm_problem>& problems, std::vector<customer_phone>& phones,
                  std::string_view country_code) {
  if (phones.size() > limits::max_phones) {
    problems.push_back(
        {0, "phones", "at most " + std::to_string(limits::max_phones) + " phone numbers"});
    return;
  }
  for (std::size_t i = 0; i < phones.size(); ++i) {
    const std::string field = "phones[" + std::to_string(i) + "]";
    auto& phone = phones[i];
    if (auto e164 = normalize_e164(phone.number, country_code)) {
      const bool repeated =
          std::any_of(phones.begin(), phones.begin() + static_cast<std::ptrdiff_t>(i),
                      [&](const customer_phone& p) { return p.number == *e164; });
      if (repeated) {
        problems.push_back({0, field + ".number", *e164 + " is given twice"});
      }
      phone.number = std::move(*e164);
    } else {
      problems.push_back(
          {0, field + ".number",
           (utf8::valid(phone.number) ? core::in_quotes(phone.number) : std::string("the value")) +
               " is not a phone number (digits with an optional leading + or 00; "
               "5 to 15 digits with the country code)"});
    }
    phone.label = std::string(utf8::trim(phone.label));
    check_text(problems, field + ".label", phone.label, limits::max_label_chars, false);
    if (phone.label.find_first_of(":;") != std::string::npos) {
      problems.push_back({0, field + ".label", field + ".label may not contain ':' or ';'"});
    }
  }
}

void check_tags(std::vector<crm_problem>& problems, std::vector<std::string>& tags) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    std::string tag(utf8::trim(tags[i]));
    if (tag.empty()) {
      problems.push_back({0, field, field + " is empty"});
      continue;
    }
    check_text(problems, field, tag, limits::max_tag_chars, false);
    if (tag.find(';') != std::string::npos) {
      problems.push_back({0, field, field + " may not contain ';'"});
    }
    if (std::find(kept.begin(), kept.end(), tag) == kept.end()) kept.push_back(std::move(tag));
  }
  if (kept.size() > limits::max_tags) {
    problems.push_back({0, "tags", "at most " + std::to_string(limits::max_tags) + " tags"});
  }
  tags = std::move(kept);
}

void check_account(std::vector<crm_problem>& problems, const nlohmann::json& account) {
  if (!account.is_object()) {
    problems.push_back({0, "account", "account must be a JSON object"});
    return;
  }
  if (account.size() > limits::max_account_fields) {
    problems.push_back(
        {0, "account",
         "account has more than " + std::to_string(limits::max_account_fields) + " fields"});
    return;
  }
  for (const auto& [key, value] : account.items()) {
    const bool key_ok = utf8::valid(key) && key.size() <= 4 * limits::max_account_key_chars;
    const std::string field = "account." + (key_ok ? key : std::string("?"));
    if (key.empty()) {
      problems.push_back({0, "account", "account has a field with an empty name"});
      continue;
    }
    check_text(problems, field, key, limits::max_account_key_chars, false);
    if (value.is_string()) {
      check_text(problems, field, value.get_ref<const std::string&>(),
                 limits::max_account_text_chars, true);
    } else if (!value.is_primitive()) {
      problems.push_back({0, field, field + " must be a string, number, true, false or null"});
    }
  }
}

}  // namespace

crm_result<customer_input> validate_customer_input(const customer_input& input,
                                                   std::string_view country_code, bool creating) {
  customer_input out = input;
  std::vector<crm_problem> problems;
  if (out.name) {
    out.name = std::string(utf8::trim(*out.name));
    if (out.name->empty()) {
      problems.push_back({0, "name", "name may not be empty"});
    } else {
      check_text(problems, "name", *out.name, limits::max_name_chars, false);
    }
  } else if (creating) {
    problems.push_back({0, "name", "name is required"});
  }
  if (out.phones) check_phones(problems, *out.phones, country_code);
  if (out.vip_level && (*out.vip_level < 0 || *out.vip_level > limits::max_vip_level)) {
    problems.push_back({0, "vip_level", "vip_level must be 0 to 5"});
  }
  if (out.tags) check_tags(problems, *out.tags);
  if (out.notes) check_text(problems, "notes", *out.notes, limits::max_notes_chars, true);
  if (out.account) check_account(problems, *out.account);
  if (!problems.empty()) return invalid_input(std::move(problems));
  return out;
}

}  // namespace callcenterd::crm
