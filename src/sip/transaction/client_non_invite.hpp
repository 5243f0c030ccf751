#pragma once

// Client non-INVITE transaction, RFC 3261 §17.1.2. A CANCEL waiting for its INVITE's first
// provisional response (§9.1) sits in the extra Held state, sending nothing.

#include <string>

#include "callcenterd/sip/message.hpp"
#include "transaction.hpp"

namespace callcenterd::sip::txn {

class client_non_invite final : public transaction {
 public:
  enum class state : std::uint8_t { held, trying, proceeding, completed, terminated };

  client_non_invite(transaction_id id, transaction_context& ctx, flow peer,
                    const sip_message& request);

  /// Sends the request and arms Timers E and F; from Held too.
  void start(clock_time now);
  /// Ends a Held transaction without sending anything.
  void drop();
  void on_response(const received_message& response, clock_time now);
  void on_timer(timer_slot slot, clock_time now) override;
  bool done() const override { return state_ == state::terminated; }

  state current() const { return state_; }

 private:
  state state_ = state::held;
  std::string bytes_;
  milliseconds interval_{};
};

}  // namespace callcenterd::sip::txn
