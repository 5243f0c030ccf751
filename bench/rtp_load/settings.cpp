#include "settings.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace callcenterd::bench::rtp_load {
namespace {

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

bool parse_seconds(std::string_view text, double& out) {
  // Fractional seconds are fine ("0.5"); negative, huge and trailing junk are not.
  const std::string copy(text);
  char* end = nullptr;
  out = std::strtod(copy.c_str(), &end);
  return !copy.empty() && end == copy.c_str() + copy.size() && out >= 0 && out < 1e7;
}

bool parse_port_range(std::string_view text, settings& s) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return false;
  unsigned low = 0;
  unsigned high = 0;
  if (!parse_number(text.substr(0, dash), low) || !parse_number(text.substr(dash + 1), high))
    return false;
  if (low == 0 || high > 65535 || low > high) return false;
  s.port_low = static_cast<std::uint16_t>(low);
  s.port_high = static_cast<std::uint16_t>(high);
  return true;
}

std::string check_consistency(const settings& s) {
  if (s.ptime_ms < 10 || s.ptime_ms > 100) return "--ptime is 10..100 ms";
  if (s.payload_type < 0 || s.payload_type > 127) return "--payload-type is 0..127";
  if (s.payload == payload_kind::tone && s.payload_type != 0 && s.payload_type != 8)
    return "--payload tone needs --payload-type 0 (PCMU) or 8 (PCMA)";
  if (s.sockets_per_stream != 1 && s.sockets_per_stream != 2)
    return "--sockets-per-stream is 1 or 2";
  if (s.sockets_per_stream == 2 && s.port_low != 0 && s.port_high - s.port_low < 1)
    return "--ports needs room for an RTP/RTCP pair";
  if (!s.allow_remote && !is_loopback(s.bind_address))
    return "--bind is not a loopback address (add --allow-remote if that is intended)";
  if (s.max_streams < 1 || s.max_streams > 60000) return "--max-streams is 1..60000";
  if (s.drain_ms < 0 || s.drain_ms > 60000) return "--drain-ms is 0..60000";
  return {};
}

}  // namespace

bool is_loopback(in_addr address) { return (ntohl(address.s_addr) >> 24) == 127; }

std::variant<settings, usage_error, help_requested> parse_settings(int argc, char** argv) {
  settings s;
  inet_pton(AF_INET, "127.0.0.1", &s.bind_address);
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    bool has_value = false;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    // Flags without a value first; every other option takes the next argument.
    if (arg == "-h" || arg == "--help") return help_requested{};
    if (arg == "--allow-remote") {
      s.allow_remote = true;
      continue;
    }
    if (arg == "--report-streams") {
      s.report_streams = true;
      continue;
    }
    if (arg == "--no-verify") {
      s.verify_payload = false;
      continue;
    }
    if (arg == "--progress") {
      s.progress = true;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) return usage_error{std::string(arg) + " needs a value"};
      value = argv[++i];
    }
    bool ok = true;
    if (arg == "--bind") {
      ok = inet_pton(AF_INET, std::string(value).c_str(), &s.bind_address) == 1;
    } else if (arg == "--ptime") {
      ok = parse_number(value, s.ptime_ms);
    } else if (arg == "--payload-type") {
      ok = parse_number(value, s.payload_type);
    } else if (arg == "--duration") {
      ok = parse_seconds(value, s.duration_s);
    } else if (arg == "--drain-ms") {
      ok = parse_number(value, s.drain_ms);
    } else if (arg == "--report") {
      s.report_path = value;
    } else if (arg == "--sockets-per-stream") {
      ok = parse_number(value, s.sockets_per_stream);
    } else if (arg == "--ports") {
      ok = parse_port_range(value, s);
    } else if (arg == "--control") {
      s.control_path = value;
    } else if (arg == "--control-fd") {
      ok = parse_number(value, s.control_fd) && s.control_fd >= 0;
    } else if (arg == "--payload") {
      if (value == "pattern") {
        s.payload = payload_kind::pattern;
      } else if (value == "tone") {
        s.payload = payload_kind::tone;
      } else {
        ok = false;
      }
    } else if (arg == "--max-streams") {
      ok = parse_number(value, s.max_streams);
    } else {
      return usage_error{"unknown option " + std::string(arg)};
    }
    if (!ok) return usage_error{"bad value for " + std::string(arg) + ": " + std::string(value)};
  }
  if (auto problem = check_consistency(s); !problem.empty()) return usage_error{problem};
  return s;
}

void print_usage(std::FILE* out, const char* program) {
  std::fprintf(out,
               "usage: %s [options]   (commands on stdin unless --control or --control-fd)\n"
               "  --bind ADDR             local address of every stream socket (127.0.0.1)\n"
               "  --ptime MS              packet interval, 10..100 (20)\n"
               "  --payload-type N        RTP payload type (0 = PCMU; 8 = PCMA)\n"
               "  --payload pattern|tone  checkable pattern with send time (default), or 1 kHz\n"
               "  --no-verify             do not check received payloads\n"
               "  --duration S            stop after S seconds (default: run until quit)\n"
               "  --drain-ms MS           wait for packets in flight after stopping (200)\n"
               "  --report FILE           JSON summary at exit (--report-streams: per stream)\n"
               "  --sockets-per-stream N  1, or 2 to bind the RTCP port (RTP port + 1) too\n"
               "  --ports LOW-HIGH        range for `auto` local ports (default: kernel's)\n"
               "  --control PATH          read commands from a FIFO or file, not stdin\n"
               "  --control-fd N          read commands from descriptor N\n"
               "  --max-streams N         refuse streams beyond N (4000)\n"
               "  --allow-remote          allow non-loopback bind and target addresses\n"
               "  --progress              one line of rates per second on stderr\n"
               "commands, one per line; every command gets exactly one reply line on stdout:\n"
               "  add ID LOCAL_PORT|auto REMOTE_IP REMOTE_PORT   -> port ID LOCAL_PORT\n"
               "  open ID [LOCAL_PORT|auto]                      -> port ID LOCAL_PORT\n"
               "  connect ID REMOTE_IP REMOTE_PORT               -> ok connect ID\n"
               "  remove ID                                      -> ok remove ID\n"
               "  stream ID | stats | quit    -> stream ID k=v... | stats k=v... | ok quit\n"
               "  errors                                         -> error ID|- reason\n",
               program);
}

}  // namespace callcenterd::bench::rtp_load
