#pragma once

#include <atomic>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "callcenterd/sip/auth_throttle.hpp"
#include "callcenterd/sip/digest_authenticator.hpp"
#include "callcenterd/sip/flow.hpp"
#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip {

namespace ua_detail {
struct register_request;
struct register_refusal;
}  // namespace ua_detail

/// One SIP identity (extension) with its digest hashes.
struct sip_account {
  std::string extension;
  stored_ha1 ha1;
  std::string display_name;
  bool disabled = false;
};

/// The accounts the registrar and the call admission authenticate against, held in memory and
/// replaced as a whole when the directory changes. Thread-safe: find() from any strand,
/// replace() from wherever the directory is loaded.
class account_directory {
 public:
  void replace(std::vector<sip_account> accounts);
  std::optional<sip_account> find(std::string_view extension) const;
  std::size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, sip_account> accounts_;
};

/// A registered contact and the flow its REGISTER came over: requests to the contact go back
/// over that flow (symmetric routing, which is what reaches phones behind NAT).
struct binding {
  std::string extension;
  std::string contact;  ///< the Contact URI as text, canonical form; the binding's key
  flow path;
  std::string call_id;
  std::uint32_t cseq = 0;
  std::string instance_id;
  std::uint32_t reg_id = 0;
  std::uint16_t q_milli = 1000;
  std::string user_agent;
  std::chrono::system_clock::time_point registered_at;
  std::chrono::system_clock::time_point expires_at;
  friend bool operator==(const binding&, const binding&) = default;
};

/// Where the registrar's changes go to be kept (the app writes them to PostgreSQL).
struct binding_changes {
  std::vector<binding> upserts;
  std::vector<std::pair<std::string, std::string>> removals;  ///< (extension, contact)
};
using binding_sink = std::function<void(binding_changes)>;

struct registrar_settings {
  std::chrono::seconds min_expires{60};
  std::chrono::seconds max_expires{3600};
  std::chrono::seconds default_expires{600};
  unsigned max_contacts = 10;
  std::string user_agent = "callcenterd";
};

struct registrar_stats {
  std::uint64_t registrations_ok = 0;  ///< REGISTERs answered 200
  std::uint64_t unregistrations = 0;   ///< bindings removed by request (expires 0)
  std::uint64_t challenges = 0;        ///< 401s sent
  std::uint64_t auth_failures = 0;     ///< wrong password or unknown user
  std::uint64_t throttled_drops = 0;   ///< requests unanswered because the source is blocked
  std::uint64_t rejected = 0;          ///< 400, 403, 423, 500 for other reasons
  std::uint64_t expired = 0;           ///< bindings removed by expiry
  std::size_t bindings = 0;            ///< bindings now
};

/// The outcome of authenticating a request from a phone.
struct auth_result {
  enum class kind {
    authenticated,  ///< `extension` is who sent it
    challenge,      ///< answer with `response` (401 with challenges)
    refused,        ///< answer with `response` (403)
    drop,           ///< the source is throttled: send nothing
  };
  kind what = kind::drop;
  std::string extension;
  std::optional<sip_message> response;
};

/// Digest authentication of requests from phones (REGISTER, INVITE, ...), with the per-source
/// throttle. An unknown user and a wrong password get the same 403. Thread-safe.
class request_authenticator {
 public:
  request_authenticator(digest_authenticator& digest, auth_throttle& throttle,
                        const account_directory& accounts, std::string server_header);
  /// Checks the request's Digest credentials. `expected_user`, when given, must equal the
  /// authenticated user (the AOR of a REGISTER).
  auth_result authenticate(const received_message& request,
                           std::optional<std::string_view> expected_user);
  std::uint64_t challenges() const { return challenges_.load(std::memory_order_relaxed); }
  std::uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }
  std::uint64_t throttled() const { return throttled_.load(std::memory_order_relaxed); }
  std::uint64_t successes() const { return successes_.load(std::memory_order_relaxed); }

 private:
  sip_message challenge(const sip_message& request, bool stale,
                        std::chrono::steady_clock::time_point now);
  sip_message forbidden(const sip_message& request);

  digest_authenticator& digest_;
  auth_throttle& throttle_;
  const account_directory& accounts_;
  std::string server_header_;
  std::atomic<std::uint64_t> challenges_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> throttled_{0};
  std::atomic<std::uint64_t> successes_{0};
};

/// The registrar (RFC 3261 §10.3): bindings in memory, changes handed to a sink to be kept.
/// Thread-safe: handle_register() and lookup() run on any shard's strand concurrently.
class registrar {
 public:
  registrar(registrar_settings settings, request_authenticator& auth, binding_sink sink);

  /// The response to a REGISTER, or nullopt when nothing may be sent (throttled source).
  std::optional<sip_message> handle_register(const received_message& request,
                                             std::chrono::system_clock::time_point now);
  /// Live bindings of `extension`, highest q first, then most recent.
  std::vector<binding> lookup(std::string_view extension,
                              std::chrono::system_clock::time_point now) const;
  /// Loads bindings kept from an earlier run (expired ones are skipped).
  void restore(std::vector<binding> bindings, std::chrono::system_clock::time_point now);
  /// Removes expired bindings; call every few seconds.
  void expire(std::chrono::system_clock::time_point now);
  /// Removes the bindings that registered over a WebSocket connection that closed: such a
  /// peer cannot be dialled again.
  void connection_closed(const flow& connection);
  registrar_stats stats() const;

 private:
  struct aor {
    std::vector<binding> bindings;
  };
  void publish(binding_changes changes);
  /// Removes every binding `doomed` picks, publishes the removals; returns how many.
  std::size_t remove_bindings_if(const std::function<bool(const binding&)>& doomed);
  /// Applies a checked REGISTER to the extension's bindings under the lock: the changes to
  /// keep and the bindings now, or why it is refused (out of order, too many contacts).
  auto update_bindings(const std::string& extension, const ua_detail::register_request& wanted,
                       const received_message& request, std::chrono::system_clock::time_point now)
      -> boost::system::result<std::pair<binding_changes, std::vector<binding>>,
                               ua_detail::register_refusal>;

  registrar_settings settings_;
  request_authenticator& auth_;
  binding_sink sink_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, aor> aors_;
  std::size_t binding_count_ = 0;
  registrar_stats stats_;
};

}  // namespace callcenterd::sip
