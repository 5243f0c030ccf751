#pragma once

#include <cstddef>
#include <memory>
#include <pqxx/connection>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "callcenterd/crm/customers.hpp"

namespace callcenterd::crm {

/// What the call path needs to know about a caller: enough for routing (VIP level, tags) and
/// the screen pop's first line, without a database round trip.
struct customer_summary {
  std::string id;
  std::string name;
  int vip_level = 0;
  std::vector<std::string> tags;
  friend bool operator==(const customer_summary&, const customer_summary&) = default;
};

/// Customers by phone number, in memory, for the call path: an IVR flow or the ACD asks
/// "who is calling?" for every call and must not wait on PostgreSQL. Thread-safe: lookups
/// take a shared lock on a hash map and may run on any strand at any rate; writes take the
/// lock exclusively. Loaded once at start (blocking_load), then kept current by the API after
/// each write (put, erase) — a customer changed by other means appears after the next load.
class customer_directory {
 public:
  customer_directory() = default;
  customer_directory(const customer_directory&) = delete;
  customer_directory& operator=(const customer_directory&) = delete;

  /// The customer that owns `e164` (exactly as stored, e.g. "+8613800138000"), or null.
  /// Any thread.
  std::shared_ptr<const customer_summary> lookup(std::string_view e164) const;

  /// The customer behind a caller's number as it arrives (a From user part such as
  /// "13800138000", "+86 138 0013 8000" or "008613800138000"), normalised with
  /// normalize_e164(); a number of digits only that starts with `country_code` is also tried
  /// as international, because trunks often send "8613800138000" without the '+'. Null for
  /// an anonymous or unknown caller. Any thread.
  std::shared_ptr<const customer_summary> lookup_caller(std::string_view raw_number,
                                                        std::string_view country_code) const;

  /// Adds or replaces `c` under its numbers (which must be E.164, as stored); numbers it no
  /// longer has are dropped and a number it took from another customer moves to it. Call
  /// after each successful create or update. Any thread.
  void put(const customer& c);

  /// Drops the customer `customer_id` and its numbers. Any thread.
  void erase(std::string_view customer_id);

  /// How many numbers are known. Any thread.
  std::size_t size() const;

  /// Blocking: replaces the whole directory with the customers in PostgreSQL. Run it inside a
  /// db_pool job (libpqxx exceptions escape to the pool; the old contents stay then). A put()
  /// racing with a load may be lost in it, so load before the API takes writes, or load again.
  void blocking_load(pqxx::connection& connection);

 private:
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  using number_map = std::unordered_map<std::string, std::shared_ptr<const customer_summary>,
                                        text_hash, std::equal_to<>>;
  using owner_map =
      std::unordered_map<std::string, std::vector<std::string>, text_hash, std::equal_to<>>;

  void erase_locked(std::string_view customer_id);

  mutable std::shared_mutex mutex_;
  number_map by_number_;  ///< E.164 number to its customer
  owner_map numbers_of_;  ///< customer id to its numbers, to drop them on put and erase
};

}  // namespace callcenterd::crm
