#include "sip_settings_mapping.hpp"

namespace callcenterd::app {

namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

sip::transport_kind to_kind(config::sip_transport transport) {
  switch (transport) {
    case config::sip_transport::udp:
      return sip::transport_kind::udp;
    case config::sip_transport::tcp:
      return sip::transport_kind::tcp;
    case config::sip_transport::tls:
      return sip::transport_kind::tls;
    case config::sip_transport::ws:
      return sip::transport_kind::ws;
    case config::sip_transport::wss:
      return sip::transport_kind::wss;
  }
  return sip::transport_kind::udp;
}

}  // namespace

sip::stack_settings to_stack_settings(const config::sip_settings& sip, unsigned threads) {
  sip::stack_settings out;
  for (const auto& listen : sip.listen) {
    out.transport.listen.push_back({to_kind(listen.transport), listen.address, listen.port});
  }
  out.transport.tls.certificate_file = sip.tls.certificate_file.string();
  out.transport.tls.private_key_file = sip.tls.private_key_file.string();
  out.transport.tls.ca_file = sip.tls.ca_file.string();
  out.transport.tls.verify_peer = sip.tls.verify_peer;
  out.transport.idle_timeout = duration_cast<seconds>(sip.idle_timeout);
  out.transport.max_connections = sip.limits.max_connections;
  out.transport.limits.max_message_size = sip.limits.max_message_size;
  out.transport.trace_messages = sip.trace_messages;
  out.transactions.t1 = sip.timers.t1;
  out.transactions.t2 = sip.timers.t2;
  out.transactions.t4 = sip.timers.t4;
  out.transactions.timer_d = std::max(std::chrono::milliseconds(32000), 64 * sip.timers.t1);
  out.transactions.max_transactions = sip.limits.max_transactions;
  out.transactions.max_answered = sip.limits.max_answered;
  out.threads = threads;
  out.advertised_host = sip.advertised_address;
  out.user_agent = sip.user_agent;
  return out;
}

sip::digest_settings to_digest_settings(const config::sip_settings& sip) {
  sip::digest_settings out;
  out.realm = sip.realm;
  out.nonce_lifetime = duration_cast<seconds>(sip.auth.nonce_lifetime);
  out.algorithms.clear();
  for (const auto algorithm : sip.auth.algorithms) {
    out.algorithms.push_back(algorithm == config::sip_digest_algorithm::sha256
                                 ? sip::digest_algorithm::sha256
                                 : sip::digest_algorithm::md5);
  }
  return out;
}

sip::throttle_settings to_throttle_settings(const config::sip_auth_settings& auth) {
  sip::throttle_settings out;
  out.max_failures = auth.max_failures;
  out.window = duration_cast<seconds>(auth.failure_window);
  out.block_for = duration_cast<seconds>(auth.block_for);
  return out;
}

sip::registrar_settings to_registrar_settings(const config::sip_settings& sip) {
  sip::registrar_settings out;
  out.min_expires = duration_cast<seconds>(sip.registrar.min_expires);
  out.max_expires = duration_cast<seconds>(sip.registrar.max_expires);
  out.default_expires = duration_cast<seconds>(sip.registrar.default_expires);
  out.max_contacts = sip.registrar.max_contacts;
  out.user_agent = sip.user_agent;
  return out;
}

namespace {

// The fields a trunk's call endpoint and its registration share, set on either struct.
template <class Peer>
Peer trunk_peer(const config::sip_trunk_settings& trunk) {
  Peer out;
  out.name = trunk.name;
  out.host = trunk.host;
  out.port = trunk.port;
  out.transport = to_kind(trunk.transport);
  out.credentials = {trunk.registration.username, trunk.registration.password.reveal()};
  return out;
}

}  // namespace

call::call_settings to_call_settings(const config::sip_settings& sip, call::call_target blocked) {
  call::call_settings out;
  out.blocked = std::move(blocked);
  out.max_calls = sip.limits.max_calls;
  out.max_call_rate_per_source = sip.limits.max_call_rate_per_source;
  out.server_header = sip.user_agent;
  out.dialog_probe_interval = sip.dialog_probe_interval;
  for (const auto& trunk : sip.trunks) {
    out.trusted_sources.insert(out.trusted_sources.end(), trunk.allow.begin(), trunk.allow.end());
    if (!trunk.host.empty()) out.trunks.push_back(trunk_peer<call::trunk_endpoint>(trunk));
  }
  return out;
}

std::vector<call::prefix_route> to_prefix_routes(const config::sip_settings& sip) {
  std::vector<call::prefix_route> out;
  for (const auto& trunk : sip.trunks) {
    for (const auto& prefix : trunk.outbound_prefixes) out.push_back({prefix, trunk.name});
  }
  return out;
}

std::vector<call::number_route> to_number_routes(const std::vector<config::did_settings>& dids,
                                                 bool record, const did_prompt& greeting,
                                                 const did_prompt& hold_music) {
  std::vector<call::number_route> out;
  out.reserve(dids.size());
  for (const auto& did : dids) {
    call::call_target target;
    target.name = did.target;
    switch (did.kind) {
      case config::did_settings::target_kind::extension:
        target.what = call::call_target::kind::extension;
        break;
      case config::did_settings::target_kind::hang_up:
        target.what = call::call_target::kind::announcement;
        break;
      case config::did_settings::target_kind::flow:
        target.what = call::call_target::kind::flow;
        break;
      case config::did_settings::target_kind::queue:
        target.what = call::call_target::kind::queue;
        break;
    }
    target.record = record && did.record;
    if (greeting) target.greeting = greeting(did);
    if (hold_music) target.hold_music = hold_music(did);
    out.push_back({did.number, std::move(target)});
  }
  return out;
}

std::vector<sip::outbound_registration_settings> to_outbound_registrations(
    const config::sip_settings& sip) {
  std::vector<sip::outbound_registration_settings> out;
  for (const auto& trunk : sip.trunks) {
    if (!trunk.registration.enabled) continue;
    auto r = trunk_peer<sip::outbound_registration_settings>(trunk);
    r.expires = duration_cast<seconds>(trunk.registration.expires);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace callcenterd::app
