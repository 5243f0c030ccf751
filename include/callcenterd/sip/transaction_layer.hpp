#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "callcenterd/sip/flow.hpp"
#include "callcenterd/sip/message.hpp"

namespace callcenterd::sip {

/// Handle of one transaction. Never reused within a layer; 0 means "none".
using transaction_id = std::uint64_t;

/// The four transaction state machines of RFC 3261 §17.
enum class transaction_kind : std::uint8_t {
  client_invite,
  client_non_invite,
  server_invite,
  server_non_invite
};

/// Timer values and limits of one transaction layer. Plain value; only the composition root
/// fills it from config.
struct transaction_settings {
  std::chrono::milliseconds t1{500};         ///< RTT estimate; retransmission base
  std::chrono::milliseconds t2{4000};        ///< cap of non-INVITE and response retransmissions
  std::chrono::milliseconds t4{5000};        ///< how long a message may linger in the network
  std::chrono::milliseconds timer_d{32000};  ///< client INVITE Completed wait (unreliable)
  /// Every branch from make_branch() starts with this. Give each shard its own (for example
  /// "z9hG4bK.s3.") so responses can be routed back to the shard that sent the request. Must
  /// start with the RFC 3261 magic cookie "z9hG4bK".
  std::string branch_prefix = "z9hG4bK";
  /// Transactions in progress above which new server requests are refused with 503 and
  /// Retry-After, without creating a transaction. CANCEL is still served: it frees resources.
  /// Answered UDP non-INVITE requests held for Timer J do not count: see max_answered.
  std::size_t max_transactions = 100000;
  /// Final answers to UDP non-INVITE requests held for Timer J (64×T1) to answer
  /// retransmissions. When full, the oldest is dropped early: no request is refused for it.
  std::size_t max_answered = 400000;
  /// The Retry-After of those 503 responses.
  std::chrono::seconds overload_retry_after{5};
  /// Server header stamped on responses the layer generates itself (100, 400, 481, 482, 503,
  /// 200 to CANCEL); empty for none.
  std::string server_header;
  /// User-Agent header stamped on requests the layer generates itself (ACK for non-2xx,
  /// CANCEL); empty for none.
  std::string user_agent;
  /// RFC 3261 §13.3.1.4 retransmits a 2xx to INVITE whatever the transport, because a proxy
  /// further on may use UDP. Off by default: the daemon talks to its peers directly.
  bool retransmit_2xx_on_reliable = false;
};

/// Per-kind counters.
struct transaction_counts {
  std::uint64_t client_invite = 0;
  std::uint64_t client_non_invite = 0;
  std::uint64_t server_invite = 0;
  std::uint64_t server_non_invite = 0;

  std::uint64_t total() const {
    return client_invite + client_non_invite + server_invite + server_non_invite;
  }
  friend bool operator==(const transaction_counts&, const transaction_counts&) = default;
};

/// What the layer has done since it was built. Plain value.
struct transaction_stats {
  transaction_counts active;                   ///< transactions alive now
  std::uint64_t answered_held = 0;             ///< UDP non-INVITE answers held for Timer J
  std::uint64_t answered_evicted = 0;          ///< of those, dropped early: max_answered
  transaction_counts created;                  ///< transactions ever created
  std::uint64_t retransmissions_sent = 0;      ///< requests and responses resent by timers
  std::uint64_t retransmissions_absorbed = 0;  ///< duplicates answered or swallowed
  std::uint64_t timeouts = 0;                  ///< client Timer B and F (reported as on_timeout)
  std::uint64_t server_timeouts = 0;           ///< server INVITE Timer H: no ACK for a non-2xx
  std::uint64_t ack_timeouts = 0;              ///< Timer L without an ACK for the 2xx
  std::uint64_t merged_rejected = 0;           ///< 482 to merged requests (RFC 3261 §8.2.2.2)
  std::uint64_t overload_rejected = 0;         ///< 503 because of max_transactions
  std::uint64_t stray_responses = 0;           ///< responses that matched no client transaction
  std::uint64_t stray_acks = 0;                ///< ACKs that matched no server transaction
  std::uint64_t unmatched_cancels = 0;         ///< CANCEL answered 481
  std::uint64_t malformed_rejected = 0;        ///< requests answered 400
  std::uint64_t malformed_dropped = 0;         ///< messages too broken to answer
};

/// The layer above the transactions (the dialog layer / B2BUA core). Every callback runs on
/// the layer's strand, from inside a transaction_layer call; it may call the layer back
/// (respond, send_request, cancel, send_stateless) but must not destroy it.
class transaction_user {
 public:
  virtual ~transaction_user() = default;
  /// A new request created server transaction `id`; answer it with respond(). 100 Trying has
  /// already been sent for INVITE. ACK and CANCEL never arrive here.
  virtual void on_request(transaction_id id, const received_message& request) = 0;
  /// An ACK no transaction absorbed: the ACK for a 2xx (also when it matched an Accepted
  /// server INVITE, which then stops retransmitting the 2xx) or a stray one.
  virtual void on_ack(const received_message& ack) = 0;
  /// A CANCEL matched server INVITE `invite`, which has no final response yet. The layer has
  /// answered the CANCEL with 200; the TU should answer the INVITE with 487.
  virtual void on_cancel(transaction_id invite, const received_message& cancel) = 0;
  /// A response for client transaction `id`: every provisional, the first final, and in the
  /// INVITE Accepted state every further 2xx (retransmissions and other forks).
  virtual void on_response(transaction_id id, const received_message& response) = 0;
  /// A 2xx to INVITE that matched no transaction, typically a retransmission after the client
  /// INVITE transaction ended: the dialog must ACK it again.
  virtual void on_stray_response(const received_message& response) = 0;
  /// Client transaction `id` got no final response in time (Timer B or F, or 64*T1 after
  /// CANCEL): treat it as 408.
  virtual void on_timeout(transaction_id id) = 0;
  /// Server INVITE `id` sent a 2xx and no ACK came within 64*T1: the TU should send BYE.
  virtual void on_ack_timeout(transaction_id id) = 0;
  /// Transaction `id` was removed. Called after the call that ended it has finished its work.
  virtual void on_terminated(transaction_id id) { (void)id; }
};

/// The RFC 3261 §17 transaction layer with the RFC 6026 Accepted states, free of I/O: time
/// comes in as arguments, bytes leave through a transport_sender, events go to a
/// transaction_user. Not thread-safe: one instance lives on one strand and every member must
/// be called on that strand. The app runs several instances (shards) with distinct branch
/// prefixes.
class transaction_layer {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  /// `sender` and `user` must outlive the layer. Throws std::invalid_argument at start-up for
  /// settings that cannot work (branch prefix without the magic cookie, T1 <= 0 or T2 < T1).
  transaction_layer(transaction_settings settings, transport_sender& sender,
                    transaction_user& user);
  ~transaction_layer();
  transaction_layer(const transaction_layer&) = delete;
  transaction_layer& operator=(const transaction_layer&) = delete;

  /// Feeds a request or response from the transport. Never throws on bad input: malformed
  /// requests get 400 (or are dropped when no Via is usable), other problems are counted.
  void receive(const received_message& message, time_point now);

  /// A new branch, unique across shards and restarts, starting with the branch prefix.
  std::string make_branch();

  /// Starts a client transaction for `request` towards `destination`. The request must
  /// carry its complete top Via with a branch from make_branch(), matching CSeq and Call-ID;
  /// ACK is refused (use send_stateless). Returns the new id, or 0 when refused.
  transaction_id send_request(sip_message request, flow destination, time_point now);

  /// Sends `response` (built with make_response(), To tag added by the TU) for server
  /// transaction `server_tx`, back over the flow its request came on. Ignored and logged
  /// when the transaction is gone or has already sent a final response.
  void respond(transaction_id server_tx, const sip_message& response, time_point now);

  /// Cancels client INVITE `client_invite` (RFC 3261 §9.1): builds the CANCEL from the stored
  /// INVITE and runs it as a client non-INVITE transaction, held back until a provisional
  /// response has arrived. Returns the CANCEL's id (the same id when called again), or 0 when
  /// the INVITE is unknown or already has a final response.
  transaction_id cancel(transaction_id client_invite, time_point now);

  /// Sends `message` outside any transaction (ACK for 2xx, 2xx retransmission by a dialog).
  void send_stateless(const sip_message& message, const flow& destination);

  /// Fires every timer due at `now`. Call it when next_deadline() is reached.
  void on_time(time_point now);
  /// The earliest pending timer, nullopt when none. Logically const; drops cancelled timers
  /// from the front of the queue on the way.
  std::optional<time_point> next_deadline() const;

  transaction_stats stats() const;
  /// Live transactions.
  std::size_t size() const;

 private:
  class impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace callcenterd::sip
