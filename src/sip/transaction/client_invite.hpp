#pragma once

// Client INVITE transaction, RFC 3261 §17.1.1 with the Accepted state of RFC 6026 §7.2.

#include <string>

#include "callcenterd/sip/message.hpp"
#include "transaction.hpp"

namespace callcenterd::sip::txn {

class client_invite final : public transaction {
 public:
  enum class state : std::uint8_t { calling, proceeding, accepted, completed, terminated };

  client_invite(transaction_id id, transaction_context& ctx, flow peer, sip_message request);

  /// Sends the INVITE and arms Timers A and B.
  void start(clock_time now);
  void on_response(const received_message& response, clock_time now);
  void on_timer(timer_slot slot, clock_time now) override;
  bool done() const override { return state_ == state::terminated; }

  state current() const { return state_; }
  const sip_message& request() const { return request_; }
  /// No final response yet, so a CANCEL still makes sense.
  bool cancellable() const { return state_ == state::calling || state_ == state::proceeding; }
  transaction_id cancel_id() const { return cancel_id_; }
  /// Links CANCEL `cancel`. True when it may go out now; otherwise it waits for a
  /// provisional response (§9.1) and the INVITE releases it through the context.
  bool attach_cancel(transaction_id cancel, clock_time now);

 private:
  void on_provisional(const received_message& response, clock_time now);
  void on_final(const received_message& response, clock_time now);
  void cancel_sent(clock_time now);
  void drop_held_cancel();

  state state_ = state::calling;
  sip_message request_;
  std::string bytes_;
  std::string ack_bytes_;
  milliseconds interval_{};
  transaction_id cancel_id_ = 0;
  bool cancel_sent_ = false;
};

}  // namespace callcenterd::sip::txn
