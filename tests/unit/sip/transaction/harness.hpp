#pragma once

// Fakes and a manual clock for driving a transaction_layer in tests.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "callcenterd/sip/flow.hpp"
#include "callcenterd/sip/message.hpp"
#include "callcenterd/sip/transaction_layer.hpp"

namespace callcenterd::sip::test {

using std::chrono::milliseconds;
using clock_time = std::chrono::steady_clock::time_point;

/// One message handed to the transport, parsed back, with the time it was sent.
struct sent_message {
  flow destination;
  sip_message message;
  milliseconds at;  ///< since the harness started
};

class fake_sender final : public transport_sender {
 public:
  explicit fake_sender(const clock_time& now, clock_time start) : now_(now), start_(start) {}
  void send(const flow& destination, std::string bytes) override;

  std::vector<sent_message> sent;

 private:
  const clock_time& now_;
  clock_time start_;
};

enum class event_kind {
  request,
  ack,
  cancel,
  response,
  stray_response,
  timeout,
  ack_timeout,
  terminated
};

struct user_event {
  event_kind kind;
  transaction_id id = 0;
  std::optional<sip_message> message;
};

class fake_user final : public transaction_user {
 public:
  void on_request(transaction_id id, const received_message& request) override;
  void on_ack(const received_message& ack) override;
  void on_cancel(transaction_id invite, const received_message& cancel) override;
  void on_response(transaction_id id, const received_message& response) override;
  void on_stray_response(const received_message& response) override;
  void on_timeout(transaction_id id) override;
  void on_ack_timeout(transaction_id id) override;
  void on_terminated(transaction_id id) override;

  /// Events of one kind, in order.
  std::vector<user_event> of(event_kind kind) const;
  std::size_t count(event_kind kind) const { return of(kind).size(); }

  std::vector<user_event> events;
  /// Runs inside on_request, to test answers given from the callback itself.
  std::function<void(transaction_id, const received_message&)> request_hook;

 private:
  void record(event_kind kind, transaction_id id, const sip_message* message);
};

/// Fields of a test request; everything has a sensible default.
struct request_spec {
  std::string method = "INVITE";
  std::string branch = "z9hG4bK.peer.1";
  std::string sent_by = "198.51.100.7:5060";
  std::string call_id = "call-1@198.51.100.7";
  std::string from_tag = "ft-1";
  std::string to_tag;  ///< empty: no tag
  std::uint32_t cseq = 1;
  std::string cseq_method;  ///< empty: same as method
  std::string request_uri = "sip:agent@192.0.2.1";
};

sip_message make_request(const request_spec& spec);
/// A response to `request` with `to_tag` added to To when not empty.
sip_message make_reply(const sip_message& request, int status, std::string_view to_tag = {});

/// The tag of the To header, nullopt when it has none.
std::optional<std::string> tag_of_to(const sip_message& message);

flow udp_peer();
flow tcp_peer();

class harness {
 public:
  explicit harness(transaction_settings settings = {});

  /// Moves the clock forward by `d`, firing every timer on its exact deadline as the Asio
  /// adapter would.
  void advance(milliseconds d);
  milliseconds elapsed() const { return std::chrono::duration_cast<milliseconds>(now - start); }

  void deliver(sip_message message, const flow& source);
  /// Sends a client request with a fresh branch in a top Via of ours.
  transaction_id send(request_spec spec, const flow& destination);

  /// Messages sent with this method (requests) or status (responses), in order.
  std::vector<sent_message> sent_requests(std::string_view method) const;
  std::vector<sent_message> sent_responses(int status) const;
  std::vector<milliseconds> times_of(const std::vector<sent_message>& messages) const;

  clock_time start;
  clock_time now;
  fake_sender sender;
  fake_user user;
  transaction_layer layer;
  /// The last request passed to send(), as sent.
  sip_message last_request;
};

}  // namespace callcenterd::sip::test
