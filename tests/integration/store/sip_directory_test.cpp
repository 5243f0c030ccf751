#include "callcenterd/store/sip_directory.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "support/test_database.hpp"

namespace callcenterd::store {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;
using test_support::test_database;

void exec(const std::string& conninfo, const std::string& sql) {
  pqxx::connection connection(conninfo);
  pqxx::work tx(connection);
  tx.exec(sql);
  tx.commit();
}

void add_accounts(const std::string& conninfo) {
  exec(conninfo,
       "INSERT INTO users (id, login, display_name, role, disabled) VALUES "
       "('00000000-0000-4000-8000-000000000001', 'ann', 'Ann Agent', 'agent', false),"
       "('00000000-0000-4000-8000-000000000002', 'bob', 'Bob Gone', 'agent', true);"
       "INSERT INTO sip_accounts (extension, user_id, realm, ha1_md5, ha1_sha256) VALUES "
       "('1001', '00000000-0000-4000-8000-000000000001', 'callcenterd', repeat('a', 32),"
       " repeat('b', 64)),"
       "('1002', '00000000-0000-4000-8000-000000000002', 'callcenterd', repeat('c', 32),"
       " repeat('d', 64)),"
       "('2000', NULL, 'callcenterd', repeat('e', 32), repeat('f', 64));");
}

sip_registration_row registration(std::string extension, std::string contact,
                                  system_clock::time_point expires) {
  sip_registration_row row;
  row.extension = std::move(extension);
  row.contact = std::move(contact);
  row.transport = "tcp";
  row.local_address = "127.0.0.1";
  row.local_port = 5060;
  row.remote_address = "::1";
  row.remote_port = 40000;
  row.call_id = "abc@host";
  row.cseq = 7;
  row.instance_id = "<urn:uuid:00000000-0000-4000-8000-00000000000a>";
  row.reg_id = 1;
  row.q_milli = 500;
  row.user_agent = "phone/1.0";
  // Whole microseconds: what the database keeps.
  row.registered_at = system_clock::time_point(
      std::chrono::duration_cast<std::chrono::microseconds>(expires.time_since_epoch()) - 600s);
  row.expires_at = system_clock::time_point(
      std::chrono::duration_cast<std::chrono::microseconds>(expires.time_since_epoch()));
  return row;
}

TEST(sip_directory, loads_accounts_with_their_users) {
  test_database db;
  add_accounts(db.conninfo());
  pqxx::connection connection(db.conninfo());
  const auto rows = blocking_load_sip_accounts(connection);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].extension, "1001");
  EXPECT_EQ(rows[0].display_name, "Ann Agent");
  EXPECT_EQ(rows[0].ha1_md5, std::string(32, 'a'));
  EXPECT_EQ(rows[0].ha1_sha256, std::string(64, 'b'));
  EXPECT_FALSE(rows[0].user_disabled);
  EXPECT_TRUE(rows[1].user_disabled);
  EXPECT_EQ(rows[2].display_name, "");
}

TEST(sip_directory, registrations_round_trip_update_and_remove) {
  test_database db;
  add_accounts(db.conninfo());
  pqxx::connection connection(db.conninfo());
  const auto now = system_clock::now();

  sip_registration_changes first;
  first.upserts = {registration("1001", "<sip:1001@[::1]:40000;transport=tcp>", now + 600s),
                   registration("1001", "<sip:1001@192.0.2.1>", now + 60s),
                   registration("2000", "<sip:2000@192.0.2.2>", now + 600s)};
  blocking_apply_sip_registration_changes(connection, first);
  auto loaded = blocking_load_sip_registrations(connection, now);
  ASSERT_EQ(loaded.size(), 3u);
  const auto find = [&loaded](const std::string& contact) {
    for (const auto& row : loaded) {
      if (row.contact == contact) return row;
    }
    ADD_FAILURE() << "no row for " << contact;
    return sip_registration_row{};
  };
  EXPECT_EQ(find(first.upserts[0].contact), first.upserts[0])
      << "every field survives the round trip";

  // A refresh updates in place; a removal and a new contact land in the same batch.
  sip_registration_changes second;
  auto refreshed = first.upserts[1];
  refreshed.cseq = 8;
  refreshed.expires_at += 300s;
  second.upserts = {refreshed};
  second.removals = {{"2000", "<sip:2000@192.0.2.2>"}};
  blocking_apply_sip_registration_changes(connection, second);
  loaded = blocking_load_sip_registrations(connection, now);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(find(refreshed.contact).cseq, 8u);
  EXPECT_EQ(find(refreshed.contact).expires_at, refreshed.expires_at);
}

TEST(sip_directory, removal_then_registration_of_the_same_contact_keeps_it) {
  test_database db;
  add_accounts(db.conninfo());
  pqxx::connection connection(db.conninfo());
  const auto now = system_clock::now();
  const auto row = registration("1001", "<sip:1001@192.0.2.1>", now + 600s);
  blocking_apply_sip_registration_changes(connection, {{row}, {}});
  blocking_apply_sip_registration_changes(connection, {{row}, {{"1001", row.contact}}});
  EXPECT_EQ(blocking_load_sip_registrations(connection, now).size(), 1u);
}

TEST(sip_directory, unknown_extensions_are_skipped_and_expired_rows_deleted) {
  test_database db;
  add_accounts(db.conninfo());
  pqxx::connection connection(db.conninfo());
  const auto now = system_clock::now();
  blocking_apply_sip_registration_changes(
      connection, {{registration("9999", "<sip:x@192.0.2.9>", now + 600s),
                    registration("1001", "<sip:1001@192.0.2.1>", now + 10s),
                    registration("1002", "<sip:1002@192.0.2.3>", now + 600s)},
                   {}});
  EXPECT_EQ(blocking_load_sip_registrations(connection, now).size(), 2u);
  EXPECT_EQ(blocking_load_sip_registrations(connection, now + 20s).size(), 1u)
      << "expired rows are not loaded";
  EXPECT_EQ(blocking_delete_expired_sip_registrations(connection, now + 20s), 1u);
  EXPECT_EQ(blocking_delete_expired_sip_registrations(connection, now + 20s), 0u);
}

TEST(sip_directory, deleting_an_account_deletes_its_registrations) {
  test_database db;
  add_accounts(db.conninfo());
  pqxx::connection connection(db.conninfo());
  const auto now = system_clock::now();
  blocking_apply_sip_registration_changes(
      connection, {{registration("2000", "<sip:2000@192.0.2.2>", now + 600s)}, {}});
  exec(db.conninfo(), "DELETE FROM sip_accounts WHERE extension = '2000'");
  EXPECT_TRUE(blocking_load_sip_registrations(connection, now).empty());
}

}  // namespace
}  // namespace callcenterd::store
