#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/sip/flow.hpp"
#include "callcenterd/sip/transaction_layer.hpp"
#include "callcenterd/sip/transport_manager.hpp"

namespace callcenterd::sip {

namespace stack_detail {
class stack_core;
}

/// A server transaction somewhere in the stack: its shard and its id there.
struct server_handle {
  std::uint32_t shard = 0;
  transaction_id id = 0;
  explicit operator bool() const { return id != 0; }
  friend bool operator==(const server_handle&, const server_handle&) = default;
};

/// A request this side sent, for cancel(). Valid from send_request() on.
struct client_handle {
  std::uint32_t shard = 0;
  std::uint64_t key = 0;
  explicit operator bool() const { return key != 0; }
  friend bool operator==(const client_handle&, const client_handle&) = default;
};

/// What happens to a request sent with send_request().
struct client_event {
  enum class kind {
    response,  ///< `response` holds a provisional or final response (2xx may repeat)
    timeout,   ///< no final response came (Timer B/F) or the transport failed: treat as 408
  };
  kind what = kind::response;
  received_message response;

  bool timed_out() const { return what == kind::timeout; }
  /// The response's status, or 408 for a timeout (RFC 3261 §8.1.3.1 treats it as one).
  int status() const { return timed_out() ? 408 : response.message.status(); }
};
using client_callback = std::function<void(const client_event&)>;

/// The transaction user above the stack: the user agent core that handles requests. Called on
/// a shard's strand; implementations post to their own strands for anything stateful.
class stack_user {
 public:
  virtual ~stack_user() = default;
  /// A new request with its server transaction; answer with sip_stack::respond().
  virtual void on_request(server_handle transaction, const received_message& request) = 0;
  /// An ACK for a 2xx (it has no transaction of its own), or a stray ACK.
  virtual void on_ack(const received_message& ack) = 0;
  /// A CANCEL matched INVITE `invite`; the stack already answered the CANCEL itself.
  virtual void on_cancel(server_handle invite, const received_message& cancel) = 0;
  /// A 2xx sent for `invite` was never ACKed: the dialog should end.
  virtual void on_ack_timeout(server_handle invite) = 0;
  /// A response that matched no transaction, such as a 2xx retransmission after the client
  /// INVITE transaction ended: the dialog must ACK it again.
  virtual void on_stray_response(const received_message& response) = 0;
  /// A TCP, TLS or WebSocket connection closed; bindings over it may be unreachable now.
  virtual void on_connection_closed(const flow& connection) { (void)connection; }
};

struct stack_settings {
  transport_settings transport;
  /// branch_prefix is set per shard by the stack.
  transaction_settings transactions;
  /// Transaction shards, each on its own strand; 0 means one per io thread (`threads`).
  unsigned shards = 0;
  unsigned threads = 1;
  /// Host for Via and Contact; empty means the address of the listener a flow uses.
  std::string advertised_host;
  std::string user_agent = "callcenterd";
};

/// The methods stack_stats counts one by one, in this order; any other method counts under
/// the last entry, "other". Any thread.
const std::vector<std::string_view>& counted_methods();

/// Counters summed over all shards and transports, for /metrics.
struct stack_stats {
  transaction_stats transactions;
  transport_stats transports;
  std::uint64_t requests_in = 0;
  std::uint64_t responses_in = 0;
  /// Requests received, indexed like counted_methods().
  std::vector<std::uint64_t> requests_in_by_method;
  /// Responses received by class: [0] is 1xx, ..., [5] is 6xx.
  std::array<std::uint64_t, 6> responses_in_by_class{};
  /// Responses the stack user sent through respond(), by class (the 100 Trying and the
  /// error responses the transaction layer sends itself are in `transactions`).
  std::array<std::uint64_t, 6> responses_out_by_class{};
};

/// The SIP stack: transports below, transactions in shards (each on its own strand, so SIP
/// work spreads over every I/O thread), the stack_user above. Messages of one Call-ID always
/// go to the same shard, which keeps an INVITE, its CANCEL and its ACK together; responses
/// find their shard by the branch the shard gave their request.
///
/// Thread-safe: every member may be called from any thread or strand.
class sip_stack final {
 public:
  sip_stack(boost::asio::io_context& io, stack_settings settings, stack_user& user);
  ~sip_stack();
  sip_stack(const sip_stack&) = delete;
  sip_stack& operator=(const sip_stack&) = delete;

  /// Binds every listener; on failure last_error_detail() names the endpoint.
  boost::system::error_code start();
  std::string last_error_detail() const;
  /// Closes listeners and connections and cancels the shard timers. Idempotent.
  void stop();

  /// Sends `response` for server transaction `transaction`.
  void respond(server_handle transaction, sip_message response);
  /// Sends a request: the stack adds the top Via (sent-by from the flow's listener, a fresh
  /// branch, rport) and, when absent, Max-Forwards and User-Agent. `on_event` runs on the
  /// shard's strand for every response and for a timeout.
  client_handle send_request(sip_message request, const flow& destination,
                             client_callback on_event);
  /// Cancels an INVITE sent with send_request (RFC 3261 §9.1; held until a provisional
  /// response arrived). Its responses come to the INVITE's callback as usual.
  void cancel(client_handle invite);
  /// Sends an ACK for a 2xx (or any request that has no transaction) with a fresh Via.
  void send_ack(sip_message ack, const flow& destination);

  /// The flow to reach `remote` over `transport`: our listener of that transport and address
  /// family; nullopt when there is none.
  std::optional<flow> flow_to(transport_kind transport, const boost::asio::ip::address& remote,
                              std::uint16_t port) const;
  /// host:port for a Contact reached over `local` (advertised host when configured).
  std::string contact_host_port(const flow& local) const;
  /// Every listener with its bound port.
  std::vector<flow> bound() const;
  stack_stats stats() const;

 private:
  std::shared_ptr<stack_detail::stack_core> core_;
};

}  // namespace callcenterd::sip
