#include "callcenterd/call/call_manager.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "call.hpp"
#include "call_context.hpp"
#include "callcenterd/sip/dialog.hpp"
#include "callcenterd/sip/header_values.hpp"

namespace callcenterd::call {

namespace asio = boost::asio;
using detail::count;

namespace {

// Posts `fn(call)` to the call's strand, keeping the call alive until it ran.
template <class Fn>
void post_to(const std::shared_ptr<detail::call>& target, Fn fn) {
  asio::post(target->strand(), [target, fn = std::move(fn)]() mutable { fn(*target); });
}

}  // namespace

call_manager::call_manager(asio::io_context& io, sip::sip_stack& stack,
                           sip::request_authenticator& authenticator,
                           const sip::registrar& registrar, media_factory& media, dial_plan plan,
                           call_settings settings, flow_services flows)
    : context_(std::make_shared<detail::call_context>(io, stack, authenticator, registrar, media,
                                                      std::move(plan), std::move(settings),
                                                      std::move(flows))) {}

// The index owns the calls and each call holds the context: clearing the index breaks that
// cycle. The stack is stopped by now, so no message reaches a call after this.
call_manager::~call_manager() { context_->index.clear(); }

void call_manager::on_invite(sip::server_handle transaction, const sip::received_message& invite) {
  auto& ctx = *context_;
  const auto& request = invite.message;
  const auto refuse = [&](int status, std::string_view reason) {
    auto response = sip::make_tagged_response(request, status, reason, sip::new_token(),
                                              ctx.settings.server_header);
    if (status == 503) response.add_header("Retry-After", "5");
    ctx.stack.respond(transaction, std::move(response));
  };
  if (ctx.stopping.load(std::memory_order_relaxed)) {
    refuse(503, "Shutting Down");
    return;
  }
  const bool from_trunk = ctx.trusted.contains(invite.source.remote_address);
  if (!from_trunk) {
    auto verdict = ctx.authenticator.authenticate(invite, std::nullopt);
    if (verdict.what != sip::auth_result::kind::authenticated) {
      count(ctx.refused_auth);
      if (verdict.response) ctx.stack.respond(transaction, std::move(*verdict.response));
      return;
    }
  }
  switch (ctx.limits.admit(invite.source.remote_address, std::chrono::steady_clock::now())) {
    case detail::admission_refusal::none:
      break;
    case detail::admission_refusal::too_many_calls:
      count(ctx.refused_limit);
      spdlog::warn("call refused: {} concurrent calls is the limit (sip.limits.max_calls)",
                   ctx.settings.max_calls);
      refuse(503, "Too Many Calls");
      return;
    case detail::admission_refusal::source_rate:
      count(ctx.refused_limit);
      spdlog::warn(
          "call refused: {} sends more than {} calls/s "
          "(sip.limits.max_call_rate_per_source)",
          invite.source.remote_address.to_string(), ctx.settings.max_call_rate_per_source);
      refuse(503, "Call Rate Exceeded");
      return;
  }
  auto target = ctx.plan.route(request.request_uri().user, from_trunk);
  // The blocklist comes before the route: a blocked caller never reaches a flow or a phone.
  if (const auto from = sip::parse_name_addr(request.header("From").value_or(""))) {
    if (const auto hit = ctx.blocklist.current()->find(from->uri.user)) {
      count(ctx.blocked);
      spdlog::info("call from {} blocked by the blocklist entry {}{}", from->uri.user, hit->pattern,
                   hit->reason.empty() ? "" : " (" + hit->reason + ")");
      target = ctx.settings.blocked;
    }
  }
  auto created = std::make_shared<detail::call>(context_, invite, transaction, std::move(target));
  ctx.index.add_dialog(created->caller_call_id(), created->caller_tag(), created);
  ctx.index.add_invite(transaction, created);
  ctx.index.add_uuid(created->uuid(), created);
  post_to(created, [](detail::call& c) { c.start(); });
}

void call_manager::replace_blocklist(caller_blocklist blocklist) {
  context_->blocklist.replace(std::make_shared<const caller_blocklist>(std::move(blocklist)));
}

std::size_t call_manager::blocklist_size() const { return context_->blocklist.current()->size(); }

void call_manager::on_in_dialog_request(sip::server_handle transaction,
                                        const sip::received_message& request) {
  const auto& message = request.message;
  auto owner = context_->index.find_dialog(message.header("Call-ID").value_or(""),
                                           sip::header_tag(message, "To"));
  if (!owner) {
    context_->stack.respond(
        transaction, sip::make_tagged_response(message, 481, "Call/Transaction Does Not Exist", {},
                                               context_->settings.server_header));
    return;
  }
  post_to(owner, [transaction, request](detail::call& c) { c.on_request(transaction, request); });
}

void call_manager::on_ack(const sip::received_message& ack) {
  auto owner = context_->index.find_dialog(ack.message.header("Call-ID").value_or(""),
                                           sip::header_tag(ack.message, "To"));
  if (owner) post_to(owner, [ack](detail::call& c) { c.on_ack(ack); });
}

void call_manager::on_cancel(sip::server_handle invite, const sip::received_message&) {
  if (auto owner = context_->index.find_invite(invite)) {
    post_to(owner, [](detail::call& c) { c.on_cancel(); });
  }
}

void call_manager::on_ack_timeout(sip::server_handle invite) {
  if (auto owner = context_->index.find_invite(invite)) {
    post_to(owner, [invite](detail::call& c) { c.on_ack_timeout(invite); });
  }
}

void call_manager::on_stray_response(const sip::received_message& response) {
  auto owner = context_->index.find_dialog(response.message.header("Call-ID").value_or(""),
                                           sip::header_tag(response.message, "From"));
  if (owner) post_to(owner, [response](detail::call& c) { c.on_stray_response(response); });
}

void call_manager::offer_to_agent(const std::string& call_uuid, const std::string& agent,
                                  const std::string& extension, const std::string& queue) {
  // A call gone from the index has told the ACD already (call::leave_acd, on its way out).
  if (auto owner = context_->index.find_uuid(call_uuid)) {
    post_to(owner, [agent, extension, queue](detail::call& c) {
      c.offer_to_agent(agent, extension, queue);
    });
  }
}

void call_manager::command(const std::string& call_uuid, call_command command,
                           std::function<void(command_result)> done) {
  auto owner = context_->index.find_uuid(call_uuid);
  if (!owner) {
    done({command_outcome::no_such_call, "no call in progress has that id"});
    return;
  }
  post_to(owner, [command = std::move(command), done = std::move(done)](detail::call& c) {
    c.run_command(command, done);
  });
}

void call_manager::withdraw_offer(const std::string& call_uuid, const std::string& agent,
                                  std::string_view why) {
  if (auto owner = context_->index.find_uuid(call_uuid)) {
    post_to(owner,
            [agent, why = std::string(why)](detail::call& c) { c.withdraw_offer(agent, why); });
  }
}

void call_manager::leave_queue(const std::string& call_uuid, acd::queue_outcome why,
                               const acd::exit_target& target) {
  if (auto owner = context_->index.find_uuid(call_uuid)) {
    post_to(owner, [why, target](detail::call& c) { c.leave_queue(why, target); });
  }
}

void call_manager::place_callback(const std::string& call_uuid, const std::string& queue,
                                  const acd::callback_party& to) {
  auto& ctx = *context_;
  auto* router = ctx.flows.queues;
  if (router == nullptr) return;
  if (ctx.stopping.load(std::memory_order_relaxed) || !ctx.limits.admit_outbound()) {
    // The ACD frees the agent and tries again after the queue's retry delay.
    spdlog::warn("callback {}: no call slot free to call {} back", call_uuid, to.number);
    router->callback_failed(call_uuid, "no_capacity");
    return;
  }
  const auto& treatment_of = ctx.flows.queue_treatment_of;
  auto created = std::make_shared<detail::call>(
      context_,
      detail::callback_order{.acd_call = call_uuid,
                             .queue = queue,
                             .to = to,
                             .treatment = treatment_of ? treatment_of(queue) : queue_treatment{}});
  ctx.index.add_uuid(created->uuid(), created);
  post_to(created, [](detail::call& c) { c.start(); });
}

bool call_manager::has_call(const std::string& call_uuid) const {
  return context_->index.find_uuid(call_uuid) != nullptr;
}

void call_manager::hang_up_all() {
  context_->stopping.store(true, std::memory_order_relaxed);
  for (auto& running : context_->index.all()) {
    post_to(running, [](detail::call& c) { c.hang_up(503, "Shutting Down"); });
  }
}

std::size_t call_manager::active_calls() const { return context_->limits.active(); }

const live_call_board& call_manager::live_calls() const { return context_->board; }

void call_manager::watch_live_calls(live_call_board::listener listener) {
  context_->board.set_listener(std::move(listener));
}

call_stats call_manager::stats() const {
  const auto& ctx = *context_;
  const auto load = [](const std::atomic<std::uint64_t>& v) {
    return v.load(std::memory_order_relaxed);
  };
  call_stats out;
  out.active = ctx.limits.active();
  out.started_total = load(ctx.started);
  out.answered_locally_total = load(ctx.answered_locally);
  out.flows_started_total = load(ctx.flows_started);
  out.blocked_total = load(ctx.blocked);
  out.bridged_total = load(ctx.bridged);
  out.transferred_total = load(ctx.transferred);
  out.failed_total = load(ctx.failed);
  out.refused_limit_total = load(ctx.refused_limit);
  out.refused_auth_total = load(ctx.refused_auth);
  out.not_found_total = load(ctx.not_found);
  out.ended_total = load(ctx.ended);
  return out;
}

}  // namespace callcenterd::call
