// Names of the ACD's states and outcomes as events, the API and reports spell them.
#include "callcenterd/acd/events.hpp"

#include "callcenterd/acd/acd_error.hpp"

namespace callcenterd::acd {

std::string_view to_string(agent_state state) {
  switch (state) {
    case agent_state::logged_out:
      return "logged_out";
    case agent_state::ready:
      return "ready";
    case agent_state::not_ready:
      return "not_ready";
    case agent_state::ringing:
      return "ringing";
    case agent_state::on_call:
      return "on_call";
    case agent_state::wrap_up:
      return "wrap_up";
  }
  return "logged_out";
}

std::string_view to_string(next_status status) {
  switch (status) {
    case next_status::none:
      return "none";
    case next_status::not_ready:
      return "not_ready";
    case next_status::logged_out:
      return "logged_out";
  }
  return "none";
}

std::string_view to_string(queue_outcome outcome) {
  switch (outcome) {
    case queue_outcome::answered:
      return "answered";
    case queue_outcome::abandoned:
      return "abandoned";
    case queue_outcome::timed_out:
      return "timed_out";
    case queue_outcome::overflowed:
      return "overflowed";
    case queue_outcome::blocked:
      return "blocked";
    case queue_outcome::callback:
      return "callback";
    case queue_outcome::lost:
      return "lost";
  }
  return "lost";
}

std::string_view to_string(offer_failure failure) {
  switch (failure) {
    case offer_failure::no_answer:
      return "no_answer";
    case offer_failure::declined:
      return "declined";
    case offer_failure::unreachable:
      return "unreachable";
  }
  return "no_answer";
}

std::string_view to_string(acd_event::kind what) {
  using k = acd_event::kind;
  switch (what) {
    case k::call_enqueued:
      return "queue.enqueued";
    case k::call_offered:
      return "queue.offered";
    case k::call_connected:
      return "queue.connected";
    case k::call_left:
      return "queue.left";
    case k::call_completed:
      return "queue.completed";
    case k::offer_failed:
      return "queue.offer_failed";
    case k::offer_withdrawn:
      return "queue.offer_withdrawn";
    case k::priority_changed:
      return "queue.priority_changed";
    case k::call_widened:
      return "queue.widened";
    case k::agent_state_changed:
      return "agent.state";
    case k::agent_next_status:
      return "agent.next_status";
    case k::agent_repaired:
      return "agent.repaired";
    case k::callback_requested:
      return "queue.callback_requested";
    case k::callback_dialing:
      return "queue.callback_dialing";
    case k::callback_answered:
      return "queue.callback_answered";
    case k::callback_failed:
      return "queue.callback_failed";
  }
  return "queue.unknown";
}

namespace {

class acd_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.acd"; }

  std::string message(int value) const override {
    switch (static_cast<acd_errc>(value)) {
      case acd_errc::unknown_agent:
        return "no such agent";
      case acd_errc::unknown_queue:
        return "no such queue";
      case acd_errc::unknown_call:
        return "the call is not in a queue";
      case acd_errc::unknown_reason:
        return "not a configured not-ready reason";
      case acd_errc::not_in_wrap_up:
        return "the agent is not in wrap-up";
      case acd_errc::already_queued:
        return "the call is in a queue already";
      case acd_errc::offer_gone:
        return "the offer was withdrawn";
      case acd_errc::bad_priority:
        return "priority out of range";
      case acd_errc::no_callback:
        return "no callback for this call";
      case acd_errc::bad_skills:
        return "a skill is listed twice or has a level outside 1 to 10";
    }
    return "unknown ACD error";
  }
};

}  // namespace

const boost::system::error_category& acd_category() noexcept {
  static const acd_category_impl category;
  return category;
}

boost::system::error_code make_error_code(acd_errc e) noexcept {
  return {static_cast<int>(e), acd_category()};
}

}  // namespace callcenterd::acd
