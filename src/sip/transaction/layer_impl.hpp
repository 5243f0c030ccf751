#pragma once

// The body of transaction_layer: the registry that owns every transaction, the matching
// indexes, the timer heap and the deferred removal that keeps callbacks safe.

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "answered_requests.hpp"
#include "callcenterd/sip/transaction_layer.hpp"
#include "essentials.hpp"
#include "timer_queue.hpp"
#include "transaction.hpp"

namespace callcenterd::sip {

class transaction_layer::impl final : public txn::transaction_context {
 public:
  using clock_time = txn::clock_time;

  impl(transaction_settings settings, transport_sender& sender, transaction_user& user);

  void receive(const received_message& message, clock_time now);
  std::string make_branch();
  transaction_id send_request(sip_message request, flow destination, clock_time now);
  void respond(transaction_id id, const sip_message& response, clock_time now);
  transaction_id cancel(transaction_id client_invite, clock_time now);
  void send_stateless(const sip_message& message, const flow& destination);
  void on_time(clock_time now);
  std::optional<clock_time> next_deadline();
  transaction_stats stats() const;
  std::size_t size() const { return registry_.size() + answered_.size(); }

  // transaction_context
  void send(const flow& destination, const std::string& bytes) override;
  void arm(txn::transaction& tx, txn::timer_slot slot, clock_time deadline) override;
  void disarm(txn::transaction& tx, txn::timer_slot slot) override;
  transaction_user& user() override { return user_; }
  const transaction_settings& settings() const override { return settings_; }
  transaction_stats& counters() override { return stats_; }
  void release_cancel(transaction_id cancel, clock_time now) override;
  void drop_cancel(transaction_id cancel) override;

 private:
  // Every public entry point holds one; when the outermost one ends, retired transactions
  // are reported and destroyed. Callbacks may thus re-enter the layer freely.
  class entry_guard {
   public:
    explicit entry_guard(impl& layer) : layer_(layer) { ++layer_.depth_; }
    ~entry_guard() {
      if (--layer_.depth_ == 0) layer_.sweep();
    }
    entry_guard(const entry_guard&) = delete;
    entry_guard& operator=(const entry_guard&) = delete;

   private:
    impl& layer_;
  };

  // Inbound, in layer_receive.cpp.
  void on_request(const received_message& message, clock_time now);
  void on_response(const received_message& message, clock_time now);
  void on_ack(const received_message& ack, const txn::essentials& e, clock_time now);
  void on_cancel(const received_message& cancel, const txn::essentials& e, std::string key,
                 clock_time now);
  void create_server(const received_message& request, const txn::essentials& e, std::string key,
                     std::string dialog, clock_time now);
  bool is_merged(const std::string& dialog, const std::string& key) const;
  /// Answers a retransmission of an answered UDP request from answered_; false if none.
  bool repeat_answer(const std::string& key, const txn::essentials& e);
  void reply_stateless(const received_message& request, int status, std::string_view reason);
  std::string local_tag(const sip_message& request) const;

  // Registry and timers, in transaction_layer.cpp.
  txn::transaction* find(transaction_id id) const;
  txn::transaction* find_server(const std::string& key) const;
  template <typename T>
  T* find_as(transaction_id id, transaction_kind kind) const {
    auto* tx = find(id);
    return tx != nullptr && tx->kind() == kind ? static_cast<T*>(tx) : nullptr;
  }
  template <typename T>
  T* find_server_as(const std::string& key, transaction_kind kind) const {
    auto* tx = find_server(key);
    return tx != nullptr && tx->kind() == kind ? static_cast<T*>(tx) : nullptr;
  }
  txn::transaction* add(std::unique_ptr<txn::transaction> tx);
  void settle(txn::transaction* tx);
  void file_answer(txn::transaction& tx);
  void retire(transaction_id id);
  void sweep();
  bool live(const txn::timer_entry& entry) const;

  transaction_settings settings_;
  transport_sender& sender_;
  transaction_user& user_;
  transaction_stats stats_;
  std::unordered_map<transaction_id, std::unique_ptr<txn::transaction>> registry_;
  std::unordered_map<std::string, transaction_id> client_keys_;
  std::unordered_map<std::string, transaction_id> server_keys_;
  std::unordered_map<std::string, transaction_id> dialogs_;
  std::vector<std::unique_ptr<txn::transaction>> retired_;
  txn::answered_requests answered_;
  txn::timer_queue timers_;
  std::size_t armed_ = 0;
  transaction_id next_id_ = 1;
  std::uint64_t next_branch_ = 1;
  std::string instance_;  // random per layer: keeps branches and tags unique across restarts
  int depth_ = 0;
};

}  // namespace callcenterd::sip
