#include "report.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace callcenterd::bench::rtp_load {
namespace {

struct totals {
  std::uint64_t sent = 0;
  std::uint64_t send_errors = 0;
  std::uint64_t send_dropped = 0;
  std::uint64_t received = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t too_late = 0;
  std::int64_t expected = 0;
  std::int64_t lost = 0;
  std::uint64_t ssrc_changes = 0;
  std::uint64_t sequence_jumps = 0;
  std::uint64_t gaps = 0;
  std::uint64_t malformed = 0;
  std::uint64_t corrupt = 0;
  std::uint64_t rtcp = 0;
  std::uint64_t foreign_source = 0;
  std::size_t streams_with_loss = 0;
  std::size_t streams_with_gaps = 0;
  double max_gap_ms = 0;
  double max_jitter_ms = 0;
  // Of each stream's mean RFC 3550 estimate, over the streams that received two packets.
  double jitter_p50_ms = 0;
  double jitter_p99_ms = 0;
  double jitter_max_ms = 0;
  [[nodiscard]] double loss_pct() const {
    return expected > 0 ? 100.0 * static_cast<double>(lost) / static_cast<double>(expected) : 0;
  }
};

double nearest_rank(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  auto rank = static_cast<std::size_t>(std::ceil(static_cast<double>(sorted.size()) * p / 100.0));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

totals sum_up(const std::vector<stream_summary>& streams) {
  totals t;
  std::vector<double> jitter;
  jitter.reserve(streams.size());
  for (const auto& s : streams) {
    t.sent += s.sent;
    t.send_errors += s.send_errors;
    t.send_dropped += s.send_dropped;
    t.received += s.received;
    t.duplicates += s.duplicates;
    t.out_of_order += s.out_of_order;
    t.too_late += s.too_late;
    t.expected += s.expected;
    t.lost += s.lost;
    t.ssrc_changes += s.ssrc_changes;
    t.sequence_jumps += s.sequence_jumps;
    t.gaps += s.gaps;
    t.malformed += s.malformed;
    t.corrupt += s.corrupt;
    t.rtcp += s.rtcp;
    t.foreign_source += s.foreign_source;
    if (s.lost > 0) ++t.streams_with_loss;
    if (s.gaps > 0) ++t.streams_with_gaps;
    t.max_gap_ms = std::max(t.max_gap_ms, s.max_gap_ms);
    t.max_jitter_ms = std::max(t.max_jitter_ms, s.max_jitter_ms);
    if (s.jitter_samples > 0) jitter.push_back(s.mean_jitter_ms);
  }
  std::sort(jitter.begin(), jitter.end());
  t.jitter_p50_ms = nearest_rank(jitter, 50);
  t.jitter_p99_ms = nearest_rank(jitter, 99);
  t.jitter_max_ms = jitter.empty() ? 0 : jitter.back();
  return t;
}

struct rate_figures {
  double mean = 0;
  std::uint64_t min = 0;
  std::uint64_t max = 0;
};

rate_figures rates(const std::vector<std::uint64_t>& per_second) {
  rate_figures r;
  if (per_second.empty()) return r;
  std::uint64_t sum = 0;
  r.min = per_second.front();
  for (const auto v : per_second) {
    sum += v;
    r.min = std::min(r.min, v);
    r.max = std::max(r.max, v);
  }
  r.mean = static_cast<double>(sum) / static_cast<double>(per_second.size());
  return r;
}

// Appends printf-formatted text; lines and JSON here stay far below the buffer size.
void append(std::string& out, const char* format, ...) __attribute__((format(printf, 2, 3)));
void append(std::string& out, const char* format, ...) {
  char buffer[1024];
  va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  if (n > 0)
    out.append(buffer, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buffer - 1));
}

void append_series(std::string& out, const std::vector<std::uint64_t>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    append(out, "%s%" PRIu64, i == 0 ? "" : ",", values[i]);
  }
  out += ']';
}

void append_stream_json(std::string& out, const stream_summary& s) {
  append(out,
         "{\"id\":\"%s\",\"local_port\":%u,\"removed\":%s,\"sent\":%" PRIu64
         ",\"received\":%" PRIu64 ",\"expected\":%" PRId64 ",\"lost\":%" PRId64
         ",\"duplicates\":%" PRIu64 ",\"out_of_order\":%" PRIu64 ",\"too_late\":%" PRIu64,
         s.id.c_str(), s.local_port, s.removed ? "true" : "false", s.sent, s.received, s.expected,
         s.lost, s.duplicates, s.out_of_order, s.too_late);
  append(out,
         ",\"ssrc_changes\":%u,\"sequence_jumps\":%u,\"gaps\":%" PRIu64
         ",\"max_gap_ms\":%.3f,\"jitter_ms\":%.4f,\"mean_jitter_ms\":%.4f,\"max_jitter_ms\":%.4f"
         ",\"malformed\":%" PRIu64 ",\"corrupt\":%" PRIu64 ",\"rtcp\":%" PRIu64
         ",\"foreign_source\":%" PRIu64 ",\"send_errors\":%" PRIu64 ",\"send_dropped\":%" PRIu64
         "}",
         s.ssrc_changes, s.sequence_jumps, s.gaps, s.max_gap_ms, s.jitter_ms, s.mean_jitter_ms,
         s.max_jitter_ms, s.malformed, s.corrupt, s.rtcp, s.foreign_source, s.send_errors,
         s.send_dropped);
}

}  // namespace

std::string format_stats_line(const char* label, const std::vector<stream_summary>& streams,
                              const run_figures& run) {
  const totals t = sum_up(streams);
  const double cpu = run.cpu_user_s + run.cpu_system_s;
  std::string out = label;
  append(out, " t=%.3f streams=%zu sending=%zu peak_streams=%zu", run.wall_s, run.live_streams,
         run.sending_streams, run.peak_streams);
  append(out,
         " sent=%" PRIu64 " received=%" PRIu64 " expected=%" PRId64 " lost=%" PRId64
         " loss_pct=%.4f duplicates=%" PRIu64 " out_of_order=%" PRIu64 " too_late=%" PRIu64,
         t.sent, t.received, t.expected, t.lost, t.loss_pct(), t.duplicates, t.out_of_order,
         t.too_late);
  append(out, " jitter_p50_ms=%.4f jitter_p99_ms=%.4f jitter_max_ms=%.4f", t.jitter_p50_ms,
         t.jitter_p99_ms, t.jitter_max_ms);
  append(out, " gaps=%" PRIu64 " max_gap_ms=%.3f", t.gaps, t.max_gap_ms);
  append(out, " latency_p50_ms=%.3f latency_p99_ms=%.3f latency_max_ms=%.3f",
         run.latency.percentile_ms(50), run.latency.percentile_ms(99), run.latency.max_ms());
  append(out,
         " malformed=%" PRIu64 " corrupt=%" PRIu64 " rtcp=%" PRIu64 " foreign_source=%" PRIu64
         " ssrc_changes=%" PRIu64 " send_errors=%" PRIu64 " send_dropped=%" PRIu64
         " ticks_skipped=%" PRIu64 " packets_skipped=%" PRIu64,
         t.malformed, t.corrupt, t.rtcp, t.foreign_source, t.ssrc_changes, t.send_errors,
         t.send_dropped, run.ticks_skipped, run.packets_skipped);
  append(out, " tick_late_p99_ms=%.3f tick_late_max_ms=%.3f", run.tick_lateness.percentile_ms(99),
         run.tick_lateness.max_ms());
  append(out, " gen_cpu_user_s=%.3f gen_cpu_sys_s=%.3f gen_cpu_pct=%.1f", run.cpu_user_s,
         run.cpu_system_s, run.wall_s > 0 ? 100.0 * cpu / run.wall_s : 0.0);
  return out;
}

std::string format_stream_line(const stream_summary& s) {
  std::string out = "stream " + s.id;
  append(out,
         " local_port=%u sent=%" PRIu64 " received=%" PRIu64 " expected=%" PRId64 " lost=%" PRId64
         " duplicates=%" PRIu64 " out_of_order=%" PRIu64 " jitter_ms=%.4f max_jitter_ms=%.4f",
         s.local_port, s.sent, s.received, s.expected, s.lost, s.duplicates, s.out_of_order,
         s.jitter_ms, s.max_jitter_ms);
  append(out,
         " gaps=%" PRIu64 " max_gap_ms=%.3f ssrc_changes=%u corrupt=%" PRIu64 " malformed=%" PRIu64
         " rtcp=%" PRIu64 " foreign_source=%" PRIu64,
         s.gaps, s.max_gap_ms, s.ssrc_changes, s.corrupt, s.malformed, s.rtcp, s.foreign_source);
  return out;
}

bool write_json_report(const std::string& path, const settings& s,
                       const std::vector<stream_summary>& streams, const run_figures& run,
                       std::string& error) {
  const totals t = sum_up(streams);
  const rate_figures tx = rates(run.sent_per_second);
  const rate_figures rx = rates(run.received_per_second);
  const double cpu = run.cpu_user_s + run.cpu_system_s;
  char bind[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &s.bind_address, bind, sizeof bind);

  std::string out = "{\n";
  append(out,
         "  \"settings\": {\"bind\": \"%s\", \"ptime_ms\": %d, \"payload_type\": %d, "
         "\"payload\": \"%s\", \"duration_s\": %.3f, \"sockets_per_stream\": %d, "
         "\"ports\": \"%u-%u\"},\n",
         bind, s.ptime_ms, s.payload_type, s.payload == payload_kind::tone ? "tone" : "pattern",
         s.duration_s, s.sockets_per_stream, s.port_low, s.port_high);
  append(out, "  \"wall_s\": %.3f,\n", run.wall_s);
  append(out, "  \"streams\": {\"total\": %zu, \"peak\": %zu, \"live_at_end\": %zu},\n",
         streams.size(), run.peak_streams, run.live_streams);
  append(out,
         "  \"packets\": {\"sent\": %" PRIu64 ", \"received\": %" PRIu64
         ", \"send_errors\": %" PRIu64 ", \"send_dropped\": %" PRIu64 ", \"skipped\": %" PRIu64
         "},\n",
         t.sent, t.received, t.send_errors, t.send_dropped, run.packets_skipped);
  append(out,
         "  \"receive\": {\"expected\": %" PRId64 ", \"lost\": %" PRId64
         ", \"loss_pct\": %.6f, \"streams_with_loss\": %zu, \"duplicates\": %" PRIu64
         ", \"out_of_order\": %" PRIu64 ", \"too_late\": %" PRIu64 ",\n",
         t.expected, t.lost, t.loss_pct(), t.streams_with_loss, t.duplicates, t.out_of_order,
         t.too_late);
  append(out,
         "              \"ssrc_changes\": %" PRIu64 ", \"sequence_jumps\": %" PRIu64
         ", \"malformed\": %" PRIu64 ", \"corrupt\": %" PRIu64 ", \"rtcp\": %" PRIu64
         ", \"foreign_source\": %" PRIu64 "},\n",
         t.ssrc_changes, t.sequence_jumps, t.malformed, t.corrupt, t.rtcp, t.foreign_source);
  append(out,
         "  \"jitter_ms\": {\"p50\": %.4f, \"p99\": %.4f, \"max\": %.4f, "
         "\"max_estimate\": %.4f},\n",
         t.jitter_p50_ms, t.jitter_p99_ms, t.jitter_max_ms, t.max_jitter_ms);
  append(out,
         "  \"gaps\": {\"count\": %" PRIu64
         ", \"streams_with_gaps\": %zu, \"max_gap_ms\": %.3f},\n",
         t.gaps, t.streams_with_gaps, t.max_gap_ms);
  append(out,
         "  \"latency_ms\": {\"samples\": %" PRIu64
         ", \"p50\": %.3f, \"p99\": %.3f, "
         "\"max\": %.3f},\n",
         run.latency.count(), run.latency.percentile_ms(50), run.latency.percentile_ms(99),
         run.latency.max_ms());
  append(out,
         "  \"pacing\": {\"ticks\": %" PRIu64 ", \"ticks_skipped\": %" PRIu64
         ", \"late_p50_ms\": %.3f, \"late_p99_ms\": %.3f, \"late_max_ms\": %.3f},\n",
         run.ticks, run.ticks_skipped, run.tick_lateness.percentile_ms(50),
         run.tick_lateness.percentile_ms(99), run.tick_lateness.max_ms());
  append(out,
         "  \"rates\": {\"sent_mean\": %.1f, \"sent_min\": %" PRIu64 ", \"sent_max\": %" PRIu64
         ", \"received_mean\": %.1f, \"received_min\": %" PRIu64 ", \"received_max\": %" PRIu64
         ",\n            \"sent_per_second\": ",
         tx.mean, tx.min, tx.max, rx.mean, rx.min, rx.max);
  append_series(out, run.sent_per_second);
  out += ",\n            \"received_per_second\": ";
  append_series(out, run.received_per_second);
  out += "},\n";
  append(out,
         "  \"generator_cpu\": {\"user_s\": %.3f, \"system_s\": %.3f, \"total_s\": %.3f, "
         "\"percent_of_one_core\": %.2f, \"voluntary_switches\": %ld, "
         "\"involuntary_switches\": %ld}",
         run.cpu_user_s, run.cpu_system_s, cpu, run.wall_s > 0 ? 100.0 * cpu / run.wall_s : 0.0,
         run.voluntary_switches, run.involuntary_switches);
  if (s.report_streams) {
    out += ",\n  \"per_stream\": [";
    for (std::size_t i = 0; i < streams.size(); ++i) {
      out += i == 0 ? "\n    " : ",\n    ";
      append_stream_json(out, streams[i]);
    }
    out += "\n  ]";
  }
  out += "\n}\n";

  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  const bool written = std::fwrite(out.data(), 1, out.size(), file) == out.size();
  if (std::fclose(file) != 0 || !written) {
    error = path + ": write failed";
    return false;
  }
  return true;
}

}  // namespace callcenterd::bench::rtp_load
