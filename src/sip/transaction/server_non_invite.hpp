#pragma once

// Server non-INVITE transaction, RFC 3261 §17.2.2. CANCEL runs on it too, answered by the
// layer itself. Over UDP its Completed state is served by the layer's answered_requests: the
// transaction is done at its final answer, and the layer files the answer there for Timer J.

#include <optional>
#include <string>

#include "callcenterd/sip/message.hpp"
#include "transaction.hpp"

namespace callcenterd::sip::txn {

class server_non_invite final : public transaction {
 public:
  enum class state : std::uint8_t { trying, proceeding, completed, terminated };

  server_non_invite(transaction_id id, transaction_context& ctx, flow peer,
                    std::optional<std::string> request_to_tag);

  /// The request came again: repeat the last response (nothing yet in Trying).
  void on_retransmission();
  /// False when the response was refused (transaction already final).
  bool respond(const sip_message& response, clock_time now);
  void on_timer(timer_slot slot, clock_time now) override;
  bool done() const override { return state_ == state::completed || state_ == state::terminated; }

  state current() const { return state_; }
  const std::optional<std::string>& request_to_tag() const { return request_to_tag_; }
  /// When the final answer was sent; meaningful in Completed.
  clock_time completed_at() const { return completed_at_; }
  /// The last answer sent, moved out for the layer's answered_requests.
  std::string take_last_response() { return std::move(last_response_); }

 private:
  state state_ = state::trying;
  std::optional<std::string> request_to_tag_;
  std::string last_response_;
  clock_time completed_at_{};
};

}  // namespace callcenterd::sip::txn
