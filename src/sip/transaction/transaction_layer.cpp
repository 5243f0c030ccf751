#include "callcenterd/sip/transaction_layer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>
#include <stdexcept>

#include "callcenterd/sip/header_values.hpp"
#include "client_invite.hpp"
#include "client_non_invite.hpp"
#include "layer_impl.hpp"
#include "message_builders.hpp"
#include "server_invite.hpp"
#include "server_non_invite.hpp"

namespace callcenterd::sip {
namespace {

using txn::timer_slot;

// A stale heap entry costs a few bytes until its deadline; rebuild only when they dominate.
constexpr std::size_t compact_floor = 4096;

std::uint64_t& count_of(transaction_counts& counts, transaction_kind kind) {
  switch (kind) {
    case transaction_kind::client_invite:
      return counts.client_invite;
    case transaction_kind::client_non_invite:
      return counts.client_non_invite;
    case transaction_kind::server_invite:
      return counts.server_invite;
    case transaction_kind::server_non_invite:
      return counts.server_non_invite;
  }
  return counts.server_non_invite;
}

std::string random_instance() {
  std::random_device device;
  const std::uint64_t value = (std::uint64_t{device()} << 32) ^ device();
  return fmt::format("{:016x}", value);
}

}  // namespace

transaction_layer::impl::impl(transaction_settings settings, transport_sender& sender,
                              transaction_user& user)
    : settings_(std::move(settings)),
      sender_(sender),
      user_(user),
      answered_(settings_.max_answered),
      instance_(random_instance()) {
  if (!settings_.branch_prefix.starts_with(txn::magic_cookie)) {
    throw std::invalid_argument("SIP branch prefix must start with z9hG4bK");
  }
  if (settings_.t1.count() <= 0 || settings_.t2 < settings_.t1) {
    throw std::invalid_argument("SIP timers need 0 < T1 <= T2");
  }
}

std::string transaction_layer::impl::make_branch() {
  return fmt::format("{}{}.{:x}", settings_.branch_prefix, instance_, next_branch_++);
}

transaction_id transaction_layer::impl::send_request(sip_message request, flow destination,
                                                     clock_time now) {
  entry_guard guard(*this);
  if (!request.is_request() || request.method() == "ACK" || request.method().empty()) {
    spdlog::warn("sip: send_request refused a response or ACK; ACK goes via send_stateless");
    return 0;
  }
  auto vias = request.header_values("Via");
  auto via = parse_via(vias.empty() ? std::string_view{} : std::string_view(vias.front()));
  auto branch = via ? via->branch() : std::nullopt;
  auto cseq = parse_cseq(request.header("CSeq").value_or(""));
  if (!branch || !branch->starts_with(settings_.branch_prefix) || !cseq ||
      cseq->method != request.method() || !request.header("Call-ID")) {
    spdlog::warn(
        "sip: send_request refused {}: needs a top Via with a branch from "
        "make_branch(), Call-ID and a matching CSeq",
        request.method());
    return 0;
  }
  auto key = txn::client_key(*branch, request.method());
  if (client_keys_.contains(key)) {
    spdlog::warn("sip: send_request refused {}: branch {} already in use", request.method(),
                 *branch);
    return 0;
  }
  const auto id = next_id_++;
  std::unique_ptr<txn::transaction> tx;
  if (request.method() == "INVITE") {
    tx =
        std::make_unique<txn::client_invite>(id, *this, std::move(destination), std::move(request));
  } else {
    tx = std::make_unique<txn::client_non_invite>(id, *this, std::move(destination), request);
  }
  tx->match_key = std::move(key);
  auto* added = add(std::move(tx));
  if (added->kind() == transaction_kind::client_invite) {
    static_cast<txn::client_invite*>(added)->start(now);
  } else {
    static_cast<txn::client_non_invite*>(added)->start(now);
  }
  return id;
}

void transaction_layer::impl::respond(transaction_id id, const sip_message& response,
                                      clock_time now) {
  entry_guard guard(*this);
  if (!response.is_response() || response.status() < 100 || response.status() > 699) {
    spdlog::warn("sip: respond to transaction {} refused: not a response", id);
    return;
  }
  auto* tx = find(id);
  bool sent = false;
  if (tx != nullptr && tx->kind() == transaction_kind::server_invite) {
    sent = static_cast<txn::server_invite*>(tx)->respond(response, now);
  } else if (tx != nullptr && tx->kind() == transaction_kind::server_non_invite) {
    sent = static_cast<txn::server_non_invite*>(tx)->respond(response, now);
  }
  if (!sent) {
    spdlog::warn(
        "sip: {} for transaction {} dropped: no such server transaction or already "
        "final",
        response.status(), id);
  }
  settle(tx);
}

transaction_id transaction_layer::impl::cancel(transaction_id client_invite, clock_time now) {
  entry_guard guard(*this);
  auto* invite = find_as<txn::client_invite>(client_invite, transaction_kind::client_invite);
  if (invite == nullptr) return 0;
  if (invite->cancel_id() != 0) return invite->cancel_id();
  if (!invite->cancellable()) return 0;
  auto request = txn::build_cancel(invite->request(), settings_.user_agent);
  auto vias = request.header_values("Via");
  auto via = parse_via(vias.empty() ? std::string_view{} : std::string_view(vias.front()));
  auto key = txn::client_key(via ? via->branch().value_or("") : "", "CANCEL");
  if (client_keys_.contains(key)) return 0;
  const auto id = next_id_++;
  auto tx = std::make_unique<txn::client_non_invite>(id, *this, invite->peer(), request);
  tx->match_key = std::move(key);
  auto* added = static_cast<txn::client_non_invite*>(add(std::move(tx)));
  if (invite->attach_cancel(id, now)) added->start(now);
  return id;
}

void transaction_layer::impl::send_stateless(const sip_message& message, const flow& destination) {
  sender_.send(destination, to_string(message));
}

void transaction_layer::impl::on_time(clock_time now) {
  entry_guard guard(*this);
  answered_.expire(now);
  while (!timers_.empty() && timers_.top().deadline <= now) {
    const auto entry = timers_.top();
    timers_.pop();
    if (!live(entry)) continue;
    auto* tx = find(entry.id);
    tx->timer(entry.slot).armed = false;
    --armed_;
    tx->on_timer(entry.slot, now);
    settle(tx);
  }
}

std::optional<txn::clock_time> transaction_layer::impl::next_deadline() {
  while (!timers_.empty() && !live(timers_.top())) timers_.pop();
  auto answers = answered_.next_deadline();
  if (timers_.empty()) return answers;
  const auto timer = timers_.top().deadline;
  return answers && *answers < timer ? *answers : timer;
}

transaction_stats transaction_layer::impl::stats() const {
  auto copy = stats_;
  copy.answered_held = answered_.size();
  copy.answered_evicted = answered_.evicted();
  return copy;
}

void transaction_layer::impl::send(const flow& destination, const std::string& bytes) {
  sender_.send(destination, bytes);
}

void transaction_layer::impl::arm(txn::transaction& tx, timer_slot slot, clock_time deadline) {
  auto& state = tx.timer(slot);
  if (!state.armed) ++armed_;
  state.armed = true;
  ++state.generation;
  timers_.push({deadline, tx.id(), state.generation, slot});
  if (timers_.size() > compact_floor && timers_.size() > 4 * armed_) {
    timers_.compact([this](const txn::timer_entry& e) { return live(e); });
  }
}

void transaction_layer::impl::disarm(txn::transaction& tx, timer_slot slot) {
  auto& state = tx.timer(slot);
  if (!state.armed) return;
  state.armed = false;
  ++state.generation;
  --armed_;
}

void transaction_layer::impl::release_cancel(transaction_id cancel, clock_time now) {
  auto* tx = find_as<txn::client_non_invite>(cancel, transaction_kind::client_non_invite);
  if (tx != nullptr) tx->start(now);
}

void transaction_layer::impl::drop_cancel(transaction_id cancel) {
  auto* tx = find_as<txn::client_non_invite>(cancel, transaction_kind::client_non_invite);
  if (tx == nullptr) return;
  tx->drop();
  settle(tx);
}

txn::transaction* transaction_layer::impl::find(transaction_id id) const {
  auto it = registry_.find(id);
  return it == registry_.end() ? nullptr : it->second.get();
}

txn::transaction* transaction_layer::impl::find_server(const std::string& key) const {
  auto it = server_keys_.find(key);
  return it == server_keys_.end() ? nullptr : find(it->second);
}

txn::transaction* transaction_layer::impl::add(std::unique_ptr<txn::transaction> tx) {
  auto* raw = tx.get();
  const bool client = raw->kind() == transaction_kind::client_invite ||
                      raw->kind() == transaction_kind::client_non_invite;
  (client ? client_keys_ : server_keys_).emplace(raw->match_key, raw->id());
  if (!raw->dialog_key.empty()) dialogs_.try_emplace(raw->dialog_key, raw->id());
  ++count_of(stats_.created, raw->kind());
  ++count_of(stats_.active, raw->kind());
  registry_.emplace(raw->id(), std::move(tx));
  return raw;
}

void transaction_layer::impl::settle(txn::transaction* tx) {
  if (tx == nullptr || !tx->done()) return;
  if (tx->kind() == transaction_kind::server_non_invite) file_answer(*tx);
  retire(tx->id());
}

void transaction_layer::impl::file_answer(txn::transaction& tx) {
  auto& server = static_cast<txn::server_non_invite&>(tx);
  if (server.current() != txn::server_non_invite::state::completed) return;
  answered_.add(server.match_key, server.dialog_key,
                {server.take_last_response(), server.peer(), server.request_to_tag()},
                server.completed_at() + 64 * settings_.t1);  // Timer J
}

void transaction_layer::impl::retire(transaction_id id) {
  auto it = registry_.find(id);
  if (it == registry_.end()) return;
  auto& tx = *it->second;
  auto erase_if_ours = [id](auto& index, const std::string& key) {
    auto found = index.find(key);
    if (found != index.end() && found->second == id) index.erase(found);
  };
  const bool client = tx.kind() == transaction_kind::client_invite ||
                      tx.kind() == transaction_kind::client_non_invite;
  erase_if_ours(client ? client_keys_ : server_keys_, tx.match_key);
  if (!tx.dialog_key.empty()) erase_if_ours(dialogs_, tx.dialog_key);
  disarm(tx, timer_slot::retransmit);
  disarm(tx, timer_slot::lifetime);
  --count_of(stats_.active, tx.kind());
  retired_.push_back(std::move(it->second));
  registry_.erase(it);
}

void transaction_layer::impl::sweep() {
  while (!retired_.empty()) {
    auto batch = std::move(retired_);
    retired_.clear();
    for (const auto& tx : batch) user_.on_terminated(tx->id());
  }
}

bool transaction_layer::impl::live(const txn::timer_entry& entry) const {
  const auto* tx = find(entry.id);
  if (tx == nullptr) return false;
  const auto& state = tx->timer(entry.slot);
  return state.armed && state.generation == entry.generation;
}

// The public face forwards to the body.

transaction_layer::transaction_layer(transaction_settings settings, transport_sender& sender,
                                     transaction_user& user)
    : impl_(std::make_unique<impl>(std::move(settings), sender, user)) {}

transaction_layer::~transaction_layer() = default;

void transaction_layer::receive(const received_message& message, time_point now) {
  impl_->receive(message, now);
}
std::string transaction_layer::make_branch() { return impl_->make_branch(); }
transaction_id transaction_layer::send_request(sip_message request, flow destination,
                                               time_point now) {
  return impl_->send_request(std::move(request), std::move(destination), now);
}
void transaction_layer::respond(transaction_id server_tx, const sip_message& response,
                                time_point now) {
  impl_->respond(server_tx, response, now);
}
transaction_id transaction_layer::cancel(transaction_id client_invite, time_point now) {
  return impl_->cancel(client_invite, now);
}
void transaction_layer::send_stateless(const sip_message& message, const flow& destination) {
  impl_->send_stateless(message, destination);
}
void transaction_layer::on_time(time_point now) { impl_->on_time(now); }
std::optional<transaction_layer::time_point> transaction_layer::next_deadline() const {
  return impl_->next_deadline();
}
transaction_stats transaction_layer::stats() const { return impl_->stats(); }
std::size_t transaction_layer::size() const { return impl_->size(); }

}  // namespace callcenterd::sip
