// Inbound half of the transaction layer: requests and responses from the transport, matched
// to transactions (RFC 3261 §17.1.3, §17.2.3) or handled statelessly.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <functional>

#include "client_invite.hpp"
#include "client_non_invite.hpp"
#include "layer_impl.hpp"
#include "message_builders.hpp"
#include "server_invite.hpp"
#include "server_non_invite.hpp"

namespace callcenterd::sip {
namespace {

bool is_legacy_key(const std::string& key) { return !key.empty() && key.front() == 'L'; }

}  // namespace

void transaction_layer::impl::receive(const received_message& message, clock_time now) {
  entry_guard guard(*this);
  if (message.message.is_request()) {
    on_request(message, now);
  } else {
    on_response(message, now);
  }
}

void transaction_layer::impl::on_response(const received_message& message, clock_time now) {
  auto e = txn::check_response(message.message);
  if (!e) {
    ++stats_.malformed_dropped;
    spdlog::debug("sip: response {} from {} dropped: unusable Via or CSeq",
                  message.message.status(), to_string(message.source));
    return;
  }
  txn::transaction* tx = nullptr;
  if (e->branch.starts_with(settings_.branch_prefix)) {
    auto it = client_keys_.find(txn::client_key(e->branch, e->cseq.method));
    if (it != client_keys_.end()) tx = find(it->second);
  }
  if (tx == nullptr) {
    ++stats_.stray_responses;
    const int status = message.message.status();
    if (e->cseq.method == "INVITE" && status >= 200 && status < 300) {
      user_.on_stray_response(message);
    } else {
      spdlog::debug("sip: stray {} to {} from {} dropped", status, e->cseq.method,
                    to_string(message.source));
    }
    return;
  }
  if (tx->kind() == transaction_kind::client_invite) {
    static_cast<txn::client_invite*>(tx)->on_response(message, now);
  } else {
    static_cast<txn::client_non_invite*>(tx)->on_response(message, now);
  }
  settle(tx);
}

void transaction_layer::impl::on_request(const received_message& message, clock_time now) {
  const auto& request = message.message;
  auto check = txn::check_request(request);
  if (!check.value) {
    // Never answer an ACK, and without a Via there is nowhere to send an answer.
    if (request.method() == "ACK" || !check.via_usable) {
      ++stats_.malformed_dropped;
      spdlog::debug("sip: malformed {} from {} dropped", request.method(),
                    to_string(message.source));
      return;
    }
    ++stats_.malformed_rejected;
    reply_stateless(message, 400, txn::bad_request_reason(check.problem));
    return;
  }
  const auto& e = *check.value;
  if (request.method() == "ACK") {
    on_ack(message, e, now);
    return;
  }
  auto key = txn::server_key(request, e, request.method());
  if (auto* tx = find_server(key)) {
    std::optional<std::string> original_tag;
    if (tx->kind() == transaction_kind::server_invite) {
      original_tag = static_cast<txn::server_invite*>(tx)->request_to_tag();
    } else {
      original_tag = static_cast<txn::server_non_invite*>(tx)->request_to_tag();
    }
    if (!is_legacy_key(key) || original_tag == e.to_tag) {
      if (tx->kind() == transaction_kind::server_invite) {
        static_cast<txn::server_invite*>(tx)->on_retransmission();
      } else {
        static_cast<txn::server_non_invite*>(tx)->on_retransmission();
      }
      return;
    }
  }
  if (repeat_answer(key, e)) return;
  if (request.method() == "CANCEL") {
    on_cancel(message, e, std::move(key), now);
    return;
  }
  if (registry_.size() >= settings_.max_transactions) {
    ++stats_.overload_rejected;
    reply_stateless(message, 503, {});
    return;
  }
  auto dialog = txn::dialog_key(e, request.method());
  if (!e.to_tag && is_merged(dialog, key)) {
    ++stats_.merged_rejected;
    reply_stateless(message, 482, {});
    return;
  }
  create_server(message, e, std::move(key), std::move(dialog), now);
}

void transaction_layer::impl::on_ack(const received_message& ack, const txn::essentials& e,
                                     clock_time now) {
  // A hop-by-hop ACK (for a non-2xx) carries the INVITE's branch.
  auto* invite = find_server_as<txn::server_invite>(txn::server_key(ack.message, e, "INVITE"),
                                                    transaction_kind::server_invite);
  if (invite != nullptr && !e.rfc3261() && invite->response_to_tag() != e.to_tag) {
    invite = nullptr;
  }
  if (invite == nullptr) {
    // The ACK for a 2xx is a transaction of its own with a new branch: find the Accepted
    // INVITE by its dialog and the To tag our 2xx carried.
    auto it = dialogs_.find(txn::dialog_key(e, "INVITE"));
    auto* candidate = it == dialogs_.end() ? nullptr
                                           : find_as<txn::server_invite>(
                                                 it->second, transaction_kind::server_invite);
    if (candidate != nullptr && candidate->current() == txn::server_invite::state::accepted &&
        candidate->response_to_tag() == e.to_tag) {
      invite = candidate;
    }
  }
  if (invite == nullptr) {
    ++stats_.stray_acks;
    user_.on_ack(ack);
    return;
  }
  const bool deliver = invite->on_ack(now);
  settle(invite);
  if (deliver) user_.on_ack(ack);
}

void transaction_layer::impl::on_cancel(const received_message& cancel, const txn::essentials& e,
                                        std::string key, clock_time now) {
  // §9.2: the CANCEL names its INVITE by the same matching rules, method aside.
  auto* invite = find_server_as<txn::server_invite>(txn::server_key(cancel.message, e, "INVITE"),
                                                    transaction_kind::server_invite);
  if (invite != nullptr && !e.rfc3261() && invite->request_to_tag() != e.to_tag) {
    invite = nullptr;
  }
  const bool matched = invite != nullptr && invite->cancellable();
  const auto id = next_id_++;
  auto tx = std::make_unique<txn::server_non_invite>(id, *this, cancel.source, e.to_tag);
  tx->match_key = std::move(key);
  auto* added = static_cast<txn::server_non_invite*>(add(std::move(tx)));
  // §9.2 wants the 200's To tag to equal the one the INVITE's responses carry.
  auto tag =
      matched && invite->response_to_tag() ? *invite->response_to_tag() : local_tag(cancel.message);
  added->respond(txn::build_local_response(cancel.message, matched ? 200 : 481, {}, tag,
                                           settings_.server_header),
                 now);
  settle(added);
  if (matched) {
    user_.on_cancel(invite->id(), cancel);
  } else {
    ++stats_.unmatched_cancels;
  }
}

void transaction_layer::impl::create_server(const received_message& request,
                                            const txn::essentials& e, std::string key,
                                            std::string dialog, clock_time now) {
  const auto id = next_id_++;
  std::unique_ptr<txn::transaction> tx;
  const bool invite = request.message.method() == "INVITE";
  if (invite) {
    tx = std::make_unique<txn::server_invite>(id, *this, request.source, e.to_tag);
  } else {
    tx = std::make_unique<txn::server_non_invite>(id, *this, request.source, e.to_tag);
  }
  tx->match_key = std::move(key);
  tx->dialog_key = std::move(dialog);
  auto* added = add(std::move(tx));
  if (invite) static_cast<txn::server_invite*>(added)->start(request.message, now);
  user_.on_request(id, request);
  settle(added);
}

bool transaction_layer::impl::is_merged(const std::string& dialog, const std::string& key) const {
  // §8.2.2.2: same From tag, Call-ID and CSeq as a live transaction, yet another branch.
  auto it = dialogs_.find(dialog);
  if (it == dialogs_.end()) return answered_.merged(dialog, key);
  const auto* other = find(it->second);
  return other != nullptr && other->match_key != key;
}

bool transaction_layer::impl::repeat_answer(const std::string& key, const txn::essentials& e) {
  const auto* answer = answered_.find(key);
  if (answer == nullptr || (is_legacy_key(key) && answer->request_to_tag != e.to_tag)) {
    return false;
  }
  ++stats_.retransmissions_absorbed;
  sender_.send(answer->peer, answer->bytes);
  return true;
}

void transaction_layer::impl::reply_stateless(const received_message& request, int status,
                                              std::string_view reason) {
  auto response = txn::build_local_response(request.message, status, reason,
                                            local_tag(request.message), settings_.server_header);
  if (status == 503) {
    response.add_header("Retry-After", std::to_string(settings_.overload_retry_after.count()));
  }
  sender_.send(request.source, to_string(response));
}

std::string transaction_layer::impl::local_tag(const sip_message& request) const {
  // Stateless answers must carry the same tag for every retransmission of a request
  // (§8.2.7), so the tag is derived from the request rather than drawn at random.
  const std::hash<std::string_view> hash;
  auto text = [&](std::string_view name) { return request.header(name).value_or(""); };
  const std::size_t value = hash(text("Call-ID")) ^ (hash(text("From")) * 31) ^
                            (hash(text("Via")) * 131) ^ hash(instance_);
  return fmt::format("{:x}", value);
}

}  // namespace callcenterd::sip
