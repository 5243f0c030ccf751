#include "callcenterd/store/sip_directory.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "callcenterd/store/db_pool.hpp"

namespace callcenterd::store {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::system_clock;

// Timestamps cross as integer microseconds since the epoch: exact both ways, and free of the
// text formats of timestamptz.
std::int64_t to_micros(system_clock::time_point t) {
  return duration_cast<microseconds>(t.time_since_epoch()).count();
}
system_clock::time_point from_micros(std::int64_t us) {
  return system_clock::time_point(duration_cast<system_clock::duration>(microseconds(us)));
}

constexpr const char* load_accounts_statement = "callcenterd_sip_accounts_load";
constexpr const char* load_accounts_sql = R"sql(
SELECT a.extension, a.realm, a.ha1_md5, a.ha1_sha256,
       coalesce(u.display_name, ''), coalesce(u.disabled, false)
  FROM sip_accounts a LEFT JOIN users u ON u.id = a.user_id
 ORDER BY a.extension
)sql";

constexpr const char* load_registrations_statement = "callcenterd_sip_registrations_load";
constexpr const char* load_registrations_sql = R"sql(
SELECT extension, contact, transport, host(local_address), local_port, host(remote_address),
       remote_port, call_id, cseq, instance_id, reg_id, q_milli, user_agent,
       (extract(epoch FROM registered_at) * 1000000)::bigint,
       (extract(epoch FROM expires_at) * 1000000)::bigint
  FROM sip_registrations
 WHERE expires_at > timestamptz 'epoch' + $1::bigint * interval '1 microsecond'
 ORDER BY extension, contact
)sql";

// One jsonb parameter carries every changed row: one round trip per batch, no SQL text built.
constexpr const char* upsert_statement = "callcenterd_sip_registrations_upsert";
constexpr const char* upsert_sql = R"sql(
INSERT INTO sip_registrations (extension, contact, transport, local_address, local_port,
                               remote_address, remote_port, call_id, cseq, instance_id, reg_id,
                               q_milli, user_agent, registered_at, expires_at)
SELECT r.extension, r.contact, r.transport, r.local_address::inet, r.local_port,
       r.remote_address::inet, r.remote_port, r.call_id, r.cseq, r.instance_id, r.reg_id,
       r.q_milli, r.user_agent, timestamptz 'epoch' + r.registered_us * interval '1 microsecond',
       timestamptz 'epoch' + r.expires_us * interval '1 microsecond'
  FROM jsonb_to_recordset($1::jsonb) AS r(extension text, contact text, transport text,
       local_address text, local_port integer, remote_address text, remote_port integer,
       call_id text, cseq bigint, instance_id text, reg_id integer, q_milli integer,
       user_agent text, registered_us bigint, expires_us bigint)
 WHERE EXISTS (SELECT 1 FROM sip_accounts a WHERE a.extension = r.extension)
ON CONFLICT (extension, contact) DO UPDATE SET
       transport = excluded.transport, local_address = excluded.local_address,
       local_port = excluded.local_port, remote_address = excluded.remote_address,
       remote_port = excluded.remote_port, call_id = excluded.call_id, cseq = excluded.cseq,
       instance_id = excluded.instance_id, reg_id = excluded.reg_id, q_milli = excluded.q_milli,
       user_agent = excluded.user_agent, registered_at = excluded.registered_at,
       expires_at = excluded.expires_at
)sql";

constexpr const char* remove_statement = "callcenterd_sip_registrations_remove";
constexpr const char* remove_sql = R"sql(
DELETE FROM sip_registrations s
 USING jsonb_to_recordset($1::jsonb) AS r(extension text, contact text)
 WHERE s.extension = r.extension AND s.contact = r.contact
)sql";

constexpr const char* expire_statement = "callcenterd_sip_registrations_expire";
constexpr const char* expire_sql = R"sql(
DELETE FROM sip_registrations
 WHERE expires_at <= timestamptz 'epoch' + $1::bigint * interval '1 microsecond'
)sql";

}  // namespace

std::vector<sip_account_row> blocking_load_sip_accounts(pqxx::connection& connection) {
  prepare_once(connection, load_accounts_statement, load_accounts_sql);
  pqxx::read_transaction tx(connection);
  const pqxx::result result = tx.exec_prepared(load_accounts_statement);
  std::vector<sip_account_row> rows;
  rows.reserve(result.size());
  for (const auto& r : result) {
    rows.push_back(sip_account_row{r[0].as<std::string>(), r[1].as<std::string>(),
                                   r[2].as<std::string>(), r[3].as<std::string>(),
                                   r[4].as<std::string>(), r[5].as<bool>()});
  }
  return rows;
}

std::vector<sip_registration_row> blocking_load_sip_registrations(
    pqxx::connection& connection, std::chrono::system_clock::time_point now) {
  prepare_once(connection, load_registrations_statement, load_registrations_sql);
  pqxx::read_transaction tx(connection);
  const pqxx::result result = tx.exec_prepared(load_registrations_statement, to_micros(now));
  std::vector<sip_registration_row> rows;
  rows.reserve(result.size());
  for (const auto& r : result) {
    sip_registration_row row;
    row.extension = r[0].as<std::string>();
    row.contact = r[1].as<std::string>();
    row.transport = r[2].as<std::string>();
    row.local_address = r[3].as<std::string>();
    row.local_port = static_cast<std::uint16_t>(r[4].as<int>());
    row.remote_address = r[5].as<std::string>();
    row.remote_port = static_cast<std::uint16_t>(r[6].as<int>());
    row.call_id = r[7].as<std::string>();
    row.cseq = static_cast<std::uint32_t>(r[8].as<std::int64_t>());
    row.instance_id = r[9].as<std::string>();
    row.reg_id = static_cast<std::uint32_t>(r[10].as<int>());
    row.q_milli = static_cast<std::uint16_t>(r[11].as<int>());
    row.user_agent = r[12].as<std::string>();
    row.registered_at = from_micros(r[13].as<std::int64_t>());
    row.expires_at = from_micros(r[14].as<std::int64_t>());
    rows.push_back(std::move(row));
  }
  return rows;
}

void blocking_apply_sip_registration_changes(pqxx::connection& connection,
                                             const sip_registration_changes& changes) {
  if (changes.empty()) return;
  prepare_once(connection, upsert_statement, upsert_sql);
  prepare_once(connection, remove_statement, remove_sql);
  auto upserts = nlohmann::json::array();
  for (const auto& row : changes.upserts) {
    upserts.push_back({{"extension", row.extension},
                       {"contact", row.contact},
                       {"transport", row.transport},
                       {"local_address", row.local_address},
                       {"local_port", row.local_port},
                       {"remote_address", row.remote_address},
                       {"remote_port", row.remote_port},
                       {"call_id", row.call_id},
                       {"cseq", row.cseq},
                       {"instance_id", row.instance_id},
                       {"reg_id", row.reg_id},
                       {"q_milli", row.q_milli},
                       {"user_agent", row.user_agent},
                       {"registered_us", to_micros(row.registered_at)},
                       {"expires_us", to_micros(row.expires_at)}});
  }
  auto removals = nlohmann::json::array();
  for (const auto& [extension, contact] : changes.removals) {
    removals.push_back({{"extension", extension}, {"contact", contact}});
  }
  pqxx::work tx(connection);
  // Removals first: a batch may remove a contact and register it again (unregister, then a
  // fresh REGISTER), and the upsert must win.
  if (!removals.empty()) tx.exec_prepared(remove_statement, removals.dump());
  if (!upserts.empty()) tx.exec_prepared(upsert_statement, upserts.dump());
  tx.commit();
}

std::size_t blocking_delete_expired_sip_registrations(pqxx::connection& connection,
                                                      std::chrono::system_clock::time_point now) {
  prepare_once(connection, expire_statement, expire_sql);
  pqxx::work tx(connection);
  const pqxx::result result = tx.exec_prepared(expire_statement, to_micros(now));
  tx.commit();
  return static_cast<std::size_t>(result.affected_rows());
}

}  // namespace callcenterd::store
