#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <optional>
#include <string>

#include "call_context.hpp"
#include "call_timeline.hpp"
#include "callcenterd/call/call_command.hpp"
#include "callcenterd/call/dial_plan.hpp"
#include "callcenterd/call/media_session.hpp"
#include "callcenterd/ivr/flow_session.hpp"
#include "callcenterd/sip/dialog.hpp"
#include "session_timer.hpp"

namespace callcenterd::call::detail {

/// One side of the call as a SIP dialog of ours.
struct leg {
  explicit leg(leg_side which) : side(which) {}
  leg_side side;
  /// The caller's from the start; the callee's once a response with a To tag came.
  sip::dialog dialog;
  bool has_dialog = false;
  /// The initial INVITE: as received (caller) or as sent (callee).
  sip::sip_message invite;
  /// Callee: where its INVITE went (the dialog's path takes over once it exists).
  sip::flow path;
  std::string contact;    ///< our Contact on this leg
  bool answered = false;  ///< a 2xx was sent (caller) or received (callee)
  bool ended = false;     ///< BYE sent or received, a final failure, or CANCEL done
  /// Our last ACK to a 2xx of its INVITE or re-INVITE: sent again, unchanged (a late-offer
  /// ACK carries SDP), whenever that 2xx is retransmitted (RFC 3261 §13.2.2.4).
  std::optional<sip::sip_message> ack;
  /// The session timer agreed with this peer (RFC 4028), if it asked for one.
  std::optional<session_timer> timer;
  std::shared_ptr<boost::asio::steady_timer> timer_clock;
  std::uint64_t timer_generation = 0;  ///< tells a stale expiry from the current one
  /// An OPTIONS asking whether the peer still has the dialog awaits its answer.
  bool probing = false;
};

/// A re-INVITE or UPDATE from one leg waiting for the other leg's answer.
struct pending_offer {
  leg_side from = leg_side::caller;
  sip::server_handle transaction;
  sip::sip_message request;
};

/// A further agent's device that a ring-all queue rings for the call while the callee leg rings
/// (call_ring_all.cpp): the same offer of ours; if the ACD gives the call to its answer, it
/// becomes the callee leg.
struct fork_ring {
  std::uint64_t id = 0;
  std::string agent;
  std::string extension;
  leg ringing{leg_side::callee};
  sip::client_handle invite;
};

/// A transfer (RFC 3515) in progress: the referrer asked us to connect the other leg (the
/// transferee) to a target, which replaces the referrer once connected. Blind: the target is
/// an extension we call. Attended (RFC 5589 §7): the target is the far leg of another call,
/// which that call hands over, answered, and which we ask for a new offer by re-INVITE.
struct transfer_state {
  leg_side referrer = leg_side::callee;
  std::string target;  ///< the extension, or the replaced call's Call-ID (for the log)
  leg target_leg{leg_side::callee};
  sip::client_handle invite;  ///< the INVITE (blind) or re-INVITE (attended) to the target
  std::uint64_t attempt = 0;
  bool attended = false;
  /// The target's 2xx (with its offer) came; its ACK waits for the transferee's answer.
  bool target_answered = false;
  /// Asked for through the API: the referrer (the agent) was released at once and the
  /// transferee hears music until the target answers; if it never does, the call ends.
  bool referrer_released = false;
};

/// The referrer's dialog with us that an attended transfer replaces (RFC 3891), with where
/// the REFER came from: only the replaced leg's own peer may ask.
struct replaced_dialog {
  std::string call_id;
  std::string our_tag;
  std::string their_tag;
  boost::asio::ip::address referrer;
};

/// What the call holding a replaced dialog gives the call whose transfer replaces it.
struct handover {
  /// The far leg, answered; its dialog is the receiver's from now on.
  std::optional<leg> answered_leg;
  /// Or the extension the far leg still rang (semi-attended: the transfer goes on blind).
  std::string ringing_extension;
  /// Or neither: 481 when no such dialog is ours to give, 603 when its call cannot give it.
  int status = 0;
};

/// Who a leg shows as calling: display name and user part of its From.
struct party {
  std::string display;
  std::string user;
};

/// Why a callee's INVITE that failed with `status` did not ring through: declined (486, 600,
/// 603) or unreachable (anything else). The ACD hears it of agents; every ring's record says it.
acd::offer_failure ring_failure_of(int status);

/// A registered device to ring: its Contact and the flow its REGISTER came over.
struct device {
  sip::sip_uri contact;
  sip::flow path;
};

class flow_link;

/// A callback the ACD asked for: whom to call back for which queue, and the ACD's name of it
/// (the call that asked for it).
struct callback_order {
  std::string acd_call;
  std::string queue;
  acd::callback_party to;
  queue_treatment treatment;
};

/// One call: the caller's leg, at most one callee leg at a time, the media session between
/// them, and the flow the caller walks before a callee answers. Every member function runs on
/// the call's strand; the manager reaches it by posting.
class call final : public std::enable_shared_from_this<call>, media_session_listener {
 public:
  call(std::shared_ptr<call_context> context, sip::received_message invite,
       sip::server_handle transaction, call_target target);
  /// A call the daemon places: the caller of a queue's callback, called back (call_callback.cpp).
  /// Its caller leg is ours (we send the INVITE); once they answer it waits in the queue like
  /// a caller who dialled in.
  call(std::shared_ptr<call_context> context, callback_order order);
  ~call();
  call(const call&) = delete;
  call& operator=(const call&) = delete;

  const boost::asio::strand<boost::asio::io_context::executor_type>& strand() const {
    return strand_;
  }

  /// Answers, rings or refuses according to the target. Once, after the index knows the call.
  void start();
  void on_cancel();
  void on_ack(const sip::received_message& ack);
  void on_ack_timeout(sip::server_handle invite);
  void on_request(sip::server_handle transaction, const sip::received_message& request);
  void on_stray_response(const sip::received_message& response);
  /// Ends the call from our side: BYE, CANCEL or a final response, whatever each leg needs.
  void hang_up(int status, std::string_view reason);

  // media_session_listener
  void on_dtmf(leg_side side, char key) override;
  void on_playback_done(leg_side side, bool interrupted) override;

  /// The caller's Call-ID and our tag toward it, known from construction.
  const std::string& caller_call_id() const { return caller_.dialog.call_id; }
  const std::string& caller_tag() const { return caller_.dialog.local_tag; }
  /// Ours, unique across nodes: the ACD's and the event log's name for the call.
  const std::string& uuid() const { return uuid_; }

  /// Carries out an agent's command from the API (call_commands.cpp): `done` gets the result,
  /// on the strand, before any later command of the call runs.
  void run_command(const call_command& command, const std::function<void(command_result)>& done);

  // The ACD's requests while the call waits in a queue (call_queue.cpp).
  void offer_to_agent(const std::string& agent, const std::string& extension,
                      const std::string& queue);
  void withdraw_offer(const std::string& agent, const std::string& why);
  void leave_queue(acd::queue_outcome why, const acd::exit_target& target);

 private:
  /// What both kinds of call begin with: the strand, the UUID, the media session, the timers.
  call(std::shared_ptr<call_context> context, call_target target, std::string sip_call_id);

  // Commands of the API (call_commands.cpp).
  /// Why a command that needs the caller talking to the callee cannot run now; done if it can.
  command_result check_talking() const;
  command_result hold_by_agent(bool on);
  command_result send_digits(const std::string& digits);
  command_result pause_recording(bool pause);
  command_result transfer_caller(const transfer_destination& to);
  /// The agent leaves at once; the caller waits in queue `queue` again.
  command_result requeue_caller(const std::string& queue);

  // Queue callbacks (call_callback.cpp). The caller's side: the offer and the key.
  /// Arms the offer of the queue's callback, if it makes one and the caller can be called back.
  void schedule_callback_offer();
  void arm_callback_offer(std::chrono::milliseconds delay);
  void offer_callback();
  /// The caller pressed the callback key: the ACD keeps their place, they hear the
  /// confirmation, and the call ends.
  void take_callback();
  void on_callback_taken(bool taken);
  /// A callback line of the queue's (or the fallback in the queue's language), fields filled.
  std::string callback_line(const std::string& configured, std::string_view fallback_en,
                            std::string_view fallback_zh) const;
  // The callback call's side: the caller leg is an INVITE of ours through the queue's trunk.
  void dial_back();
  void on_dial_back_address(const boost::asio::ip::address& address);
  void send_dial_back(sip::sip_message invite);
  void on_dial_back_event(const sip::client_event& event);
  void on_dial_back_answer(const sip::received_message& response);
  /// The callback did not reach the caller (`why` for the ACD, `status` for the record).
  void dial_back_failed(std::string_view why, int status);
  /// The offer the caller leg made us, for relaying to a callee: none when the leg is ours.
  std::string_view caller_offer() const;
  // The callee leg (call_callee.cpp).
  void dial(const std::string& extension);
  /// Calls target_.number out through trunk target_.name (call_trunk.cpp).
  void dial_trunk();
  /// Makes the trunk named `name` trunk_; false when no trunk has that name.
  bool use_trunk(const std::string& name);
  /// Where an INVITE to `number` through trunk_ at `address` goes: our flow to it and the
  /// Request-URI; empty (logged) when no listener of ours can reach it.
  std::optional<std::pair<sip::flow, sip::sip_uri>> trunk_destination(
      const boost::asio::ip::address& address, const std::string& number) const;
  /// Resolves trunk_'s host and calls `then` with its address on the strand; a host that does
  /// not resolve refuses the caller (503).
  void resolve_trunk(void (call::*then)(const boost::asio::ip::address&));
  void on_trunk_address(const boost::asio::ip::address& address);
  /// Sends the callee's INVITE again with credentials for the 401/407 `challenge`; false
  /// when there are none to give or they were refused already.
  bool authenticate_to_trunk(leg& which, const sip::sip_message& challenge);
  /// The extension's most preferred registered device, if it has one.
  std::optional<device> preferred_device(const std::string& extension) const;
  void send_callee_invite(const sip::sip_uri& target, const sip::flow& path);
  /// Sends `invite` (the callee leg's, already stored in it) and routes its responses.
  void send_to_callee(sip::sip_message invite);
  /// Arms ring_timer_ for the ring timeout (a callee or a transfer target ringing).
  void start_ring_timer();
  void on_callee_event(std::uint64_t attempt, const sip::client_event& event);
  void on_callee_answer(const sip::received_message& response);
  /// Makes `which`'s dialog from the 2xx of its INVITE and ACKs it; false when the 2xx lacks
  /// the headers of a dialog.
  bool confirm_answer(leg& which, const sip::received_message& response);
  /// Connects the caller to the callee who answered with `body`.
  void bridge_callee(const std::string& body);
  void on_callee_failure(int status, std::string_view reason);
  bool follow_redirect(const sip::received_message& response);
  void on_ring_timeout();

  // Requests inside the dialogs (call_dialog_requests.cpp).
  void on_bye(leg& from, sip::server_handle transaction, const sip::sip_message& request);
  void on_offer(leg& from, sip::server_handle transaction, const sip::received_message& request);
  void on_relayed_answer(const sip::client_event& event, leg_side to_side, std::uint32_t cseq);
  /// An offer from `side` that stops sending (sendonly, inactive) puts the other side on
  /// hold; one that sends again resumes it.
  void record_hold(leg_side side, std::string_view offer);
  /// ACKs a 2xx of `which`'s INVITE or re-INVITE and keeps the ACK for retransmitted 2xx.
  void acknowledge(leg& which, sip::sip_message ack);
  /// Sends `which`'s last ACK again: its 2xx came again because the ACK was lost.
  void acknowledge_again(const leg& which);

  // Blind transfer by REFER (call_transfer.cpp).
  void on_refer(leg& from, sip::server_handle transaction, const sip::sip_message& request);
  /// Accepts a REFER (202) and starts a transfer of the leg other than `from`.
  void start_transfer(leg& from, sip::server_handle transaction, const sip::sip_message& request,
                      std::string target);
  /// Calls `extension` for the transfer in progress; ends it when nothing answers there.
  void ring_transfer_target(const std::string& extension);
  void on_transfer_event(std::uint64_t attempt, const sip::client_event& event);
  void on_transfer_answer(const sip::received_message& response);
  void on_transferee_answer(const sip::client_event& event, std::uint32_t cseq);
  /// Ends a transfer target that answered but cannot be connected: ACK, then BYE.
  void release_target(leg& target);
  void fail_transfer(int status, std::string_view reason);
  void complete_transfer();
  void notify_referrer(int status, std::string_view reason, bool final);
  leg& transferee();

  // Attended transfer: REFER with Replaces (call_attended_transfer.cpp).
  void start_attended_transfer(leg& from, sip::server_handle transaction,
                               const sip::sip_message& request, const std::string& replaces);
  /// On the call holding the replaced dialog: gives its far leg to `to`, ends the replaced
  /// leg, and answers with on_handover() on `to`'s strand.
  void hand_over(const replaced_dialog& wanted, const std::shared_ptr<call>& to,
                 std::uint64_t attempt);
  handover give_leg(const replaced_dialog& wanted, const std::shared_ptr<call>& to);
  void on_handover(std::uint64_t attempt, handover given);
  /// Asks the handed-over target for a new offer: a re-INVITE without SDP (RFC 3725 flow I).
  void reinvite_target();

  // Session timers (call_session_timer.cpp).
  void start_session_timer(leg& which, const session_timer& timer);
  void on_session_timer(const std::string& call_id, std::uint64_t generation);
  /// A refresh (re-INVITE or UPDATE) from a peer: false when it was answered 422 here.
  bool accept_refresh(leg& from, sip::server_handle transaction, const sip::sip_message& request);
  /// 422 with our Min-SE for a Session-Expires below it.
  void refuse_short_interval(sip::server_handle transaction, const sip::sip_message& request);
  leg* leg_with_call_id(std::string_view call_id);

  // Dialog probes: in-dialog OPTIONS to answered legs without a session timer
  // (call_dialog_probe.cpp).
  /// Arms the next round of probes; from the first answer on, until the call finishes.
  void schedule_probes();
  void probe_legs();
  void on_probe_answer(const std::string& call_id, const sip::client_event& event);

  // Flows and queue DIDs (call_flow.cpp).
  friend class flow_link;
  /// Answers the caller and starts the flow target_.name.
  void start_flow();
  /// The flow set in force, if it has flow `name` (logged when it has not).
  std::shared_ptr<const ivr::flow_set> flow_set_with(const std::string& name) const;
  /// Runs flow `name` of `flows` for the answered caller, in place of any flow it was in.
  void run_flow(const std::string& name, std::shared_ptr<const ivr::flow_set> flows);
  /// Answers the caller and hands it to the queue target_.name (a DID that names a queue).
  void start_queue();
  /// Rings what a flow (or a queue DID) hands the caller to, while the caller hears music
  /// (a queue) or ringback; a failure goes back to the flow (give_back_to_flow).
  void connect_caller(const ivr::connect_target& target);
  /// The target a flow handed the caller to failed: the caller stays, the flow goes on. False
  /// when no flow waits for it (the caller is then hung up on as before).
  bool give_back_to_flow();

  // Queues (call_queue.cpp).
  /// Hands the answered caller to the ACD, with music while it waits.
  void join_queue(const ivr::connect_target& target);
  /// An agent answered: the ACD says whether the call is theirs before the two are bridged.
  void confirm_agent(const sip::received_message& response);
  /// The ACD gave the call to the agent who answered with `body`: the whisper to the agent
  /// and the agent's announcement to the caller are rendered, then the two are put through.
  void greet_agent(std::string body);
  /// Renders a line of the queue's (empty: none) and hands it to `then` on the strand while
  /// the call is still with its agent.
  void render_line(const std::string& text,
                   std::function<void(call&, std::shared_ptr<const media::prompt>)> then);
  /// Bridges the caller and the agent; the agent hears `whisper` first (the caller the music),
  /// then the caller hears the agent's announcement.
  void put_through(const std::string& body, const std::shared_ptr<const media::prompt>& whisper,
                   std::shared_ptr<const media::prompt> announcement);
  /// After the whisper: the caller hears the agent's announcement, or the agent at once.
  void announce_agent();
  /// A queue line's `{name}`: queue, agent, caller, or the caller's flow variable.
  std::string queue_field(std::string_view name) const;
  /// The device an offer to `agent` rings; none (the ACD told the offer failed as
  /// unreachable) when the extension has no registered device.
  std::optional<device> agent_device(const std::string& agent, const std::string& extension);
  /// An offer's INVITE failed with `status`: the ACD hears why, the caller waits on.
  void agent_failed(int status);

  // Ring-all: further agents' devices at once (call_ring_all.cpp).
  /// Rings `agent` at `extension` beside the callee leg, with the callee leg's offer.
  void ring_fork(const std::string& agent, const std::string& extension);
  void on_fork_event(std::uint64_t id, const sip::client_event& event);
  /// The ACD says whether the fork `id` whose device answered with `body` takes the call.
  void on_fork_confirmed(std::uint64_t id, bool taken, const std::string& body);
  /// The fork of `agent`, if one rings for it, stops ringing (or is hung up if it answered);
  /// false when `agent` has no fork.
  bool withdraw_fork(const std::string& agent, std::string_view why);
  /// Every fork stops: the caller left, or the call ends.
  void cancel_forks();
  std::vector<fork_ring>::iterator fork_with(std::uint64_t id);
  /// Tells the ACD the call is over: the caller left, or the agent's part ended (`agent_part`
  /// says how: "transfer"; empty: by whoever hung up first, "agent" or else "caller").
  void leave_acd(std::string_view agent_part = {});
  /// The agent transferred the caller on (and left, or the transfer completed): their part
  /// of the call is over, so their wrap-up begins; the ACD has no more to do with the call.
  void agent_transferred_away();
  /// In a queue, not yet connected to an agent, and still there.
  bool waits_in_queue() const;
  /// Plays the waiting music of the call's queue, looped.
  void play_queue_music();
  /// Arms the next announcement of the caller's place, if the queue makes them.
  void schedule_announcement();
  /// Asks the ACD where the call waits, then says it over the music.
  void announce_place();
  void say_place(const queue_place& place);
  /// The announcement ended (or was cut short): back to the music. True when it was one.
  bool announcement_done(bool interrupted);

  // Shared helpers (call.cpp).
  /// Answers the caller here; false when that failed and the caller was refused.
  bool answer_locally();
  /// Answers, plays the target's greeting to its end, hangs up (an announcement).
  void announce();
  /// Answers, plays the target's greeting, then rings the target (on_playback_done).
  void greet_then_dial();
  /// Rings target_: an extension or a trunk.
  void dial_target();
  void answer_caller(std::string body);
  void refuse_caller(int status, std::string_view reason);
  void respond(sip::server_handle transaction, const sip::sip_message& request, int status,
               std::string_view reason = {}, std::string body = {});
  void send_bye(leg& which);
  /// CANCELs a callee that still rings; gives it up if it never answers the CANCEL.
  void cancel_callee();
  void finish_if_done();
  leg& leg_of(const sip::sip_message& message);
  /// An INVITE from `from` to `target` for a new leg of ours (its path set); `body` empty for
  /// a late offer.
  sip::sip_message make_invite(leg& to, const sip::sip_uri& target, const party& from,
                               std::string body);
  std::string contact_for(const sip::flow& path) const;
  /// Who the callee leg is for the record: the agent, the extension or the number dialled.
  std::string callee_party() const;
  /// The party of `side` for the record: "caller", or the callee's.
  std::string party_of(leg_side side) const;
  /// Ends the call's record and hands it to the event log (finish_if_done).
  void write_record();
  /// A callback for work done elsewhere (a SIP client transaction, speech, the database, the
  /// ACD), callable from any thread: it runs `handler(*this, result)` on the call's strand
  /// while the call lives. It holds the call weakly: a client INVITE transaction keeps its
  /// callback 32 s after the 2xx (RFC 6026 Accepted), and the whole call with it would outlive
  /// the hang-up.
  template <class Result, class Handler>
  std::function<void(Result)> back_on_strand(Handler handler) {
    return [weak = weak_from_this(), handler](Result result) {
      auto self = weak.lock();
      if (!self) return;  // the call has ended and nobody holds it any more
      boost::asio::post(
          self->strand_,
          [self, handler, result = std::decay_t<Result>(std::move(result))]() mutable {
            handler(*self, std::move(result));
          });
    };
  }
  template <class Handler>
  sip::client_callback on_strand(Handler handler) {
    return back_on_strand<const sip::client_event&>(std::move(handler));
  }

  std::shared_ptr<call_context> context_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  std::string uuid_;  ///< ours, unique across nodes: the recording's name, the events' key
  call_target target_;
  sip::server_handle caller_invite_;
  leg caller_{leg_side::caller};
  /// The caller as its INVITE's From shows it; callees and transfer targets see it.
  party caller_party_;
  std::optional<leg> callee_;
  sip::client_handle callee_invite_;
  /// Counts INVITEs sent to callees, so responses to an abandoned one are told apart.
  std::uint64_t attempt_ = 0;
  unsigned redirects_ = 0;
  bool cancelled_ = false;  ///< the caller cancelled; waiting for the callee's final response
  bool finished_ = false;
  std::optional<pending_offer> pending_;
  std::optional<transfer_state> transfer_;
  std::unique_ptr<media_session> media_;
  const trunk_endpoint* trunk_ = nullptr;  ///< the trunk the callee leg goes out through
  bool trunk_auth_sent_ = false;
  boost::asio::steady_timer ring_timer_;
  boost::asio::steady_timer probe_timer_;
  bool probes_scheduled_ = false;
  bool greeting_ = false;  ///< the caller hears the greeting; the target rings after it
  std::unique_ptr<flow_link> flow_link_;
  std::unique_ptr<ivr::flow_session> flow_;
  boost::asio::steady_timer flow_timer_;
  /// A flow or queue DID rings a target for the caller, who was answered here already.
  bool connecting_ = false;
  /// The caller waits in (or was connected through) an ACD queue.
  struct queue_wait {
    std::string queue;
    std::string agent;  ///< whose device rings for the call now; empty: none
    bool connected = false;
    queue_treatment treatment{};
    bool announcing = false;  ///< a place announcement plays instead of the music
    bool whispering = false;  ///< the agent hears the whisper; the caller waits with music
    std::shared_ptr<const media::prompt> announcement{};  ///< said once the whisper is over
    bool callback_offered = false;  ///< the caller heard the callback offer: the key takes it
    bool callback_asked = false;    ///< the key was pressed; the ACD's answer is awaited
  };
  std::optional<queue_wait> queued_;
  boost::asio::steady_timer queue_timer_;
  /// What becomes the call's detail record when it is over.
  call_timeline timeline_;
  boost::asio::steady_timer callback_timer_;
  /// A callback call: what the ACD asked for; its INVITE, and whether the ACD heard the outcome.
  std::optional<callback_order> callback_;
  sip::client_handle dial_back_invite_;
  bool callback_reported_ = false;
  /// Ring-all: the devices ringing besides the callee leg, and the fork that became it.
  std::vector<fork_ring> forks_;
  std::uint64_t fork_ids_ = 0;
  std::uint64_t promoted_fork_ = 0;
  /// The agent put the caller on hold through the API (hold_other): released by resume, a
  /// transfer, or the end of the call.
  bool held_by_agent_ = false;
  bool recording_paused_ = false;
};

}  // namespace callcenterd::call::detail
