#include "transport_core.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "error_reply.hpp"
#include "inbound.hpp"
#include "message_trace.hpp"
#include "stream_acceptor.hpp"
#include "stream_connection.hpp"
#include "tls_contexts.hpp"
#include "udp_socket.hpp"
#include "ws_connection.hpp"

namespace callcenterd::sip::transport_detail {

namespace asio = boost::asio;

namespace {

std::string endpoint_text(const listen_endpoint& endpoint) {
  if (endpoint.address.find(':') != std::string::npos) {
    return fmt::format("{} [{}]:{}", config_name(endpoint.transport), endpoint.address,
                       endpoint.port);
  }
  return fmt::format("{} {}:{}", config_name(endpoint.transport), endpoint.address, endpoint.port);
}

}  // namespace

transport_core::transport_core(asio::io_context& io, transport_settings settings,
                               transport_listener& listener)
    : io_(io),
      settings_(std::move(settings)),
      listener_(listener),
      table_(settings_.max_connections) {}

boost::system::error_code transport_core::start() {
  std::lock_guard lock(mutex_);
  if (started_) return asio::error::already_started;
  if (stopping_) return asio::error::operation_aborted;
  started_ = true;
  detail_.clear();
  auto ec = load_tls();
  for (std::size_t i = 0; !ec && i < settings_.listen.size(); ++i) {
    ec = open_listener(settings_.listen[i]);
  }
  if (ec) {
    // Nothing has started on these sockets yet, so dropping them closes them.
    udp_.clear();
    acceptors_.clear();
    bound_.clear();
    spdlog::error("sip: cannot start the transports: {}", detail_);
    return ec;
  }
  for (const auto& socket : udp_) socket->start();
  for (const auto& acceptor : acceptors_) acceptor->start();
  for (const auto& local : bound_) {
    spdlog::info("sip: listening on {} {}:{}", config_name(local.transport),
                 local.local_address.to_string(), local.local_port);
  }
  return {};
}

boost::system::error_code transport_core::load_tls() {
  const auto secure = std::find_if(settings_.listen.begin(), settings_.listen.end(),
                                   [](const auto& e) { return is_secure(e.transport); });
  if (secure != settings_.listen.end()) {
    auto server = make_server_tls(settings_.tls);
    if (server.error) {
      detail_ = fmt::format("{}: {}", config_name(secure->transport), server.detail);
      return server.error;
    }
    server_tls_ = std::move(server.context);
  }
  auto client = make_client_tls(settings_.tls);
  if (client.error) {
    detail_ = fmt::format("tls: {}", client.detail);
    return client.error;
  }
  client_tls_ = std::move(client.context);
  return {};
}

boost::system::error_code transport_core::open_listener(const listen_endpoint& endpoint) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(endpoint.address, ec);
  if (!ec) {
    if (endpoint.transport == transport_kind::udp) {
      auto socket = std::make_shared<udp_socket>(shared_from_this(), asio::make_strand(io_));
      ec = socket->open({address, endpoint.port});
      if (!ec) {
        bound_.push_back(socket->local());
        udp_.push_back(std::move(socket));
      }
    } else {
      auto acceptor = std::make_shared<stream_acceptor>(shared_from_this(), endpoint.transport);
      ec = acceptor->open({address, endpoint.port});
      if (!ec) {
        bound_.push_back(acceptor->local());
        acceptors_.push_back(std::move(acceptor));
      }
    }
  }
  if (ec) detail_ = fmt::format("{}: {}", endpoint_text(endpoint), ec.message());
  return ec;
}

std::string transport_core::last_error_detail() const {
  std::lock_guard lock(mutex_);
  return detail_;
}

void transport_core::stop() {
  if (stopping_.exchange(true)) return;
  std::vector<std::shared_ptr<udp_socket>> udp;
  std::vector<std::shared_ptr<stream_acceptor>> acceptors;
  {
    std::lock_guard lock(mutex_);
    udp.swap(udp_);
    acceptors.swap(acceptors_);
  }
  for (const auto& socket : udp) socket->close();
  for (const auto& acceptor : acceptors) acceptor->close();
  // A connection that joins the table after this sees stopping_ and closes itself.
  const auto open = table_.all();
  for (const auto& c : open) c->close("transport stopping");
  if (!udp.empty() || !acceptors.empty()) {
    spdlog::info("sip: transports stopping, {} connection(s) open", open.size());
  }
}

std::vector<flow> transport_core::bound() const {
  std::lock_guard lock(mutex_);
  return bound_;
}

void transport_core::send(const flow& destination, std::string bytes) {
  auto& counters = stats_.at(destination.transport);
  if (stopping_ || destination.remote_port == 0 || destination.remote_address.is_unspecified()) {
    bump(counters.send_failures);
    return;
  }
  trace_message(settings_.trace_messages, "out", destination, bytes);
  if (destination.transport != transport_kind::udp) {
    send_stream(destination, std::move(bytes));
    return;
  }
  if (auto socket = udp_for(destination)) {
    socket->send_to({destination.remote_address, destination.remote_port}, std::move(bytes));
    return;
  }
  bump(counters.send_failures);
  spdlog::warn("sip: no UDP socket can reach {}", to_string(destination));
}

std::shared_ptr<udp_socket> transport_core::udp_for(const flow& destination) const {
  std::lock_guard lock(mutex_);
  std::shared_ptr<udp_socket> best;
  int best_score = 0;
  for (const auto& socket : udp_) {
    const auto& local = socket->local();
    if (local.local_address.is_v4() != destination.remote_address.is_v4()) continue;
    const bool same_port = local.local_port == destination.local_port;
    const int score = same_port ? (local.local_address == destination.local_address ? 3 : 2) : 1;
    if (score > best_score) {
      best = socket;
      best_score = score;
    }
  }
  return best;
}

void transport_core::send_stream(const flow& destination, std::string bytes) {
  auto& counters = stats_.at(destination.transport);
  std::shared_ptr<connection> found;
  if (destination.connection_id != 0) {
    found = table_.find(destination.connection_id);
    if (found && found->transport() != destination.transport) found.reset();
  }
  const remote_key key{destination.transport, destination.remote_address, destination.remote_port};
  if (!found) found = table_.find(key);
  if (found) {
    found->send(std::move(bytes));
    return;
  }
  const bool dialable = destination.transport == transport_kind::tcp ||
                        (destination.transport == transport_kind::tls && client_tls_);
  if (!dialable) {
    bump(counters.send_failures);
    spdlog::debug("sip: {} is gone and cannot be dialled; message dropped", to_string(destination));
    return;
  }
  bool created = false;
  found = table_.find_or_add(
      key,
      [&] {
        return make_outbound_stream(shared_from_this(), destination.transport,
                                    {destination.remote_address, destination.remote_port});
      },
      created);
  if (!found) {
    bump(counters.send_failures);
    bump(counters.connections_rejected);
    spdlog::warn("sip: max_connections ({}) reached; not dialling {}", settings_.max_connections,
                 to_string(destination));
    return;
  }
  if (created) {
    bump(counters.connections_open);
    if (stopping_) {
      found->close("transport stopping");
    } else {
      found->start();
    }
  }
  found->send(std::move(bytes));
}

std::optional<std::string> transport_core::handle_inbound(const flow& source,
                                                          std::string_view bytes) {
  auto& counters = stats_.at(source.transport);
  trace_message(settings_.trace_messages, "in", source, bytes);
  auto result = process_inbound(bytes, source, settings_.limits, std::chrono::steady_clock::now());
  if (result.message) {
    bump(counters.messages_in);
    listener_.on_message(std::move(*result.message));
    return std::nullopt;
  }
  bump(counters.malformed);
  if (result.reply) {
    bump(counters.error_replies);
    trace_message(settings_.trace_messages, "out", source, *result.reply);
  }
  spdlog::debug("sip: {}: malformed message ({}){}", to_string(source), result.problem,
                result.reply ? ", answered" : ", dropped");
  return std::move(result.reply);
}

std::optional<std::string> transport_core::refuse_stream(const flow& source,
                                                         std::string_view pending,
                                                         const boost::system::error_code& why) {
  auto& counters = stats_.at(source.transport);
  bump(counters.malformed);
  auto reply = build_error_reply(pending, status_for(why), source);
  if (reply) {
    bump(counters.error_replies);
    trace_message(settings_.trace_messages, "out", source, *reply);
  }
  spdlog::debug("sip: {}: stream cannot be framed ({}){}", to_string(source), why.message(),
                reply ? ", answered" : "");
  return reply;
}

void transport_core::adopt(transport_kind kind, strand_type strand, asio::ip::tcp::socket socket) {
  auto& counters = stats_.at(kind);
  if (stopping_) return;
  std::shared_ptr<connection> c;
  if (kind == transport_kind::ws || kind == transport_kind::wss) {
    c = make_accepted_websocket(shared_from_this(), std::move(strand), kind, std::move(socket));
  } else {
    c = make_accepted_stream(shared_from_this(), std::move(strand), kind, std::move(socket));
  }
  if (!c) return;  // the peer left before we looked
  if (!table_.add(c)) {
    bump(counters.connections_rejected);
    spdlog::warn("sip: max_connections ({}) reached; {} connection from {} refused",
                 settings_.max_connections, config_name(kind), c->remote().address().to_string());
    return;
  }
  bump(counters.connections_accepted);
  bump(counters.connections_open);
  if (stopping_) {
    c->close("transport stopping");
    return;
  }
  c->start();
}

void transport_core::connection_closed(const connection& c, const flow& which,
                                       std::string_view why) {
  auto& counters = stats_.at(which.transport);
  if (table_.remove(c.id(), c.key())) drop(counters.connections_open);
  bump(counters.connections_closed);
  spdlog::debug("sip: {} closed: {}", to_string(which), why);
  listener_.on_connection_closed(which);
}

}  // namespace callcenterd::sip::transport_detail
