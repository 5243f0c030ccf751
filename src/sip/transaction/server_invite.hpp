#pragma once

// Server INVITE transaction, RFC 3261 §17.2.1 with the Accepted state of RFC 6026 §7.1. In
// Accepted the transaction also retransmits the 2xx until its ACK arrives (the UAS core duty
// of §13.3.1.4), so the TU never runs a timer for it.

#include <optional>
#include <string>

#include "callcenterd/sip/message.hpp"
#include "transaction.hpp"

namespace callcenterd::sip::txn {

class server_invite final : public transaction {
 public:
  enum class state : std::uint8_t { proceeding, completed, confirmed, accepted, terminated };

  server_invite(transaction_id id, transaction_context& ctx, flow peer,
                std::optional<std::string> request_to_tag);

  /// Sends 100 Trying at once, so the client stops retransmitting.
  void start(const sip_message& request, clock_time now);
  /// The INVITE came again: repeat the last response, if any.
  void on_retransmission();
  /// An ACK that matched this transaction (its branch, or for Accepted the 2xx's dialog).
  /// True when the TU must see it: the ACK for a 2xx.
  bool on_ack(clock_time now);
  /// False when the response was refused (transaction already final).
  bool respond(const sip_message& response, clock_time now);
  void on_timer(timer_slot slot, clock_time now) override;
  bool done() const override { return state_ == state::terminated; }

  state current() const { return state_; }
  /// No final response sent yet, so a CANCEL can still act (§9.2).
  bool cancellable() const { return state_ == state::proceeding; }
  /// To tag of the request that created the transaction (RFC 2543 matching).
  const std::optional<std::string>& request_to_tag() const { return request_to_tag_; }
  /// To tag of the last response sent; an ACK for a 2xx must carry it.
  const std::optional<std::string>& response_to_tag() const { return response_to_tag_; }

 private:
  void retransmit_later(clock_time now);

  state state_ = state::proceeding;
  std::optional<std::string> request_to_tag_;
  std::optional<std::string> response_to_tag_;
  std::string last_response_;
  milliseconds interval_{};
  bool acked_ = false;
};

}  // namespace callcenterd::sip::txn
