// Queue callbacks (virtual hold), both halves. A waiting caller who has waited the queue's
// `callback.after` hears the offer over the music; the key hands their place to the ACD, they
// hear the confirmation, and the call ends. When their turn comes the ACD reserves an agent and
// the manager starts a callback call: its caller leg is an INVITE of ours out through the
// queue's trunk; once answered, the caller hears the greeting and the music, and the reserved
// agent's offer rings through the same queue path as any caller's (whisper included).
#include <spdlog/spdlog.h>

#include "call.hpp"
#include "callcenterd/sip/dialog.hpp"
#include "callcenterd/sip/resolve.hpp"
#include "queue_announcement.hpp"

namespace callcenterd::call::detail {

namespace asio = boost::asio;

namespace {

using speech_result = boost::system::result<std::shared_ptr<const media::prompt>>;

/// The callback offer is not said over a place announcement: it comes this long after.
constexpr std::chrono::seconds after_announcement{2};

/// A number the trunk can dial back: digits, with a '+' in front at most, 3 to 20 of them.
/// Anonymous and SIP-only callers are not offered a callback.
bool dialable(std::string_view number) {
  if (!number.empty() && number.front() == '+') number.remove_prefix(1);
  if (number.size() < 3 || number.size() > 20) return false;
  return number.find_first_not_of("0123456789") == std::string_view::npos;
}

/// A number said digit by digit: speech would read "13800138000" as an amount.
std::string digit_by_digit(std::string_view number) {
  std::string out;
  for (const char c : number) {
    if (!out.empty()) out += ' ';
    out += c;
  }
  return out;
}

std::string spoken_key(char key, media::speech_language language) {
  const bool mandarin = language == media::speech_language::mandarin;
  if (key == '*') return mandarin ? "星号键" : "star";
  if (key == '#') return mandarin ? "井号键" : "pound";
  return std::string(1, key);
}

/// The reason the ACD hears for a callback INVITE that failed with `status`.
std::string_view dial_back_failure(int status) {
  if (status == 486 || status == 600 || status == 603) return "busy";
  if (status == 408 || status == 480 || status == 487) return "no_answer";
  return "unreachable";
}

}  // namespace

call::call(std::shared_ptr<call_context> context, callback_order order)
    : call(std::move(context),
           call_target{.what = call_target::kind::queue,
                       .name = order.queue,
                       .record = order.treatment.record},
           "callback " + order.acd_call) {
  caller_party_ = {{}, order.to.number};
  media_->set_party(leg_side::caller, order.to.number);
  auto& record = timeline_.header();
  record.caller = order.to.number;
  record.dialed = order.to.number;
  record.callback_of = order.acd_call;
  callback_ = std::move(order);
}

std::string_view call::caller_offer() const {
  // A callback's caller answered our offer; there is none of theirs to relay.
  return callback_ ? std::string_view() : std::string_view(caller_.invite.body());
}

std::string call::callback_line(const std::string& configured, std::string_view fallback_en,
                                std::string_view fallback_zh) const {
  const auto& treatment = queued_ ? queued_->treatment : callback_->treatment;
  const auto language = configured.empty() ? treatment.language : spoken_language_of(configured);
  std::string_view text = configured;
  if (configured.empty()) {
    text = language == media::speech_language::mandarin ? fallback_zh : fallback_en;
  }
  return fill_fields(text, [&](std::string_view name) -> std::string {
    if (name == "number") return digit_by_digit(caller_party_.user);
    if (name == "key") return spoken_key(treatment.callback.key, language);
    if (queued_) return queue_field(name);
    return name == "queue" ? callback_->queue : std::string();
  });
}

// The caller's side.

void call::schedule_callback_offer() {
  const auto& callback = queued_->treatment.callback;
  // A callback call is not offered another; a caller we cannot dial back is offered none.
  if (callback_ || callback.after.count() <= 0 || callback.trunk.empty() ||
      !dialable(caller_party_.user) || context_->flows.speech == nullptr) {
    return;
  }
  arm_callback_offer(callback.after);
}

void call::arm_callback_offer(std::chrono::milliseconds delay) {
  callback_timer_.expires_after(delay);
  callback_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->offer_callback();
  });
}

void call::offer_callback() {
  if (!waits_in_queue() || queued_->callback_asked) return;
  if (queued_->announcing) {
    arm_callback_offer(after_announcement);
    return;
  }
  const auto text =
      callback_line(queued_->treatment.callback.offer,
                    "To keep your place in line and be called back at {number}, press {key}.",
                    "如需保留排队位置并稍后回电至{number}，请按{key}。");
  context_->flows.speech->render(
      text, spoken_language_of(text),
      back_on_strand<speech_result>([](call& self, speech_result said) {
        if (!self.waits_in_queue()) return;
        if (self.queued_->announcing) {
          self.arm_callback_offer(after_announcement);
          return;
        }
        if (said && *said && self.media_->play(leg_side::caller, *said, false, false)) {
          // Heard over the music; its end brings the music back (announcement_done).
          self.queued_->announcing = true;
          self.queued_->callback_offered = true;
          spdlog::info("call {}: offered the callback of queue {}", self.caller_call_id(),
                       self.queued_->queue);
        }
        // Offered again after as long again, for a caller who missed it.
        self.arm_callback_offer(self.queued_->treatment.callback.after);
      }));
}

void call::take_callback() {
  if (queued_->callback_asked) return;
  queued_->callback_asked = true;
  spdlog::info("call {}: the caller takes the callback of queue {}", caller_call_id(),
               queued_->queue);
  context_->flows.queues->request_callback(
      uuid_,
      acd::callback_party{.number = caller_party_.user, .caller_id = timeline_.header().dialed},
      back_on_strand<bool>([](call& self, bool taken) { self.on_callback_taken(taken); }));
}

void call::on_callback_taken(bool taken) {
  // A caller who hung up meanwhile still has their callback: they asked for it.
  if (!waits_in_queue()) return;
  if (!taken) {
    queued_->callback_asked = false;  // waits on the line as before
    return;
  }
  auto line =
      callback_line(queued_->treatment.callback.confirmation,
                    "Thank you. We will call you back at {number} when an agent is free. Goodbye.",
                    "谢谢，坐席空闲时我们将回电至{number}。再见。");
  const auto now = std::chrono::steady_clock::now();
  timeline_.end(call_timeline::kind::queue, "callback", now);
  timeline_.took_callback();
  // The ACD keeps the place; this call has no more to do with the queue.
  queued_.reset();
  queue_timer_.cancel();
  callback_timer_.cancel();
  media_->stop_playing(leg_side::caller);
  // Said to its end, then the call ends (the announcement path).
  context_->flows.speech->render(
      line, spoken_language_of(line),
      back_on_strand<speech_result>([](call& self, speech_result said) {
        if (self.finished_ || self.caller_.ended) return;
        self.target_.what = call_target::kind::announcement;
        self.greeting_ = said && *said && self.media_->play(leg_side::caller, *said, false, false);
        if (!self.greeting_) self.hang_up(200, {});
      }));
}

// The callback call's side.

void call::dial_back() {
  const auto& callback = callback_->treatment.callback;
  if (!use_trunk(callback.trunk)) {
    spdlog::warn("callback {}: no trunk {} to call {} back", callback_->acd_call, callback.trunk,
                 callback_->to.number);
    dial_back_failed("unreachable", 503);
    return;
  }
  // A host that does not resolve fails the attempt (refuse_caller of a callback).
  resolve_trunk(&call::on_dial_back_address);
}

void call::on_dial_back_address(const asio::ip::address& address) {
  if (caller_.ended) return;
  const auto& callback = callback_->treatment.callback;
  const auto destination = trunk_destination(address, callback.dial_prefix + callback_->to.number);
  if (!destination) {
    dial_back_failed("unreachable", 503);
    return;
  }
  // Our offer: the caller answers it in the 2xx.
  auto offer = media_->answer_locally(leg_side::caller, {});
  if (!offer) {
    spdlog::warn("callback {}: no offer of ours to make: {}", callback_->acd_call,
                 offer.error().message());
    dial_back_failed("unreachable", 503);
    return;
  }
  caller_.path = destination->first;
  auto invite = make_invite(caller_, destination->second, party{{}, callback_->to.caller_id},
                            std::move(*offer));
  timeline_.header().sip_call_id = caller_.dialog.call_id;
  spdlog::info("call {}: calls {} back for queue {} (callback {})", caller_call_id(),
               callback_->to.number, callback_->queue, callback_->acd_call);
  timeline_.begin(call_timeline::kind::ring, callback_->to.number, callback_->queue,
                  std::chrono::steady_clock::now(), "callback");
  ring_timer_.expires_after(callback.ring_timeout);
  ring_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->caller_.answered || self->caller_.ended) return;
    // Rung out: the CANCEL's 487 ends the attempt as unanswered.
    self->context_->stack.cancel(self->dial_back_invite_);
  });
  send_dial_back(std::move(invite));
}

void call::send_dial_back(sip::sip_message invite) {
  dial_back_invite_ = context_->stack.send_request(
      std::move(invite), caller_.path, on_strand([](call& self, const sip::client_event& event) {
        self.on_dial_back_event(event);
      }));
}

void call::on_dial_back_event(const sip::client_event& event) {
  if (event.timed_out()) {
    if (!caller_.answered && !caller_.ended) dial_back_failed("no_answer", 408);
    return;
  }
  const auto& response = event.response.message;
  const int status = response.status();
  if (status < 200) return;
  if (status < 300) {
    on_dial_back_answer(event.response);
    return;
  }
  if (caller_.answered || caller_.ended) return;
  if ((status == 401 || status == 407) && authenticate_to_trunk(caller_, response)) return;
  dial_back_failed(dial_back_failure(status), status);
}

void call::on_dial_back_answer(const sip::received_message& response) {
  if (caller_.answered) {
    if (sip::header_tag(response.message, "To") == caller_.dialog.remote_tag) {
      acknowledge_again(caller_);
    }
    return;
  }
  const bool gave_up = caller_.ended;
  if (!confirm_answer(caller_, response)) {
    if (!gave_up) dial_back_failed("unreachable", 502);
    return;
  }
  if (gave_up) {
    // Answered as our CANCEL crossed it: its dialog is ended at once.
    caller_.ended = false;
    send_bye(caller_);
    return;
  }
  media_->accept_answer(leg_side::caller, response.message.body());
  const auto now = std::chrono::steady_clock::now();
  timeline_.end(call_timeline::kind::ring, "answered", now);
  timeline_.caller_answered(now);
  schedule_probes();
  // In the queue from now on, so the agent's offer that follows the ACD's answer finds it.
  queued_ = queue_wait{.queue = callback_->queue,
                       .agent = {},
                       .connected = false,
                       .treatment = callback_->treatment,
                       .announcing = false};
  timeline_.begin(call_timeline::kind::queue, {}, callback_->queue, now, "callback");
  media_->set_recorded(callback_->treatment.record);
  play_queue_music();
  callback_reported_ = true;
  context_->flows.queues->callback_answered(
      callback_->acd_call, uuid_, back_on_strand<bool>([](call& self, bool taken) {
        if (taken || self.finished_ || self.caller_.ended) return;
        // The ACD gave the attempt up meanwhile: there is no agent for this call.
        spdlog::warn("call {}: the ACD no longer has callback {}", self.caller_call_id(),
                     self.callback_->acd_call);
        self.queued_.reset();
        self.hang_up(200, {});
      }));
  if (auto* speech = context_->flows.speech) {
    const auto line = callback_line(callback_->treatment.callback.greeting,
                                    "Hello, this is your callback. Please hold for an agent.",
                                    "您好，这是您预约的回电，正在为您转接客服，请稍候。");
    speech->render(
        line, spoken_language_of(line),
        back_on_strand<speech_result>([](call& self, speech_result said) {
          if (!self.waits_in_queue() || self.queued_->announcing) return;
          if (said && *said && self.media_->play(leg_side::caller, *said, false, false)) {
            self.queued_->announcing = true;  // the music again after it
          }
        }));
  }
}

void call::dial_back_failed(std::string_view why, int status) {
  ring_timer_.cancel();
  spdlog::info("call {}: the callback to {} failed: {} ({})", caller_call_id(),
               callback_->to.number, why, status);
  timeline_.end(call_timeline::kind::ring, why, std::chrono::steady_clock::now());
  timeline_.refused(status);
  if (!callback_reported_) {
    callback_reported_ = true;
    if (auto* router = context_->flows.queues)
      router->callback_failed(callback_->acd_call, std::string(why));
  }
  caller_.ended = true;
  finish_if_done();
}

}  // namespace callcenterd::call::detail
