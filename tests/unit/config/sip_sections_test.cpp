#include <gtest/gtest.h>

#include "callcenterd/config/loader.hpp"
#include "callcenterd/config/reload.hpp"
#include "test_support.hpp"

namespace callcenterd::config {
namespace {

using namespace std::chrono_literals;
using test::dump;
using test::expect_single_error;
using test::load;

TEST(sip_section, defaults_listen_on_loopback_udp_and_tcp) {
  const auto result = load("");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& sip = result.settings().sip;
  ASSERT_EQ(sip.listen.size(), 2u);
  EXPECT_EQ(sip.listen[0].transport, sip_transport::udp);
  EXPECT_EQ(sip.listen[1].transport, sip_transport::tcp);
  EXPECT_EQ(sip.listen[1].address, "127.0.0.1");
  EXPECT_EQ(sip.listen[1].port, 5060);
  EXPECT_EQ(sip.realm, "callcenterd");
  EXPECT_EQ(sip.timers.t1, 500ms);
  EXPECT_TRUE(sip.trunks.empty());
  EXPECT_TRUE(result.settings().dids.empty());
}

TEST(sip_section, full_section_sets_every_key) {
  test::scoped_env password("CALLCENTERD_TEST_TRUNK_PASSWORD", "carrier-secret");
  const auto result = load(R"(
sip:
  realm: example.com
  listen:
    - {transport: udp, address: "::1", port: 5070}
    - {transport: tls, address: 127.0.0.1}
    - {transport: wss, address: 127.0.0.1}
  advertised_address: pbx.example.com
  tls: {certificate_file: /etc/c.pem, private_key_file: /etc/k.pem, verify_peer: true}
  timers: {t1: 250ms, t2: 2s, t4: 3s}
  registrar: {min_expires: 30s, max_expires: 2h, default_expires: 5m, max_contacts: 3}
  auth: {nonce_lifetime: 1m, max_failures: 5, failure_window: 10s, block_for: 1m,
         algorithms: [md5, sha-256]}
  limits: {max_message_size: 32KiB, max_calls: 50, max_call_rate_per_source: 7,
           max_transactions: 1000, max_answered: 5000, max_connections: 99}
  idle_timeout: 90s
  dialog_probe_interval: 20s
  trace_messages: true
  user_agent: pbx
  trunks:
    - name: carrier
      host: sip.carrier.example
      transport: tls
      allow: [192.0.2.10, 198.51.100.0/24, "2001:db8::/32"]
      outbound_prefixes: ["0", "+"]
      registration:
        enabled: true
        username: acct1
        password_env: CALLCENTERD_TEST_TRUNK_PASSWORD
        expires: 10m
queues:
  - {name: support}
dids:
  - {number: "8000", flow: main}
  - {number: "+4930123", queue: support}
  - {number: "8002", extension: "1001"}
)");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& sip = result.settings().sip;
  EXPECT_EQ(sip.realm, "example.com");
  ASSERT_EQ(sip.listen.size(), 3u);
  EXPECT_EQ(sip.listen[0].address, "::1");
  EXPECT_EQ(sip.listen[0].port, 5070);
  EXPECT_EQ(sip.listen[1].port, 5061) << "TLS defaults to 5061";
  EXPECT_EQ(sip.listen[2].port, 8089) << "WSS defaults to 8089";
  EXPECT_EQ(sip.advertised_address, "pbx.example.com");
  EXPECT_TRUE(sip.tls.verify_peer);
  EXPECT_EQ(sip.timers.t2, 2s);
  EXPECT_EQ(sip.registrar.max_contacts, 3u);
  EXPECT_EQ(sip.registrar.default_expires, 5min);
  EXPECT_EQ(sip.auth.max_failures, 5u);
  EXPECT_EQ(sip.auth.algorithms, (std::vector<sip_digest_algorithm>{sip_digest_algorithm::md5,
                                                                    sip_digest_algorithm::sha256}));
  EXPECT_EQ(sip.limits.max_message_size, 32u * 1024);
  EXPECT_EQ(sip.limits.max_call_rate_per_source, 7u);
  EXPECT_EQ(sip.limits.max_transactions, 1000u);
  EXPECT_EQ(sip.limits.max_answered, 5000u);
  EXPECT_EQ(sip.idle_timeout, 90s);
  EXPECT_EQ(sip.dialog_probe_interval, 20s);
  EXPECT_TRUE(sip.trace_messages);
  ASSERT_EQ(sip.trunks.size(), 1u);
  const auto& trunk = sip.trunks[0];
  EXPECT_EQ(trunk.port, 5061);
  EXPECT_EQ(trunk.allow.size(), 3u);
  EXPECT_EQ(trunk.outbound_prefixes, (std::vector<std::string>{"0", "+"}));
  EXPECT_TRUE(trunk.registration.enabled);
  EXPECT_EQ(trunk.registration.password.reveal(), "carrier-secret");
  const auto& dids = result.settings().dids;
  ASSERT_EQ(dids.size(), 3u);
  EXPECT_EQ(dids[1].kind, did_settings::target_kind::queue);
  EXPECT_EQ(dids[1].target, "support");
  EXPECT_EQ(dids[2].kind, did_settings::target_kind::extension);
}

TEST(sip_section, errors_name_the_list_element) {
  expect_single_error("sip:\n  listen:\n    - {transport: udp}\n    - {transport: sctp}\n", 4,
                      "sip.listen[1].transport",
                      "expected one of udp, tcp, tls, ws, wss; got 'sctp' (did you mean 'tcp'?)");
  expect_single_error("sip:\n  listen: udp\n", 2, "sip.listen", "expected a list, got 'udp'");
  expect_single_error("sip:\n  listen:\n    - {address: 127.0.0.1, prot: 1}\n", 3,
                      "sip.listen[0].prot", "unknown key 'prot' (did you mean 'port'?)");
}

TEST(sip_section, tls_listener_needs_certificate_and_key) {
  expect_single_error("sip:\n  listen:\n    - {transport: tls}\n", 1, "sip.tls.certificate_file",
                      "a tls or wss listener needs sip.tls.certificate_file and "
                      "sip.tls.private_key_file");
}

TEST(sip_section, cross_checks) {
  expect_single_error("sip:\n  timers: {t1: 2s, t2: 1s}\n", 2, "sip.timers.t2",
                      "sip.timers.t2 must not be shorter than sip.timers.t1");
  expect_single_error("sip:\n  registrar: {default_expires: 10s}\n", 2,
                      "sip.registrar.default_expires",
                      "sip.registrar.default_expires must lie between min_expires and max_expires");
}

TEST(sip_section, digest_algorithms_are_known_and_listed_once) {
  const auto defaults = load("");
  EXPECT_EQ(defaults.settings().sip.auth.algorithms.front(), sip_digest_algorithm::sha256)
      << "SHA-256 is preferred unless configured otherwise";
  expect_single_error("sip:\n  auth: {algorithms: [sha-512]}\n", 2, "sip.auth.algorithms[0]",
                      "expected sha-256 or md5, got 'sha-512'");
  expect_single_error("sip:\n  auth: {algorithms: [md5, md5]}\n", 2, "sip.auth.algorithms",
                      "sip.auth.algorithms lists 'md5' twice");
  expect_single_error("sip:\n  auth: {algorithms: []}\n", 2, "sip.auth.algorithms",
                      "sip.auth.algorithms needs at least one algorithm");
}

TEST(sip_section, trunk_checks) {
  expect_single_error("sip:\n  trunks:\n    - {name: a, host: h, allow: [example.com]}\n", 3,
                      "sip.trunks[0].allow[0]",
                      "expected an IP address or a CIDR block such as '192.0.2.0/24', got "
                      "'example.com'");
  expect_single_error("sip:\n  trunks:\n    - {name: a, host: h}\n    - {name: a, host: i}\n", 4,
                      "sip.trunks[1].name", "another trunk is already named 'a'");
  expect_single_error("sip:\n  trunks:\n    - {name: a, host: h, transport: ws}\n", 3,
                      "sip.trunks[0].transport",
                      "a trunk uses udp, tcp or tls; WebSocket peers cannot be dialled");
  expect_single_error(
      "sip:\n  trunks:\n    - {name: a, host: h, outbound_prefixes: ['0']}\n"
      "    - {name: b, host: i, outbound_prefixes: ['1', '0']}\n",
      4, "sip.trunks[1].outbound_prefixes", "prefix '0' already goes to trunk 'a'");
  expect_single_error("sip:\n  trunks:\n    - {name: a, host: h, outbound_prefixes: [9x]}\n", 3,
                      "sip.trunks[0].outbound_prefixes[0]",
                      "may contain only digits, '+', '*' and '#', got '9x'");
  // A bad name is one error, not also "needs a name".
  expect_single_error("sip:\n  trunks:\n    - {name: 'a b', host: h}\n", 3, "sip.trunks[0].name",
                      "may contain only letters, digits, '.', '-', '_' and '+', got 'a b'");
  expect_single_error("sip:\n  trunks:\n    - {host: h}\n", 3, "sip.trunks[0].name",
                      "every trunk needs a name");
  expect_single_error(
      "sip:\n  trunks:\n    - {name: a, allow: [192.0.2.1], outbound_prefixes: ['0']}\n", 3,
      "sip.trunks[0].outbound_prefixes", "calls out through a trunk need its host");
  expect_single_error("sip:\n  trunks:\n    - {name: a}\n", 3, "sip.trunks[0].host",
                      "a trunk needs a host to call, an allow list to accept calls from, or both");
}

TEST(did_list, each_did_names_one_target_once) {
  expect_single_error("dids:\n  - {number: '8000'}\n", 2, "dids[0].number",
                      "a DID names exactly one of flow, queue, extension or hang_up: true");
  expect_single_error("dids:\n  - {number: '8000', flow: a, queue: b}\n", 2, "dids[0].number",
                      "a DID names exactly one of flow, queue, extension or hang_up: true");
  expect_single_error("dids:\n  - {number: '8000', flow: a, hang_up: true, greeting: Hi}\n", 2,
                      "dids[0].number",
                      "a DID names exactly one of flow, queue, extension or hang_up: true");
  expect_single_error("dids:\n  - {number: '80x', flow: a}\n", 2, "dids[0].number",
                      "expected digits with an optional leading '+', got '80x'");
  expect_single_error("dids:\n  - {number: '1', flow: a}\n  - {number: '1', flow: b}\n", 3,
                      "dids[1].number", "the number '1' is listed twice");
}

TEST(did_list, greetings_come_before_an_extension_or_a_hang_up) {
  const auto loaded = load(
      "dids:\n  - {number: '1', extension: '1001', greeting: Hello}\n"
      "  - {number: '2', hang_up: true, greeting_prompt: closed.wav}\n"
      "  - {number: '3', hang_up: true, greeting: '\u6211\u4eec', greeting_language: zh}\n");
  ASSERT_TRUE(loaded.ok());
  const auto& dids = loaded.settings().dids;
  ASSERT_EQ(dids.size(), 3u);
  EXPECT_EQ(dids[0].kind, did_settings::target_kind::extension);
  EXPECT_EQ(dids[0].greeting, "Hello");
  EXPECT_EQ(dids[1].kind, did_settings::target_kind::hang_up);
  EXPECT_EQ(dids[1].greeting_prompt, "closed.wav");
  EXPECT_TRUE(dids[1].target.empty());
  EXPECT_EQ(dids[2].greeting_language, "zh");

  expect_single_error("dids:\n  - {number: '8000', hang_up: true}\n", 2, "dids[0].hang_up",
                      "hang_up: true needs a greeting or greeting_prompt to say first");
  expect_single_error("dids:\n  - {number: '8000', flow: main, greeting: Hi}\n", 2,
                      "dids[0].greeting",
                      "a greeting plays before an extension rings or a hang-up; flows and queues "
                      "say their own");
  expect_single_error("dids:\n  - {number: '8000', extension: '1', greeting_language: zh}\n", 2,
                      "dids[0].greeting_language", "greeting_language needs a greeting to say");
}

TEST(blocklist, refuses_with_a_status_or_says_a_greeting) {
  const auto defaults = load("log: {level: info}\n");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults.settings().blocklist.status, 603);
  EXPECT_TRUE(defaults.settings().blocklist.greeting.empty());
  const auto busy = load("blocklist: {status: 486}\n");
  ASSERT_TRUE(busy.ok());
  EXPECT_EQ(busy.settings().blocklist.status, 486);
  const auto spoken = load("blocklist: {greeting: 'This number cannot be reached.'}\n");
  ASSERT_TRUE(spoken.ok());
  EXPECT_EQ(spoken.settings().blocklist.greeting, "This number cannot be reached.");

  expect_single_error("blocklist: {status: 200}\n", 1, "blocklist.status",
                      "must be between 400 and 699, got 200");
  expect_single_error("blocklist: {status: 403, greeting: Bye}\n", 1, "blocklist.status",
                      "a blocked caller is refused with a status or hears a greeting, not both");
  expect_single_error("blocklist: {greeting_language: zh}\n", 1, "blocklist.greeting_language",
                      "greeting_language needs a greeting to say");
}

TEST(did_list, a_did_names_a_hold_class_that_media_lists) {
  const auto loaded = load(
      "media:\n  hold_classes:\n    - {name: calm, file: calm.wav}\n"
      "    - {name: vip, file: /srv/music/vip.wav}\n"
      "queues:\n  - {name: sales}\n"
      "dids:\n  - {number: '1', queue: sales, hold_class: vip}\n"
      "  - {number: '2', extension: '1001'}\n");
  ASSERT_TRUE(loaded.ok()) << dump(loaded);
  const auto& media = loaded.settings().media;
  ASSERT_EQ(media.hold_classes.size(), 2u);
  EXPECT_EQ(media.hold_classes[0], (hold_class_settings{"calm", "calm.wav"}));
  EXPECT_EQ(media.hold_classes[1], (hold_class_settings{"vip", "/srv/music/vip.wav"}));
  EXPECT_EQ(loaded.settings().dids[0].hold_class, "vip");
  EXPECT_TRUE(loaded.settings().dids[1].hold_class.empty());

  const std::string calm = "media:\n  hold_classes:\n    - {name: calm, file: calm.wav}\n";
  expect_single_error(calm + "dids:\n  - {number: '1', flow: main, hold_class: jazz}\n", 5,
                      "dids[0].hold_class", "no hold class 'jazz' in media.hold_classes");
  expect_single_error(
      calm + "dids:\n  - {number: '1', hang_up: true, greeting: Bye, hold_class: calm}\n", 5,
      "dids[0].hold_class",
      "an announcement is never held; hold_class needs a flow, queue or extension");
  expect_single_error(calm + "    - {name: calm, file: other.wav}\n", 4,
                      "media.hold_classes[1].name", "the hold class 'calm' is listed twice");
  expect_single_error("media:\n  hold_classes:\n    - {name: calm}\n", 3,
                      "media.hold_classes[0].file", "every hold class needs a file");
  expect_single_error("media:\n  hold_classes:\n    - {name: 'two words', file: a.wav}\n", 3,
                      "media.hold_classes[0].name",
                      "may contain only letters, digits, '.', '-', '_' and '+', got 'two words'");
}

TEST(sip_section, any_change_needs_a_restart_and_is_named) {
  const auto running = load("");
  const auto next = load("sip:\n  trace_messages: true\ndids:\n  - {number: '1', flow: x}\n");
  ASSERT_TRUE(running.ok() && next.ok()) << dump(next);
  const auto changes = restart_required_changes(running.settings(), next.settings());
  EXPECT_EQ(changes, (std::vector<std::string>{"sip.trace_messages", "dids"}));
}

}  // namespace
}  // namespace callcenterd::config
