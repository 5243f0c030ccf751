// The in-memory caller lookup: phone number to customer summary, shared by every call.
#include "callcenterd/crm/customer_directory.hpp"

#include <algorithm>
#include <mutex>

#include "callcenterd/crm/phone_number.hpp"

namespace callcenterd::crm {

std::shared_ptr<const customer_summary> customer_directory::lookup(std::string_view e164) const {
  std::shared_lock lock(mutex_);
  const auto found = by_number_.find(e164);
  return found == by_number_.end() ? nullptr : found->second;
}

std::shared_ptr<const customer_summary> customer_directory::lookup_caller(
    std::string_view raw_number, std::string_view country_code) const {
  if (const auto e164 = normalize_e164(raw_number, country_code)) {
    if (auto found = lookup(*e164)) return found;
  }
  const bool digits_only =
      !raw_number.empty() && std::all_of(raw_number.begin(), raw_number.end(),
                                         [](char c) { return c >= '0' && c <= '9'; });
  if (digits_only && !country_code.empty() && raw_number.starts_with(country_code)) {
    if (const auto international = normalize_e164("+" + std::string(raw_number), country_code)) {
      return lookup(*international);
    }
  }
  return nullptr;
}

void customer_directory::put(const customer& c) {
  auto summary =
      std::make_shared<const customer_summary>(customer_summary{c.id, c.name, c.vip_level, c.tags});
  std::vector<std::string> numbers;
  numbers.reserve(c.phones.size());
  for (const auto& phone : c.phones) numbers.push_back(phone.number);

  std::unique_lock lock(mutex_);
  erase_locked(c.id);
  for (const auto& number : numbers) {
    // The number moves: its previous owner no longer lists it.
    if (const auto held = by_number_.find(number); held != by_number_.end()) {
      if (const auto owner = numbers_of_.find(held->second->id); owner != numbers_of_.end()) {
        std::erase(owner->second, number);
      }
    }
    by_number_[number] = summary;
  }
  if (!numbers.empty()) numbers_of_[c.id] = std::move(numbers);
}

void customer_directory::erase(std::string_view customer_id) {
  std::unique_lock lock(mutex_);
  erase_locked(customer_id);
}

void customer_directory::erase_locked(std::string_view customer_id) {
  const auto owned = numbers_of_.find(customer_id);
  if (owned == numbers_of_.end()) return;
  for (const auto& number : owned->second) {
    const auto held = by_number_.find(number);
    if (held != by_number_.end() && held->second->id == customer_id) by_number_.erase(held);
  }
  numbers_of_.erase(owned);
}

std::size_t customer_directory::size() const {
  std::shared_lock lock(mutex_);
  return by_number_.size();
}

}  // namespace callcenterd::crm
