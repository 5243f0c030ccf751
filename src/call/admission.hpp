#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace callcenterd::call::detail {

/// Addresses and CIDR blocks (a trunk's `allow` list). Immutable; any strand.
class address_set {
 public:
  /// Entries that do not parse are skipped: configuration checked them already.
  explicit address_set(const std::vector<std::string>& entries);
  bool contains(const boost::asio::ip::address& address) const;

 private:
  std::vector<std::variant<boost::asio::ip::network_v4, boost::asio::ip::network_v6>> networks_;
};

/// Why a new call may not start.
enum class admission_refusal { none, too_many_calls, source_rate };

/// The call limits: concurrent calls over the whole daemon, and new calls per second from
/// one source address (a token bucket of that rate and a depth of one second's worth).
/// Thread-safe: admit() runs on any shard strand.
class admission {
 public:
  using clock = std::chrono::steady_clock;
  admission(unsigned max_calls, unsigned max_rate_per_source);

  /// Takes a call slot and a token of `source`, or says why not.
  admission_refusal admit(const boost::asio::ip::address& source, clock::time_point now);
  /// Takes a call slot for a call the daemon places itself (a callback): no source to limit.
  bool admit_outbound();
  /// Gives a call slot back when the call ends.
  void release();
  std::size_t active() const;

 private:
  struct bucket {
    double tokens = 0;
    clock::time_point refilled;
  };

  unsigned max_calls_;
  double rate_;
  mutable std::mutex mutex_;
  std::size_t active_ = 0;
  std::unordered_map<boost::asio::ip::address, bucket> buckets_;
  clock::time_point last_sweep_;
};

}  // namespace callcenterd::call::detail
