#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <vector>

namespace callcenterd::store {

// The SIP side of the directory: extensions with their digest hashes, and the registrations
// the registrar writes behind. Every function here blocks on PostgreSQL: call them inside a
// db_pool job (db_pool::async_run), never on an I/O thread.

/// One row of sip_accounts. Only digests (RFC 8760 HA1) are stored, never a password.
struct sip_account_row {
  std::string extension;
  std::string realm;
  std::string ha1_md5;
  std::string ha1_sha256;
  /// The user's display name; empty when the extension belongs to nobody.
  std::string display_name;
  bool user_disabled = false;
};

/// Every SIP account. The registrar keeps them in memory: a site has thousands at most, and
/// authentication at thousands of requests per second must not wait on the database.
std::vector<sip_account_row> blocking_load_sip_accounts(pqxx::connection& connection);

/// One registered contact and the flow it registered over.
struct sip_registration_row {
  std::string extension;
  std::string contact;
  std::string transport;  ///< udp, tcp, tls, ws or wss
  std::string local_address;
  std::uint16_t local_port = 0;
  std::string remote_address;
  std::uint16_t remote_port = 0;
  std::string call_id;
  std::uint32_t cseq = 0;
  std::string instance_id;
  std::uint32_t reg_id = 0;
  std::uint16_t q_milli = 1000;
  std::string user_agent;
  std::chrono::system_clock::time_point registered_at;
  std::chrono::system_clock::time_point expires_at;

  friend bool operator==(const sip_registration_row&, const sip_registration_row&) = default;
};

/// Registrations that have not expired at `now`.
std::vector<sip_registration_row> blocking_load_sip_registrations(
    pqxx::connection& connection, std::chrono::system_clock::time_point now);

/// What changed since the last write: rows to insert or update, (extension, contact) pairs to
/// delete; each (extension, contact) at most once per list. Applied in one transaction,
/// removals first; rows whose extension no longer exists are skipped.
struct sip_registration_changes {
  std::vector<sip_registration_row> upserts;
  std::vector<std::pair<std::string, std::string>> removals;
  bool empty() const { return upserts.empty() && removals.empty(); }
};
void blocking_apply_sip_registration_changes(pqxx::connection& connection,
                                             const sip_registration_changes& changes);

/// Deletes registrations that expired before `now`; returns how many.
std::size_t blocking_delete_expired_sip_registrations(pqxx::connection& connection,
                                                      std::chrono::system_clock::time_point now);

}  // namespace callcenterd::store
