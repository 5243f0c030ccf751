#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/acd/events.hpp"
#include "callcenterd/call/call_command.hpp"
#include "callcenterd/call/call_detail_record.hpp"
#include "callcenterd/call/caller_blocklist.hpp"
#include "callcenterd/call/dial_plan.hpp"
#include "callcenterd/call/live_calls.hpp"
#include "callcenterd/call/media_session.hpp"
#include "callcenterd/ivr/flow_channel.hpp"
#include "callcenterd/ivr/flow_set.hpp"
#include "callcenterd/media/speech.hpp"
#include "callcenterd/sip/digest_client.hpp"
#include "callcenterd/sip/registrar.hpp"
#include "callcenterd/sip/stack.hpp"
#include "callcenterd/sip/user_agent.hpp"

namespace callcenterd::call {

namespace detail {
struct call_context;
}

/// A trunk that calls go out through.
struct trunk_endpoint {
  std::string name;
  std::string host;  ///< IP literal or DNS name
  std::uint16_t port = 5060;
  sip::transport_kind transport = sip::transport_kind::udp;
  /// Answers the carrier's 401 or 407; an empty username means the carrier asks none.
  sip::client_credentials credentials;
};

struct call_settings {
  /// Concurrent calls; beyond it a new INVITE gets 503 with Retry-After.
  unsigned max_calls = 2000;
  /// New calls per second from one source address; beyond it 503 with Retry-After.
  unsigned max_call_rate_per_source = 200;
  /// Addresses and CIDR blocks of trunks: their INVITEs are not challenged.
  std::vector<std::string> trusted_sources;
  /// Server and User-Agent header value.
  std::string server_header = "callcenterd";
  /// How long a callee may ring before the call gives up with 480.
  std::chrono::seconds ring_timeout{60};
  /// 3xx responses followed per call before giving up.
  unsigned max_redirects = 3;
  /// How often each answered leg without a session timer gets an in-dialog OPTIONS; a 481 or
  /// no answer at all (408) means its peer lost the dialog (a BYE that never arrived, a phone
  /// that rebooted) and the call ends. 0 disables the probes.
  std::chrono::milliseconds dialog_probe_interval{std::chrono::minutes(1)};
  /// Trunks named by the dial plan's prefix routes.
  std::vector<trunk_endpoint> trunks;
  /// What a caller on the blocklist gets instead of its route: a refusal (603 Decline unless
  /// configured otherwise) or an announcement.
  call_target blocked{.what = call_target::kind::reject, .status = 603, .reason = "Decline"};
};

/// A queue's callback (virtual hold) as its callers meet it.
struct callback_treatment {
  /// How long a caller waits before the callback is offered; 0: never offered.
  std::chrono::milliseconds after{0};
  char key = '1';
  /// Spoken lines (`{number}`, `{key}`, `{queue}` filled in); empty: the daemon's wording.
  std::string offer;         ///< over the music, once the caller has waited `after`
  std::string confirmation;  ///< once taken, before the call ends
  std::string greeting;      ///< when the caller answers the callback
  /// Out through this trunk, dialling `dial_prefix` and the caller's number, ringing at most
  /// `ring_timeout`.
  std::string trunk;
  std::string dial_prefix;
  std::chrono::milliseconds ring_timeout{std::chrono::seconds(30)};
};

/// How a queue treats its waiting callers: the call layer's part of a queue's settings.
struct queue_treatment {
  /// What they hear; null: the call's own music on hold (its DID's, else the default).
  std::shared_ptr<const media::prompt> music;
  /// How often they are told their place and estimated wait; 0: never.
  std::chrono::milliseconds announce_every{0};
  bool announce_position = true;
  bool announce_wait = true;
  media::speech_language language = media::speech_language::english;
  /// Whether its calls are recorded once an agent answers (and their DID records).
  bool record = true;
  /// Said to the agent before the caller is put through, and to the caller once they are;
  /// empty: nothing. `{queue}`, `{agent}`, `{caller}` and flow variables are filled in.
  std::string whisper;
  std::string agent_announcement;
  callback_treatment callback;
};

/// A waiting call's place as the ACD sees it.
struct queue_place {
  unsigned position = 0;                    ///< 1: served next
  std::optional<std::chrono::seconds> ewt;  ///< empty: nobody works the queue now
};

/// The ACD as a queued call sees it. Every function is called from call strands and returns at
/// once (the ACD runs on its own strand).
class queue_router {
 public:
  virtual ~queue_router() = default;
  /// `escalation`: the priority the call takes after waits (the flow's rule).
  virtual void enqueue(const std::string& call_uuid, const std::string& queue, int priority,
                       const std::vector<acd::priority_step>& escalation) = 0;
  /// The caller left before an agent took the call (or the call failed on the way).
  virtual void caller_left(const std::string& call_uuid) = 0;
  /// An agent's device answered an offer: `done(true)` (on any thread) when the call is the
  /// agent's, false when the offer was withdrawn meanwhile (hang that agent up).
  virtual void offer_answered(const std::string& call_uuid, const std::string& agent,
                              std::function<void(bool taken)> done) = 0;
  virtual void offer_failed(const std::string& call_uuid, const std::string& agent,
                            acd::offer_failure why) = 0;
  /// The agent's part of a connected call is over; `who` ended it: "caller" or "agent".
  virtual void call_ended(const std::string& call_uuid, const std::string& who) = 0;
  /// Where the call waits now; `done` (on any thread) gets nothing once it waits no more.
  virtual void place_of(const std::string& call_uuid,
                        std::function<void(std::optional<queue_place>)> done) = 0;
  /// The waiting caller takes the queue's callback: `done(true)` (on any thread) once the
  /// ACD keeps the call's place for `to`; then the caller may go.
  virtual void request_callback(const std::string& call_uuid, const acd::callback_party& to,
                                std::function<void(bool taken)> done) = 0;
  /// The callback for `call_uuid` reached its caller as the new call `new_uuid`: `done(true)`
  /// when the ACD still has it (then the agent's offer follows), false to hang up.
  virtual void callback_answered(const std::string& call_uuid, const std::string& new_uuid,
                                 std::function<void(bool taken)> done) = 0;
  /// The callback did not reach its caller: no_answer, busy or unreachable.
  virtual void callback_failed(const std::string& call_uuid, const std::string& why) = 0;
};

/// What calls use beyond SIP and media: flows, queues, and the log of what became of them.
/// Every function is called from call strands, so each must be thread-safe.
struct flow_services {
  /// The flow set in force: a call takes it once, when its flow starts.
  std::function<std::shared_ptr<const ivr::flow_set>()> current_flows;
  /// Renders the speech of flow prompts; null: spoken pieces are skipped.
  media::speech_service* speech = nullptr;
  /// Writes one step of a caller's way through a flow (the event log); may be empty.
  std::function<void(const std::string& call_uuid, const ivr::flow_step& step)> record_step;
  /// Runs a lookup node's query on the database; `done` may be called on any thread. Empty:
  /// every lookup fails.
  std::function<void(const config::query_settings& query, std::vector<ivr::value> parameters,
                     std::function<void(ivr::lookup_result)> done)>
      lookup;
  /// The ACD, for calls handed to queues; null: every queue is refused (404).
  queue_router* queues = nullptr;
  /// How `queue` treats its waiting callers; empty: music on hold, no announcements.
  std::function<queue_treatment(const std::string& queue)> queue_treatment_of;
  /// Writes the record of a call that is over (the event log); may be empty.
  std::function<void(const call_detail_record& record)> record_call;
  /// What a caller handed to an extension or a number hears while it rings; null: silence.
  std::shared_ptr<const media::prompt> ringback;
};

/// Counters for /metrics. Totals only grow.
struct call_stats {
  std::uint64_t active = 0;
  std::uint64_t started_total = 0;           ///< INVITEs that became calls
  std::uint64_t answered_locally_total = 0;  ///< calls the daemon answered itself
  std::uint64_t flows_started_total = 0;     ///< calls that started a flow
  std::uint64_t bridged_total = 0;           ///< calls a callee answered
  std::uint64_t transferred_total = 0;       ///< blind transfers completed
  std::uint64_t failed_total = 0;            ///< calls that ended unanswered
  std::uint64_t refused_limit_total = 0;     ///< 503 for max_calls or the per-source rate
  std::uint64_t refused_auth_total = 0;      ///< 401 challenges and 403s for INVITEs
  std::uint64_t not_found_total = 0;         ///< 404: no such number or extension
  std::uint64_t blocked_total = 0;           ///< callers on the blocklist
  std::uint64_t ended_total = 0;             ///< calls over, whatever the outcome
};

/// The call layer (a back-to-back user agent): every new INVITE that passes the limits and
/// authentication becomes a call with its own strand, which answers locally or rings an
/// extension's registered device and bridges; in-dialog requests, ACKs, CANCELs and stray
/// responses find their call by Call-ID and our tag. Attach it to the user agent before the
/// stack starts. Thread-safe: callbacks arrive on shard strands and are posted to the calls.
class call_manager final : public sip::dialog_handler {
 public:
  call_manager(boost::asio::io_context& io, sip::sip_stack& stack,
               sip::request_authenticator& authenticator, const sip::registrar& registrar,
               media_factory& media, dial_plan plan, call_settings settings,
               flow_services flows = {});
  /// Releases the calls still running; stop the stack first.
  ~call_manager() override;
  call_manager(const call_manager&) = delete;
  call_manager& operator=(const call_manager&) = delete;

  void on_invite(sip::server_handle transaction, const sip::received_message& invite) override;
  void on_in_dialog_request(sip::server_handle transaction,
                            const sip::received_message& request) override;
  void on_ack(const sip::received_message& ack) override;
  void on_cancel(sip::server_handle invite, const sip::received_message& cancel) override;
  void on_ack_timeout(sip::server_handle invite) override;
  void on_stray_response(const sip::received_message& response) override;

  /// Ends every call (BYE to answered legs, CANCEL or 503 to ringing ones) and refuses new
  /// ones with 503; for shutdown. Any thread; returns at once.
  void hang_up_all();
  /// Calls still running; any thread.
  std::size_t active_calls() const;
  // The ACD's requests of queued calls, by the call's UUID; any thread, return at once. A call
  // that is gone told the router so on its way out, so they do nothing.
  /// Ring the agent's `extension` for the call queued (now) in `queue`.
  void offer_to_agent(const std::string& call_uuid, const std::string& agent,
                      const std::string& extension, const std::string& queue);
  /// Stop ringing `agent` for the call; `why` goes into the call's record.
  void withdraw_offer(const std::string& call_uuid, const std::string& agent, std::string_view why);
  /// The call left its queue (`why`: max wait, queue full, no agents, overflow) for `target`.
  void leave_queue(const std::string& call_uuid, acd::queue_outcome why,
                   const acd::exit_target& target);
  /// Calls the caller of callback `call_uuid` back for `queue`, where an agent is reserved for
  /// them; the ACD hears how it went through the router. Any thread.
  void place_callback(const std::string& call_uuid, const std::string& queue,
                      const acd::callback_party& to);
  /// Carries out an agent's `command` on call `call_uuid` (call_command.hpp); `done` gets the
  /// result on the call's strand, or at once when there is no such call. Any thread.
  void command(const std::string& call_uuid, call_command command,
               std::function<void(command_result)> done);
  /// Whether a call with this UUID is up; any thread.
  bool has_call(const std::string& call_uuid) const;

  /// The blocklist new calls are screened with from now on; any thread.
  void replace_blocklist(caller_blocklist blocklist);
  /// Entries of the blocklist in force; any thread.
  std::size_t blocklist_size() const;
  call_stats stats() const;
  /// The calls in progress, for the API's live views. Any thread.
  const live_call_board& live_calls() const;
  /// Tells `listener` of every change of the board (see live_call_board::set_listener). Call
  /// before the first call.
  void watch_live_calls(live_call_board::listener listener);

 private:
  std::shared_ptr<detail::call_context> context_;
};

}  // namespace callcenterd::call
