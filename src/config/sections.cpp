#include "sections.hpp"

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <set>

#include "enum_names.hpp"
#include "secrets.hpp"
#include "text_checks.hpp"
#include "value_parsers.hpp"

namespace callcenterd::config::detail {

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::uint64_t kib = 1024;
constexpr std::uint64_t mib = 1024 * kib;
constexpr std::uint64_t gib = 1024 * mib;

// The node name ends up in logs, metrics labels and event rows, so it stays a plain token.
std::string node_name_check(std::string_view text) {
  if (text.size() > 63) return "must be at most 63 characters, got " + in_quotes(text);
  for (const char c : text) {
    if (!is_alnum(c) && c != '.' && c != '-' && c != '_') {
      return "may contain only letters, digits, '.', '-' and '_', got " + in_quotes(text);
    }
  }
  return {};
}

}  // namespace

void read_item_name(section_reader& item, std::string_view what, std::set<std::string>& seen,
                    std::string& out, const text_check& check) {
  const std::string thing(what);
  if (item.required("name", "every " + thing + " needs a name") && item.text("name", out, check) &&
      !seen.insert(out).second) {
    item.fail("name", "the " + thing + " " + in_quotes(out) + " is listed twice");
  }
}

void read_service(section_reader& in, service_settings& out) {
  in.integer<unsigned>("threads", out.threads, 0, 256);
  in.duration("wakeup_coalescing", out.wakeup_coalescing, milliseconds(0), milliseconds(10));
  in.text("node_name", out.node_name, node_name_check);
}

void read_http(section_reader& in, http_settings& out) {
  in.text("address", out.address, ip_address_check);
  in.integer<std::uint16_t>("port", out.port, 0, 65535);
  in.size("max_header_bytes", out.max_header_bytes, 1 * kib, 1 * mib);
  in.size("max_body_bytes", out.max_body_bytes, 1 * kib, 1 * gib);
  in.duration("request_timeout", out.request_timeout, seconds(1), hours(1));
  in.duration("idle_timeout", out.idle_timeout, seconds(1), hours(1));
  in.integer<unsigned>("max_connections", out.max_connections, 1, 100000);
  auto tls = in.section("tls");
  const bool has_cert = tls.has("certificate_file");
  const bool has_key = tls.has("private_key_file");
  tls.path("certificate_file", out.tls.certificate_file);
  tls.path("private_key_file", out.tls.private_key_file);
  if (has_cert != has_key) {
    tls.fail(has_cert ? "private_key_file" : "certificate_file",
             "http.tls needs both certificate_file and private_key_file (or neither, for plain "
             "HTTP on a "
             "loopback address)");
  }
  tls.finish();
  // Logins and session tokens cross this port: in clear text only on this machine.
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(out.address, ec);
  if (!ec && !has_cert && !has_key && !address.is_loopback()) {
    in.fail("address",
            "listening on " + in_quotes(out.address) +
                " needs http.tls (certificate_file and private_key_file): without TLS the API "
                "may only listen on a loopback address (127.0.0.0/8 or ::1)");
  }
}

void read_database(section_reader& in, database_settings& out) {
  in.text("host", out.host, not_empty);
  in.integer<std::uint16_t>("port", out.port, 1, 65535);
  in.text("name", out.name, not_empty);
  in.text("user", out.user, not_empty);
  in.text("password_env", out.password_env, env_name_check);
  in.path_or_empty("password_file", out.password_file);
  in.enumeration("sslmode", out.sslmode, ssl_mode_names);
  in.integer<unsigned>("pool_size", out.pool_size, 1, 64);
  in.duration("connect_timeout", out.connect_timeout, seconds(1), minutes(10));
  in.duration("reconnect_max_backoff", out.reconnect_max_backoff, milliseconds(100), minutes(10));
  resolve_password(in, out);
}

void read_paths(section_reader& in, paths_settings& out) {
  in.path("var", out.var);
  if (!in.path("recordings", out.recordings)) out.recordings = out.var / "recordings";
  in.path("prompts", out.prompts);
  in.path("migrations", out.migrations);
  in.path("flows", out.flows);
}

void read_log(section_reader& in, log_settings& out) {
  in.enumeration("level", out.level, log_level_names);
  in.enumeration("format", out.format, log_format_names);
}

void read_event_log(section_reader& in, event_log_settings& out, const paths_settings& paths) {
  in.integer<std::size_t>("batch_size", out.batch_size, 1, 10000);
  in.duration("flush_interval", out.flush_interval, milliseconds(1), minutes(1));
  if (!in.path("spool_file", out.spool_file)) out.spool_file = paths.var / "spool/events.spool";
  const bool memory_given =
      in.integer<std::size_t>("max_memory_events", out.max_memory_events, 1, 10'000'000);
  // A batch is taken from the events held in memory, so memory must hold at least one batch.
  if (out.max_memory_events < out.batch_size) {
    in.fail(memory_given ? "max_memory_events" : "batch_size",
            "event_log.max_memory_events (" + std::to_string(out.max_memory_events) +
                ") must be at least event_log.batch_size (" + std::to_string(out.batch_size) + ")");
  }
}

void read_shutdown(section_reader& in, shutdown_settings& out) {
  in.duration("drain_timeout", out.drain_timeout, milliseconds(0), hours(1));
}

void read_media(section_reader& in, media_settings& out) {
  in.text("address", out.address, ip_address_check);
  in.text("advertised_address", out.advertised_address, [](std::string_view text) {
    return text.empty() ? std::string() : ip_address_check(text);
  });
  in.integer<std::uint16_t>("rtp_port_min", out.rtp_port_min, 1024, 65534);
  in.integer<std::uint16_t>("rtp_port_max", out.rtp_port_max, 1025, 65535);
  // Each leg takes an even port and the odd one above it.
  if (out.rtp_port_max < out.rtp_port_min + 3) {
    in.fail("rtp_port_max", "media.rtp_port_max (" + std::to_string(out.rtp_port_max) +
                                ") must leave room for two port pairs above media.rtp_port_min (" +
                                std::to_string(out.rtp_port_min) + ")");
  }
  in.duration("rtcp_interval", out.rtcp_interval, seconds(1), minutes(1));
  in.path_or_empty("hold_music", out.hold_music);
  std::set<std::string> names;
  for (auto& item : in.list("hold_classes")) {
    hold_class_settings hold_class;
    read_item_name(item, "hold class", names, hold_class.name);
    if (item.required("file", "every hold class needs a file")) item.path("file", hold_class.file);
    item.finish();
    out.hold_classes.push_back(std::move(hold_class));
  }
}

void read_recording(section_reader& in, recording_settings& out) {
  in.boolean("enabled", out.enabled);
  in.boolean("sync_to_disk", out.sync_to_disk);
  in.duration("flush_interval", out.flush_interval, milliseconds(100), minutes(1));
}

void read_crm(section_reader& in, crm_settings& out) {
  in.text("country_code", out.country_code, [](std::string_view text) -> std::string {
    const bool digits = !text.empty() && text.size() <= 3 && text.front() != '0' &&
                        text.find_first_not_of("0123456789") == std::string_view::npos;
    return digits ? std::string() : "a country calling code is 1 to 3 digits, not starting with 0";
  });
}

void read_sessions(section_reader& in, session_settings& out) {
  in.duration("lifetime", out.lifetime, seconds(1), hours(24 * 30));
  in.duration("idle_timeout", out.idle_timeout, seconds(1), hours(24));
  in.integer<unsigned>("max_failed_logins", out.max_failed_logins, 1, 1000);
  in.integer<unsigned>("max_failed_logins_per_source", out.max_failed_logins_per_source, 1, 100000);
  in.duration("failure_window", out.failure_window, seconds(1), hours(24));
}

void read_daemon_settings(section_reader& root, daemon_settings& out) {
  // Each section reads through its own reader so that unknown keys are reported per section.
  root.read_section("service", [&](section_reader& s) { read_service(s, out.service); });
  root.read_section("http", [&](section_reader& s) { read_http(s, out.http); });
  root.read_section("database", [&](section_reader& s) { read_database(s, out.database); });
  root.read_section("paths", [&](section_reader& s) { read_paths(s, out.paths); });
  root.read_section("log", [&](section_reader& s) { read_log(s, out.log); });
  root.read_section("event_log",
                    [&](section_reader& s) { read_event_log(s, out.event_log, out.paths); });
  root.read_section("shutdown", [&](section_reader& s) { read_shutdown(s, out.shutdown); });
  root.read_section("sip", [&](section_reader& s) { read_sip(s, out.sip); });
  root.read_section("media", [&](section_reader& s) { read_media(s, out.media); });
  root.read_section("recording", [&](section_reader& s) { read_recording(s, out.recording); });
  root.read_section("crm", [&](section_reader& s) { read_crm(s, out.crm); });
  root.read_section("sessions", [&](section_reader& s) { read_sessions(s, out.sessions); });
  read_acd(root, out.acd, out.media.hold_classes, out.sip.trunks);
  root.read_section("blocklist", [&](section_reader& s) { read_blocklist(s, out.blocklist); });
  read_dids(root, out.dids, out.media.hold_classes, out.acd.queues);
}

}  // namespace callcenterd::config::detail
