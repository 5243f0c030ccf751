#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <map>
#include <set>

#include "enum_names.hpp"
#include "secrets.hpp"
#include "sections.hpp"
#include "text_checks.hpp"
#include "value_parsers.hpp"

namespace callcenterd::config::detail {

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// An ACL entry: one address or a CIDR block. Host names are refused: an ACL that depends on
// DNS at start-up would silently change with it.
std::string address_or_cidr_check(std::string_view text) {
  const std::string value(text);
  boost::system::error_code ec;
  if (value.find('/') == std::string::npos) {
    boost::asio::ip::make_address(value, ec);
  } else if (value.find(':') == std::string::npos) {
    boost::asio::ip::make_network_v4(value, ec);
  } else {
    boost::asio::ip::make_network_v6(value, ec);
  }
  if (!ec) return {};
  return "expected an IP address or a CIDR block such as '192.0.2.0/24', got " + in_quotes(text);
}

std::string host_check(std::string_view text) {
  if (text.empty()) return "must not be empty";
  for (const char c : text) {
    const bool ok = is_alnum(c) || c == '.' || c == '-' || c == ':';
    if (!ok) return "expected a host name or IP address, got " + in_quotes(text);
  }
  return {};
}

// A dial prefix routed to a trunk: what a phone dials, so digits and the keypad's '+', '*'
// and '#'.
std::string dial_prefix_check(std::string_view text) {
  if (text.empty() || text.size() > 20)
    return "expected 1 to 20 characters, got " + in_quotes(text);
  for (const char c : text) {
    const bool ok = (c >= '0' && c <= '9') || c == '+' || c == '*' || c == '#';
    if (!ok) return "may contain only digits, '+', '*' and '#', got " + in_quotes(text);
  }
  return {};
}

std::string did_number_check(std::string_view text) {
  const std::string_view digits = !text.empty() && text.front() == '+' ? text.substr(1) : text;
  if (digits.empty() || digits.size() > 20)
    return "expected 1 to 20 digits, got " + in_quotes(text);
  for (const char c : digits) {
    if (c < '0' || c > '9')
      return "expected digits with an optional leading '+', got " + in_quotes(text);
  }
  return {};
}

std::uint16_t default_port(sip_transport transport) {
  switch (transport) {
    case sip_transport::tls:
      return 5061;
    case sip_transport::ws:
      return 8088;
    case sip_transport::wss:
      return 8089;
    default:
      return 5060;
  }
}

void read_listen(section_reader& in, sip_listen_settings& out) {
  in.enumeration("transport", out.transport, sip_transport_names);
  in.text("address", out.address, ip_address_check);
  out.port = default_port(out.transport);
  in.integer<std::uint16_t>("port", out.port, 0, 65535);
}

void read_tls(section_reader& in, sip_tls_settings& out) {
  in.path_or_empty("certificate_file", out.certificate_file);
  in.path_or_empty("private_key_file", out.private_key_file);
  in.path_or_empty("ca_file", out.ca_file);
  in.boolean("verify_peer", out.verify_peer);
}

void read_timers(section_reader& in, sip_timer_settings& out) {
  in.duration("t1", out.t1, milliseconds(50), seconds(10));
  in.duration("t2", out.t2, milliseconds(100), minutes(1));
  in.duration("t4", out.t4, milliseconds(100), minutes(1));
  if (out.t2 < out.t1) in.fail("t2", "sip.timers.t2 must not be shorter than sip.timers.t1");
}

void read_registrar(section_reader& in, sip_registrar_settings& out) {
  in.duration("min_expires", out.min_expires, seconds(1), hours(24));
  in.duration("max_expires", out.max_expires, seconds(1), hours(24 * 7));
  in.duration("default_expires", out.default_expires, seconds(1), hours(24 * 7));
  in.integer<unsigned>("max_contacts", out.max_contacts, 1, 100);
  if (out.max_expires < out.min_expires) {
    in.fail("max_expires", "sip.registrar.max_expires must be at least min_expires");
  } else if (out.default_expires < out.min_expires || out.default_expires > out.max_expires) {
    in.fail("default_expires",
            "sip.registrar.default_expires must lie between min_expires and max_expires");
  }
}

void read_auth(section_reader& in, sip_auth_settings& out) {
  std::vector<std::string> names;
  const auto known = [](std::string_view text) {
    for (const auto name : sip_digest_algorithm_names) {
      if (text == name) return std::string();
    }
    return "expected sha-256 or md5, got " + in_quotes(text);
  };
  if (in.text_list("algorithms", names, known)) {
    std::vector<sip_digest_algorithm> algorithms;
    for (const auto& name : names) {
      const auto index = static_cast<std::size_t>(
          std::find(sip_digest_algorithm_names.begin(), sip_digest_algorithm_names.end(), name) -
          sip_digest_algorithm_names.begin());
      const auto algorithm = static_cast<sip_digest_algorithm>(index);
      if (std::find(algorithms.begin(), algorithms.end(), algorithm) != algorithms.end()) {
        in.fail("algorithms", "sip.auth.algorithms lists " + in_quotes(name) + " twice");
        return;
      }
      algorithms.push_back(algorithm);
    }
    if (algorithms.empty()) {
      in.fail("algorithms", "sip.auth.algorithms needs at least one algorithm");
    } else {
      out.algorithms = std::move(algorithms);
    }
  }
  in.duration("nonce_lifetime", out.nonce_lifetime, seconds(10), hours(24));
  in.integer<unsigned>("max_failures", out.max_failures, 1, 100000);
  in.duration("failure_window", out.failure_window, seconds(1), hours(24));
  in.duration("block_for", out.block_for, seconds(1), hours(24 * 7));
}

void read_limits(section_reader& in, sip_limit_settings& out) {
  in.size("max_message_size", out.max_message_size, 1024, std::uint64_t{1024} * 1024);
  in.integer<unsigned>("max_calls", out.max_calls, 1, 1000000);
  in.integer<unsigned>("max_call_rate_per_source", out.max_call_rate_per_source, 1, 1000000);
  in.integer<std::size_t>("max_transactions", out.max_transactions, 100, 10000000);
  in.integer<std::size_t>("max_answered", out.max_answered, 100, 100000000);
  in.integer<unsigned>("max_connections", out.max_connections, 1, 1000000);
}

void read_trunk(section_reader& in, sip_trunk_settings& out) {
  if (in.required("name", "every trunk needs a name")) in.text("name", out.name, token_check);
  in.text("host", out.host, host_check);
  in.enumeration("transport", out.transport, sip_transport_names);
  out.port = out.transport == sip_transport::tls ? 5061 : 5060;
  in.integer<std::uint16_t>("port", out.port, 1, 65535);
  in.text_list("allow", out.allow, address_or_cidr_check);
  in.text_list("outbound_prefixes", out.outbound_prefixes, dial_prefix_check);
  if (!out.outbound_prefixes.empty() && out.host.empty()) {
    in.fail("outbound_prefixes", "calls out through a trunk need its host");
  }
  if (out.transport == sip_transport::ws || out.transport == sip_transport::wss) {
    in.fail("transport", "a trunk uses udp, tcp or tls; WebSocket peers cannot be dialled");
  }
  in.read_section("registration", [&out](section_reader& reg) {
    auto& r = out.registration;
    reg.boolean("enabled", r.enabled);
    reg.text("username", r.username);
    reg.text("password_env", r.password_env, env_name_check);
    reg.path_or_empty("password_file", r.password_file);
    reg.duration("expires", r.expires, seconds(60), hours(24));
    resolve_secret(reg, "password_file", r.password_file, r.password_env, r.password);
    if (r.enabled && (r.username.empty() || out.host.empty())) {
      reg.fail("enabled", "an outbound registration needs the trunk's host and a username");
    }
  });
  if (out.host.empty() && out.allow.empty()) {
    in.fail("host", "a trunk needs a host to call, an allow list to accept calls from, or both");
  }
}

}  // namespace

void read_sip(section_reader& in, sip_settings& out) {
  in.text("realm", out.realm, token_check);
  auto listen_items = in.list("listen");
  if (!listen_items.empty()) out.listen.clear();
  for (auto& item : listen_items) {
    sip_listen_settings listen;
    read_listen(item, listen);
    item.finish();
    out.listen.push_back(listen);
  }
  in.text("advertised_address", out.advertised_address,
          [](std::string_view text) { return text.empty() ? std::string() : host_check(text); });
  auto tls = in.section("tls");
  read_tls(tls, out.tls);
  const bool wants_tls = std::any_of(out.listen.begin(), out.listen.end(), [](const auto& l) {
    return l.transport == sip_transport::tls || l.transport == sip_transport::wss;
  });
  if (wants_tls && (out.tls.certificate_file.empty() || out.tls.private_key_file.empty())) {
    tls.fail("certificate_file",
             "a tls or wss listener needs sip.tls.certificate_file and sip.tls.private_key_file");
  }
  tls.finish();
  in.read_section("timers", [&](section_reader& s) { read_timers(s, out.timers); });
  in.read_section("registrar", [&](section_reader& s) { read_registrar(s, out.registrar); });
  in.read_section("auth", [&](section_reader& s) { read_auth(s, out.auth); });
  in.read_section("limits", [&](section_reader& s) { read_limits(s, out.limits); });
  in.duration("idle_timeout", out.idle_timeout, seconds(10), hours(24));
  in.duration("dialog_probe_interval", out.dialog_probe_interval, seconds(0), hours(24));
  in.boolean("trace_messages", out.trace_messages);
  in.text("user_agent", out.user_agent);
  std::set<std::string> names;
  std::map<std::string, std::string> prefixes;  // prefix -> trunk
  for (auto& item : in.list("trunks")) {
    sip_trunk_settings trunk;
    read_trunk(item, trunk);
    if (!trunk.name.empty() && !names.insert(trunk.name).second) {
      item.fail("name", "another trunk is already named " + in_quotes(trunk.name));
    }
    for (const auto& prefix : trunk.outbound_prefixes) {
      const auto [it, fresh] = prefixes.emplace(prefix, trunk.name);
      if (!fresh) {
        item.fail("outbound_prefixes", "prefix " + in_quotes(prefix) + " already goes to trunk " +
                                           in_quotes(it->second));
      }
    }
    item.finish();
    out.trunks.push_back(std::move(trunk));
  }
}

void read_blocklist(section_reader& in, blocklist_settings& out) {
  in.integer("status", out.status, 400, 699);
  const bool spoken = in.text("greeting", out.greeting, greeting_check);
  const bool recorded = in.path_or_empty("greeting_prompt", out.greeting_prompt);
  if (in.text("greeting_language", out.greeting_language, language_check) && !spoken) {
    in.fail("greeting_language", "greeting_language needs a greeting to say");
  }
  if ((spoken || recorded) && in.has("status")) {
    in.fail("status", "a blocked caller is refused with a status or hears a greeting, not both");
  }
}

void read_dids(section_reader& root, std::vector<did_settings>& out,
               const std::vector<hold_class_settings>& hold_classes,
               const std::vector<acd::queue_settings>& queues) {
  std::set<std::string> numbers;
  for (auto& item : root.list("dids")) {
    did_settings did;
    if (item.required("number", "every DID needs a number") && item.text("number", did.number)) {
      if (auto why = did_number_check(did.number); !why.empty()) {
        item.fail("number", std::move(why));
        did.number.clear();
      }
    }
    int targets = 0;
    for (std::size_t i = 0; i < did_target_names.size(); ++i) {
      std::string target;
      if (item.text(did_target_names[i], target, token_check)) {
        ++targets;
        did.kind = static_cast<did_settings::target_kind>(i);
        did.target = target;
      }
    }
    const bool known_queue = std::any_of(queues.begin(), queues.end(),
                                         [&](const auto& q) { return q.name == did.target; });
    if (did.kind == did_settings::target_kind::queue && targets == 1 && !known_queue) {
      item.fail("queue", "no queue " + in_quotes(did.target) + " in queues");
    }
    bool hang_up = false;
    if (item.boolean("hang_up", hang_up) && hang_up) {
      ++targets;
      did.kind = did_settings::target_kind::hang_up;
    }
    if (targets != 1 && !did.number.empty()) {
      item.fail("number", "a DID names exactly one of flow, queue, extension or hang_up: true");
    }
    const bool spoken = item.text("greeting", did.greeting, greeting_check);
    const bool recorded = item.path_or_empty("greeting_prompt", did.greeting_prompt);
    if (item.text("greeting_language", did.greeting_language, language_check) && !spoken) {
      item.fail("greeting_language", "greeting_language needs a greeting to say");
    }
    const bool greets = did.kind == did_settings::target_kind::extension ||
                        did.kind == did_settings::target_kind::hang_up;
    if ((spoken || recorded) && !greets) {
      item.fail(spoken ? "greeting" : "greeting_prompt",
                "a greeting plays before an extension rings or a hang-up; flows and queues say "
                "their own");
    }
    if (hang_up && targets == 1 && !spoken && !recorded) {
      item.fail("hang_up", "hang_up: true needs a greeting or greeting_prompt to say first");
    }
    item.boolean("record", did.record);
    if (item.text("hold_class", did.hold_class, token_check)) {
      const bool known = std::any_of(hold_classes.begin(), hold_classes.end(),
                                     [&](const auto& c) { return c.name == did.hold_class; });
      if (!known) {
        item.fail("hold_class",
                  "no hold class " + in_quotes(did.hold_class) + " in media.hold_classes");
      } else if (did.kind == did_settings::target_kind::hang_up) {
        item.fail("hold_class",
                  "an announcement is never held; hold_class needs a flow, "
                  "queue or extension");
      }
    }
    if (!did.number.empty() && !numbers.insert(did.number).second) {
      item.fail("number", "the number " + in_quotes(did.number) + " is listed twice");
    }
    item.finish();
    out.push_back(std::move(did));
  }
}

}  // namespace callcenterd::config::detail
