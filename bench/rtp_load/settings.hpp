#pragma once

// Command-line settings of rtp_load. Only main() reads argv; everything else takes this
// struct, so a test or another driver can build one by hand.

#include <netinet/in.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <variant>

namespace callcenterd::bench::rtp_load {

// What the payload of every packet carries. `pattern` lets the sink check each packet and
// measure one-way latency through the daemon, but survives only relays that leave payload
// bytes alone; `tone` is real audio (1 kHz) and survives a PCMU/PCMA conversion.
enum class payload_kind { pattern, tone };

struct settings {
  in_addr bind_address{};  // network byte order, as inet_pton writes it
  int ptime_ms = 20;
  int payload_type = 0;     // 0 PCMU, 8 PCMA; others only with `pattern`
  double duration_s = 0;    // 0: until `quit`, a signal or the end of the control input
  int drain_ms = 200;       // after sending stops, how long to wait for packets in flight
  std::string report_path;  // JSON summary at exit; empty: none
  bool report_streams = false;
  int sockets_per_stream = 1;  // 2: also bind the RTCP port (RTP port + 1)
  std::uint16_t port_low = 0;  // range for `auto` local ports; 0: let the kernel choose
  std::uint16_t port_high = 0;
  std::string control_path;  // FIFO or file to read commands from; empty: control_fd
  int control_fd = 0;
  bool allow_remote = false;  // permit non-loopback bind and target addresses
  payload_kind payload = payload_kind::pattern;
  bool verify_payload = true;
  bool progress = false;  // a line per second on stderr
  int max_streams = 4000;

  // Derived: G.711 carries one byte per sample at 8 kHz.
  static constexpr std::uint32_t clock_rate = 8000;
  [[nodiscard]] std::uint32_t samples_per_packet() const {
    return static_cast<std::uint32_t>(ptime_ms) * (clock_rate / 1000);
  }
};

struct usage_error {
  std::string message;
};
// --help: not an error, but nothing to run either.
struct help_requested {};

std::variant<settings, usage_error, help_requested> parse_settings(int argc, char** argv);
void print_usage(std::FILE* out, const char* program);

// True for 127.0.0.0/8.
bool is_loopback(in_addr address);

}  // namespace callcenterd::bench::rtp_load
