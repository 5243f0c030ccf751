#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "callcenterd/core/uuid.hpp"
#include "callcenterd/crm/customers.hpp"
#include "support/test_database.hpp"

namespace callcenterd::crm::testing {

/// A fresh database built from sql/ for each test, and a connection to it.
class crm_test : public ::testing::Test {
 protected:
  /// Runs `sql` in its own transaction.
  void exec(const std::string& sql) {
    pqxx::connection other(db_.conninfo());
    pqxx::work tx(other);
    tx.exec(sql);
    tx.commit();
  }

  /// One value from one query, seen by a connection of its own.
  template <class T>
  T query_value(const std::string& sql) {
    pqxx::connection other(db_.conninfo());
    pqxx::nontransaction tx(other);
    return tx.exec1(sql)[0].as<T>();
  }

  /// Creates a customer that must be valid; returns it as stored.
  customer create(const std::string& name, std::vector<customer_phone> phones = {},
                  std::vector<std::string> tags = {}, std::string notes = {}) {
    customer_input in;
    in.name = name;
    in.phones = std::move(phones);
    in.tags = std::move(tags);
    in.notes = std::move(notes);
    auto created = blocking_create_customer(connection_, in, "86");
    if (!created) {
      ADD_FAILURE() << "create " << name << ": " << created.error().message;
      return customer{};
    }
    return *created;
  }

  /// A finished call in call_records, `minutes_ago` before now, with `customer_id`.
  std::string add_call(const std::string& customer_id, const std::string& agent, int minutes_ago,
                       bool callback = false) {
    const std::string call_id = core::make_uuid();
    exec(
        "INSERT INTO call_records (call_id, sip_call_id, caller, caller_name, dialed,"
        " started_at, connected_at, ended_at, disposition, status, ended_by, queue, agent,"
        " wait_ms, talk_ms, hold_ms, node, customer_id, callback_of) VALUES ('" +
        call_id + "', 'sip-" + call_id + "', '13800138000', '', '4008001234', now() - interval '" +
        std::to_string(minutes_ago) + " minutes', now() - interval '" +
        std::to_string(minutes_ago) + " minutes' + interval '5 seconds', now() - interval '" +
        std::to_string(minutes_ago) +
        " minutes' + interval '65 seconds', 'connected', 0,"
        " 'caller', 'support', '" +
        agent + "', 5000, 60000, 0, 'n1', '" + customer_id + "', " +
        (callback ? "'" + core::make_uuid() + "'" : std::string("NULL")) + ")");
    return call_id;
  }

  /// A recording index row for `call_id`.
  void add_recording(const std::string& call_id, const std::string& status) {
    const std::string event_id = core::make_uuid();
    exec("INSERT INTO events (id, occurred_at, kind, node) VALUES ('" + event_id +
         "', now(), 'test.fixture', 'n1');"
         "INSERT INTO recordings (call_uuid, event_id, status, started_at, duration_ms,"
         " size_bytes, path, node) VALUES ('" +
         call_id + "', '" + event_id + "', '" + status +
         "', now(), 60000, 1000, '/var/rec/x.wav', 'n1')");
  }

  test_support::test_database db_;
  pqxx::connection connection_{db_.conninfo()};
};

/// The ids of `items`, in order.
template <class T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.id);
  return out;
}

}  // namespace callcenterd::crm::testing
