#pragma once

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "callcenterd/sip/stack.hpp"

namespace callcenterd::sip::stack_detail {

class stack_core;

/// One transaction_layer on its own strand with the one timer that drives it. Everything but
/// the constructor and stats() runs on the strand.
class shard final : public transaction_user {
 public:
  using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;
  using time_point = std::chrono::steady_clock::time_point;

  shard(stack_core& core, std::uint32_t index, transaction_settings settings);

  strand_type& strand() { return strand_; }
  std::uint32_t index() const { return index_; }

  void receive(const received_message& message);
  void send_request(std::uint64_t key, sip_message request, const flow& destination,
                    client_callback on_event);
  void respond(transaction_id id, const sip_message& response);
  void cancel(std::uint64_t key);
  void stop();
  transaction_stats stats() const;

  // transaction_user
  void on_request(transaction_id id, const received_message& request) override;
  void on_ack(const received_message& ack) override;
  void on_cancel(transaction_id invite, const received_message& cancel) override;
  void on_response(transaction_id id, const received_message& response) override;
  void on_stray_response(const received_message& response) override;
  void on_timeout(transaction_id id) override;
  void on_ack_timeout(transaction_id id) override;
  void on_terminated(transaction_id id) override;

 private:
  void after_work();
  void arm_timer();
  void notify(transaction_id id, const client_event& event);

  stack_core& core_;
  std::uint32_t index_;
  strand_type strand_;
  transaction_layer layer_;
  boost::asio::steady_timer timer_;
  std::optional<time_point> armed_;
  bool stopped_ = false;
  struct pending_request {
    client_callback on_event;
    std::uint64_t key = 0;
  };
  std::unordered_map<transaction_id, pending_request> callbacks_;
  std::unordered_map<std::uint64_t, transaction_id> keys_;
  // A copy of the layer's counters for stats() from other threads, refreshed after each turn.
  mutable std::mutex stats_mutex_;
  transaction_stats stats_;
};

class stack_core final : public transport_listener,
                         public std::enable_shared_from_this<stack_core> {
 public:
  stack_core(boost::asio::io_context& io, stack_settings settings, stack_user& user);

  boost::asio::io_context& io() { return io_; }
  const stack_settings& settings() const { return settings_; }
  stack_user& user() { return user_; }
  transport_manager& transport() { return *transport_; }
  shard& shard_at(std::uint32_t index) { return *shards_.at(index); }
  std::size_t shard_count() const { return shards_.size(); }
  /// The shard that owns a Call-ID's transactions.
  std::uint32_t shard_for_call_id(std::string_view call_id) const;
  std::uint64_t next_key() { return next_key_.fetch_add(1, std::memory_order_relaxed); }
  bool stopped() const { return stopped_.load(std::memory_order_acquire); }
  void mark_stopped() { stopped_.store(true, std::memory_order_release); }
  /// `SIP/2.0/UDP host:port;branch=...;rport` for a request leaving over `destination`.
  std::string via_for(const flow& destination, std::string_view branch) const;
  std::string host_port(const flow& local) const;

  // transport_listener: any I/O thread.
  void on_message(received_message message) override;
  void on_connection_closed(const flow& connection) override;

  std::atomic<std::uint64_t> requests_in{0};
  std::atomic<std::uint64_t> responses_in{0};
  static constexpr std::size_t method_slots = 16;  // at least counted_methods().size()
  std::array<std::atomic<std::uint64_t>, method_slots> requests_in_by_method{};
  std::array<std::atomic<std::uint64_t>, 6> responses_in_by_class{};
  std::array<std::atomic<std::uint64_t>, 6> responses_out_by_class{};

 private:
  std::uint32_t shard_for(const sip_message& message) const;

  boost::asio::io_context& io_;
  stack_settings settings_;
  stack_user& user_;
  std::unique_ptr<transport_manager> transport_;
  std::vector<std::unique_ptr<shard>> shards_;
  std::atomic<std::uint64_t> next_key_{1};
  std::atomic<bool> stopped_{false};
};

/// The slot of `method` in counted_methods() (the last one for any other method).
std::size_t method_slot(std::string_view method);
/// The class slot of a status code: 0 for 1xx ... 5 for 6xx.
std::size_t status_class_slot(int status);

/// The branch prefix of shard `index`; responses carry it back.
std::string shard_branch_prefix(std::uint32_t index);
/// The shard index a branch of ours names, or nullopt for someone else's branch.
std::optional<std::uint32_t> shard_of_branch(std::string_view branch);

}  // namespace callcenterd::sip::stack_detail
