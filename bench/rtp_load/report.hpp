#pragma once

// What rtp_load reports: a `key=value` line for the `stats` command and the final summary,
// and the JSON file of --report. Sums and percentiles over streams are computed here from
// plain per-stream figures, so the I/O code only counts.

#include <cstdint>
#include <string>
#include <vector>

#include "histogram.hpp"
#include "settings.hpp"

namespace callcenterd::bench::rtp_load {

struct stream_summary {
  std::string id;
  std::uint16_t local_port = 0;
  bool removed = false;
  std::uint64_t sent = 0;
  std::uint64_t send_errors = 0;   // refused by the kernel for a reason other than a full buffer
  std::uint64_t send_dropped = 0;  // socket buffer full (EAGAIN, ENOBUFS)
  std::uint64_t received = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t too_late = 0;
  std::int64_t expected = 0;
  std::int64_t lost = 0;
  std::uint32_t ssrc_changes = 0;
  std::uint32_t sequence_jumps = 0;
  std::uint64_t gaps = 0;
  double max_gap_ms = 0;
  double jitter_ms = 0;
  double max_jitter_ms = 0;
  double mean_jitter_ms = 0;
  std::uint64_t jitter_samples = 0;
  std::uint64_t malformed = 0;  // not RTP, truncated
  std::uint64_t corrupt = 0;    // RTP whose payload failed the check
  std::uint64_t rtcp = 0;
  std::uint64_t foreign_source = 0;  // from an address other than the stream's target
};

// Figures of the process rather than of a stream.
struct run_figures {
  double wall_s = 0;
  double cpu_user_s = 0;
  double cpu_system_s = 0;
  long voluntary_switches = 0;
  long involuntary_switches = 0;
  std::size_t live_streams = 0;
  std::size_t sending_streams = 0;
  std::size_t peak_streams = 0;
  std::uint64_t ticks = 0;
  std::uint64_t ticks_skipped = 0;    // the loop fell a whole ptime behind and skipped them
  std::uint64_t packets_skipped = 0;  // packets those ticks would have sent
  duration_histogram tick_lateness;   // how late each tick was served after its deadline
  duration_histogram latency;         // one-way, from `pattern` send stamps
  std::vector<std::uint64_t> sent_per_second;  // whole seconds since start
  std::vector<std::uint64_t> received_per_second;
};

// One line of blank-separated key=value pairs, led by `label`.
std::string format_stats_line(const char* label, const std::vector<stream_summary>& streams,
                              const run_figures& run);

// One line for a single stream: "stream ID key=value...".
std::string format_stream_line(const stream_summary& stream);

// Writes the JSON report; false with `error` set when the file cannot be written.
bool write_json_report(const std::string& path, const settings& s,
                       const std::vector<stream_summary>& streams, const run_figures& run,
                       std::string& error);

}  // namespace callcenterd::bench::rtp_load
