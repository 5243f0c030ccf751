#include "callcenterd/sip/stack.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <charconv>

#include "callcenterd/sip/header_values.hpp"
#include "stack_core.hpp"

namespace callcenterd::sip {

const std::vector<std::string_view>& counted_methods() {
  static const std::vector<std::string_view> methods{
      "INVITE", "ACK",    "BYE",   "CANCEL",    "OPTIONS", "REGISTER", "INFO", "UPDATE",
      "REFER",  "NOTIFY", "PRACK", "SUBSCRIBE", "MESSAGE", "PUBLISH",  "other"};
  return methods;
}

namespace stack_detail {

namespace {
// Our branches: the RFC 3261 magic cookie, then "-cc<shard>-"; the layer appends a unique
// part. Anything else came from a peer's stack.
constexpr std::string_view branch_marker = "z9hG4bK-cc";

std::string host_text(const boost::asio::ip::address& address) {
  return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}
}  // namespace

std::string shard_branch_prefix(std::uint32_t index) {
  return fmt::format("{}{}-", branch_marker, index);
}

std::optional<std::uint32_t> shard_of_branch(std::string_view branch) {
  if (!branch.starts_with(branch_marker)) return std::nullopt;
  branch.remove_prefix(branch_marker.size());
  std::uint32_t index = 0;
  const auto [end, ec] = std::from_chars(branch.data(), branch.data() + branch.size(), index);
  if (ec != std::errc() || end == branch.data() || end == branch.data() + branch.size() ||
      *end != '-') {
    return std::nullopt;
  }
  return index;
}

stack_core::stack_core(boost::asio::io_context& io, stack_settings settings, stack_user& user)
    : io_(io), settings_(std::move(settings)), user_(user) {
  transport_ = std::make_unique<transport_manager>(io_, settings_.transport, *this);
  unsigned count = settings_.shards != 0 ? settings_.shards : std::max(1u, settings_.threads);
  for (std::uint32_t i = 0; i < count; ++i) {
    auto txn = settings_.transactions;
    txn.branch_prefix = shard_branch_prefix(i);
    if (txn.user_agent.empty()) txn.user_agent = settings_.user_agent;
    if (txn.server_header.empty()) txn.server_header = settings_.user_agent;
    shards_.push_back(std::make_unique<shard>(*this, i, std::move(txn)));
  }
}

std::uint32_t stack_core::shard_for_call_id(std::string_view call_id) const {
  return static_cast<std::uint32_t>(std::hash<std::string_view>{}(call_id) % shards_.size());
}

std::uint32_t stack_core::shard_for(const sip_message& message) const {
  if (message.is_response()) {
    if (const auto via = message.header("Via")) {
      const auto first = split_header_list(*via);
      if (!first.empty()) {
        if (const auto parsed = parse_via(first.front())) {
          if (const auto branch = parsed->branch()) {
            if (const auto index = shard_of_branch(*branch); index && *index < shards_.size()) {
              return *index;
            }
          }
        }
      }
    }
  }
  return shard_for_call_id(message.header("Call-ID").value_or(std::string_view{}));
}

std::size_t method_slot(std::string_view method) {
  const auto& methods = counted_methods();
  for (std::size_t i = 0; i + 1 < methods.size(); ++i) {
    if (methods[i] == method) return i;
  }
  return methods.size() - 1;
}

std::size_t status_class_slot(int status) {
  return static_cast<std::size_t>(std::clamp(status / 100, 1, 6) - 1);
}

void stack_core::on_message(received_message message) {
  if (stopped()) return;
  const auto& m = message.message;
  if (m.is_request()) {
    requests_in.fetch_add(1, std::memory_order_relaxed);
    requests_in_by_method[method_slot(m.method())].fetch_add(1, std::memory_order_relaxed);
  } else {
    responses_in.fetch_add(1, std::memory_order_relaxed);
    responses_in_by_class[status_class_slot(m.status())].fetch_add(1, std::memory_order_relaxed);
  }
  auto& target = *shards_[shard_for(message.message)];
  boost::asio::post(target.strand(), [&target, self = shared_from_this(), m = std::move(message)] {
    target.receive(m);
  });
}

void stack_core::on_connection_closed(const flow& connection) {
  if (!stopped()) user_.on_connection_closed(connection);
}

std::string stack_core::host_port(const flow& local) const {
  const std::string host = settings_.advertised_host.empty() ? host_text(local.local_address)
                                                             : settings_.advertised_host;
  return fmt::format("{}:{}", host, local.local_port);
}

std::string stack_core::via_for(const flow& destination, std::string_view branch) const {
  return fmt::format("SIP/2.0/{} {};branch={};rport", via_token(destination.transport),
                     host_port(destination), branch);
}

}  // namespace stack_detail

sip_stack::sip_stack(boost::asio::io_context& io, stack_settings settings, stack_user& user)
    : core_(std::make_shared<stack_detail::stack_core>(io, std::move(settings), user)) {}

sip_stack::~sip_stack() { stop(); }

boost::system::error_code sip_stack::start() { return core_->transport().start(); }

std::string sip_stack::last_error_detail() const { return core_->transport().last_error_detail(); }

void sip_stack::stop() {
  if (core_->stopped()) return;
  core_->mark_stopped();
  core_->transport().stop();
  for (std::size_t i = 0; i < core_->shard_count(); ++i) {
    auto& s = core_->shard_at(static_cast<std::uint32_t>(i));
    boost::asio::post(s.strand(), [&s, core = core_] { s.stop(); });
  }
}

void sip_stack::respond(server_handle transaction, sip_message response) {
  if (!transaction || transaction.shard >= core_->shard_count()) return;
  core_->responses_out_by_class[stack_detail::status_class_slot(response.status())].fetch_add(
      1, std::memory_order_relaxed);
  auto& s = core_->shard_at(transaction.shard);
  boost::asio::post(s.strand(), [&s, core = core_, id = transaction.id, r = std::move(response)] {
    s.respond(id, r);
  });
}

client_handle sip_stack::send_request(sip_message request, const flow& destination,
                                      client_callback on_event) {
  const auto index =
      core_->shard_for_call_id(request.header("Call-ID").value_or(std::string_view{}));
  const client_handle handle{index, core_->next_key()};
  auto& s = core_->shard_at(index);
  boost::asio::post(s.strand(), [&s, core = core_, key = handle.key, r = std::move(request),
                                 destination, cb = std::move(on_event)]() mutable {
    s.send_request(key, std::move(r), destination, std::move(cb));
  });
  return handle;
}

void sip_stack::cancel(client_handle invite) {
  if (!invite || invite.shard >= core_->shard_count()) return;
  auto& s = core_->shard_at(invite.shard);
  boost::asio::post(s.strand(), [&s, core = core_, key = invite.key] { s.cancel(key); });
}

void sip_stack::send_ack(sip_message ack, const flow& destination) {
  // An ACK for a 2xx is a transaction of its own with a fresh branch (RFC 3261 §13.2.2.4);
  // the marker keeps it out of every shard's response routing.
  static std::atomic<std::uint64_t> counter{1};
  const auto branch =
      fmt::format("z9hG4bK-ack-{:x}", counter.fetch_add(1, std::memory_order_relaxed));
  ack.prepend_header("Via", core_->via_for(destination, branch));
  if (!ack.header("Max-Forwards")) ack.add_header("Max-Forwards", "70");
  core_->transport().send(destination, to_string(ack));
}

std::optional<flow> sip_stack::flow_to(transport_kind transport,
                                       const boost::asio::ip::address& remote,
                                       std::uint16_t port) const {
  for (const auto& local : core_->transport().bound()) {
    if (local.transport != transport) continue;
    if (local.local_address.is_v6() != remote.is_v6()) continue;
    flow out = local;
    out.remote_address = remote;
    out.remote_port = port;
    out.connection_id = 0;
    return out;
  }
  return std::nullopt;
}

std::string sip_stack::contact_host_port(const flow& local) const {
  return core_->host_port(local);
}

std::vector<flow> sip_stack::bound() const { return core_->transport().bound(); }

stack_stats sip_stack::stats() const {
  stack_stats out;
  for (std::size_t i = 0; i < core_->shard_count(); ++i) {
    const auto s = core_->shard_at(static_cast<std::uint32_t>(i)).stats();
    auto& t = out.transactions;
    const auto add = [](transaction_counts& a, const transaction_counts& b) {
      a.client_invite += b.client_invite;
      a.client_non_invite += b.client_non_invite;
      a.server_invite += b.server_invite;
      a.server_non_invite += b.server_non_invite;
    };
    add(t.active, s.active);
    add(t.created, s.created);
    t.answered_held += s.answered_held;
    t.answered_evicted += s.answered_evicted;
    t.retransmissions_sent += s.retransmissions_sent;
    t.retransmissions_absorbed += s.retransmissions_absorbed;
    t.timeouts += s.timeouts;
    t.server_timeouts += s.server_timeouts;
    t.ack_timeouts += s.ack_timeouts;
    t.merged_rejected += s.merged_rejected;
    t.overload_rejected += s.overload_rejected;
    t.stray_responses += s.stray_responses;
    t.stray_acks += s.stray_acks;
    t.unmatched_cancels += s.unmatched_cancels;
    t.malformed_rejected += s.malformed_rejected;
    t.malformed_dropped += s.malformed_dropped;
  }
  out.transports = core_->transport().stats();
  out.requests_in = core_->requests_in.load(std::memory_order_relaxed);
  out.responses_in = core_->responses_in.load(std::memory_order_relaxed);
  out.requests_in_by_method.resize(counted_methods().size());
  for (std::size_t i = 0; i < out.requests_in_by_method.size(); ++i) {
    out.requests_in_by_method[i] = core_->requests_in_by_method[i].load(std::memory_order_relaxed);
  }
  for (std::size_t i = 0; i < 6; ++i) {
    out.responses_in_by_class[i] = core_->responses_in_by_class[i].load(std::memory_order_relaxed);
    out.responses_out_by_class[i] =
        core_->responses_out_by_class[i].load(std::memory_order_relaxed);
  }
  return out;
}

}  // namespace callcenterd::sip
