#pragma once

// What the four state machines share: the services the owning layer gives them, and the
// bookkeeping the layer keeps on each of them (timers, index keys).

#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include "callcenterd/sip/flow.hpp"
#include "callcenterd/sip/transaction_layer.hpp"

namespace callcenterd::sip::txn {

using clock_time = std::chrono::steady_clock::time_point;
using std::chrono::milliseconds;

/// Every machine needs at most two timers at once: one that resends (A, E, G, 2xx) and one
/// that ends a state (B, D, F, H, I, J, K, L, M).
enum class timer_slot : std::uint8_t { retransmit = 0, lifetime = 1 };

class transaction;

/// The layer, as its transactions see it. Calls made through it never destroy a transaction:
/// ended ones are collected by the layer after the outermost entry point returns.
class transaction_context {
 public:
  virtual void send(const flow& destination, const std::string& bytes) = 0;
  virtual void arm(transaction& tx, timer_slot slot, clock_time deadline) = 0;
  virtual void disarm(transaction& tx, timer_slot slot) = 0;
  virtual transaction_user& user() = 0;
  virtual const transaction_settings& settings() const = 0;
  virtual transaction_stats& counters() = 0;
  /// Sends a CANCEL that was held until its INVITE got a provisional response.
  virtual void release_cancel(transaction_id cancel, clock_time now) = 0;
  /// Ends a held CANCEL without sending it: its INVITE ended first.
  virtual void drop_cancel(transaction_id cancel) = 0;

 protected:
  ~transaction_context() = default;
};

class transaction {
 public:
  struct timer_state {
    std::uint32_t generation = 0;
    bool armed = false;
  };

  transaction(transaction_id id, transaction_kind kind, transaction_context& ctx, flow peer)
      : id_(id), kind_(kind), ctx_(ctx), peer_(std::move(peer)) {}
  virtual ~transaction() = default;
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;

  transaction_id id() const { return id_; }
  transaction_kind kind() const { return kind_; }
  const flow& peer() const { return peer_; }
  bool reliable() const { return is_reliable(peer_.transport); }

  virtual bool done() const = 0;
  virtual void on_timer(timer_slot slot, clock_time now) = 0;

  timer_state& timer(timer_slot slot) { return timers_[static_cast<std::size_t>(slot)]; }
  const timer_state& timer(timer_slot slot) const {
    return timers_[static_cast<std::size_t>(slot)];
  }

  /// Key of the matching index (RFC 3261 §17.1.3 / §17.2.3) this transaction is filed under.
  std::string match_key;
  /// From tag, Call-ID, CSeq and method of a server transaction's request: finds merged
  /// requests and the ACK for a 2xx. Empty for client transactions.
  std::string dialog_key;

 protected:
  void arm(timer_slot slot, milliseconds delay, clock_time now) {
    ctx_.arm(*this, slot, now + delay);
  }
  void disarm(timer_slot slot) { ctx_.disarm(*this, slot); }
  void send(const std::string& bytes) { ctx_.send(peer_, bytes); }
  void resend(const std::string& bytes) {
    ctx_.send(peer_, bytes);
    ++ctx_.counters().retransmissions_sent;
  }
  const transaction_settings& settings() const { return ctx_.settings(); }
  milliseconds timer_64t1() const { return 64 * settings().t1; }
  transaction_user& user() { return ctx_.user(); }

  const transaction_id id_;
  const transaction_kind kind_;
  transaction_context& ctx_;
  const flow peer_;

 private:
  std::array<timer_state, 2> timers_{};
};

}  // namespace callcenterd::sip::txn
