// rtp_load: an RTP load generator and sink for benchmarks of the daemon's media path. It
// plays both ends of calls: each stream owns a local UDP port, sends G.711-sized RTP to a
// target on the loopback and measures what comes back to that port. Streams are added and
// removed while it runs through a line protocol (see README.md and --help).

#include <cstdio>
#include <exception>
#include <system_error>
#include <variant>

#include "generator.hpp"
#include "settings.hpp"

namespace rtp_load = callcenterd::bench::rtp_load;

int main(int argc, char** argv) {
  auto parsed = rtp_load::parse_settings(argc, argv);
  if (std::holds_alternative<rtp_load::help_requested>(parsed)) {
    rtp_load::print_usage(stdout, argv[0]);
    return 0;
  }
  if (const auto* error = std::get_if<rtp_load::usage_error>(&parsed)) {
    std::fprintf(stderr, "rtp_load: %s\n", error->message.c_str());
    rtp_load::print_usage(stderr, argv[0]);
    return 2;
  }
  try {
    rtp_load::generator generator(std::get<rtp_load::settings>(std::move(parsed)));
    return generator.run();
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "rtp_load: %s\n", e.what());
    return 1;
  }
}
