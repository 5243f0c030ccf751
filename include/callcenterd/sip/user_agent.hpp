#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "callcenterd/sip/registrar.hpp"
#include "callcenterd/sip/stack.hpp"

namespace callcenterd::sip {

/// Requests that belong to calls: new INVITEs and everything inside a dialog. The call layer
/// implements it; until one is attached such requests are refused. Called on a shard's strand.
class dialog_handler {
 public:
  virtual ~dialog_handler() = default;
  virtual void on_invite(server_handle transaction, const received_message& invite) = 0;
  /// A request with a To tag (BYE, re-INVITE, UPDATE, INFO, REFER, NOTIFY, OPTIONS, ...).
  virtual void on_in_dialog_request(server_handle transaction, const received_message& request) = 0;
  virtual void on_ack(const received_message& ack) = 0;
  virtual void on_cancel(server_handle invite, const received_message& cancel) = 0;
  virtual void on_ack_timeout(server_handle invite) = 0;
  virtual void on_stray_response(const received_message& response) = 0;
};

struct user_agent_stats {
  std::uint64_t options_answered = 0;
  std::uint64_t refused_methods = 0;  ///< 405 and 501
  std::uint64_t no_dialog = 0;        ///< 481 for in-dialog requests without a dialog handler
};

/// The user agent core: the stack_user that routes each request to the registrar, answers
/// OPTIONS itself and hands INVITEs and in-dialog requests to the dialog handler.
/// Thread-safe; all callbacks arrive on shard strands.
class user_agent final : public stack_user {
 public:
  user_agent(registrar& registrar, std::string server_header);

  /// Where responses go. Set once, before the stack starts.
  void attach(sip_stack& stack) { stack_ = &stack; }
  /// Set once, before the stack starts; nullptr refuses calls with 503.
  void set_dialog_handler(dialog_handler* handler) { dialogs_ = handler; }

  void on_request(server_handle transaction, const received_message& request) override;
  void on_ack(const received_message& ack) override;
  void on_cancel(server_handle invite, const received_message& cancel) override;
  void on_ack_timeout(server_handle invite) override;
  void on_stray_response(const received_message& response) override;
  void on_connection_closed(const flow& connection) override;

  user_agent_stats stats() const;
  /// The methods we accept, for Allow headers.
  static const std::string& allow_header();

 private:
  void respond(server_handle transaction, const sip_message& request, int status,
               std::string_view reason = {});

  registrar& registrar_;
  std::string server_header_;
  sip_stack* stack_ = nullptr;
  dialog_handler* dialogs_ = nullptr;
  std::atomic<std::uint64_t> options_answered_{0};
  std::atomic<std::uint64_t> refused_methods_{0};
  std::atomic<std::uint64_t> no_dialog_{0};
};

}  // namespace callcenterd::sip
