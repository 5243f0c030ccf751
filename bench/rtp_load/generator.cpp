#include "generator.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <system_error>

#include "rtp_wire.hpp"

namespace callcenterd::bench::rtp_load {
namespace {

constexpr std::int64_t tick_ns = 1'000'000;
constexpr std::uint64_t control_handle = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t signal_handle = control_handle - 1;
constexpr int max_events = 1024;
// A tick drains at most this many epoll rounds, so a flood cannot stall sending for long.
constexpr int max_poll_rounds = 16;
// A week of per-second rates; a longer run keeps its totals but not the series.
constexpr std::size_t max_seconds_recorded = 7UL * 24 * 3600;

std::int64_t clock_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

[[noreturn]] void fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

}  // namespace

generator::generator(settings s)
    : settings_(std::move(s)),
      gap_threshold_ns_(3LL * settings_.ptime_ms * 1'000'000),
      random_(std::random_device{}()) {
  const std::size_t payload_size = settings_.samples_per_packet();
  tone_.resize(payload_size);
  fill_tone(tone_, settings_.payload_type == 8);
  send_buffer_.resize(rtp_header_size + payload_size);
  slots_.resize(static_cast<std::size_t>(settings_.ptime_ms));
  if (settings_.port_low != 0) port_cursor_ = settings_.port_low;

  // Thousands of sockets are past the usual soft limit of 1024 descriptors.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }

  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) fail("epoll_create1");

  // A driver that dies must not take us with it mid-write; signals that stop us arrive as
  // events, so the report is still written.
  signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  if (sigprocmask(SIG_BLOCK, &stop_signals, nullptr) != 0) fail("sigprocmask");
  signal_fd_ = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd_ < 0) fail("signalfd");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = signal_handle;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, signal_fd_, &ev) != 0) fail("epoll_ctl signalfd");

  if (!settings_.control_path.empty()) {
    // A FIFO opened for writing too never reports end of input, so drivers may come and go;
    // it also makes the open itself not wait for a writer.
    struct stat st {};
    const bool fifo = stat(settings_.control_path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
    control_fd_ =
        open(settings_.control_path.c_str(), (fifo ? O_RDWR | O_NONBLOCK : O_RDONLY) | O_CLOEXEC);
    if (control_fd_ < 0) fail(settings_.control_path.c_str());
    control_owned_ = true;
  } else {
    control_fd_ = settings_.control_fd;
  }
  ev.data.u64 = control_handle;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, control_fd_, &ev) != 0) {
    if (errno != EPERM) fail("epoll_ctl control input");
    control_always_ready_ = true;
  }

  receive_buffers_.resize(receive_batch * receive_buffer_size);
  control_buffers_.resize(receive_batch * CMSG_SPACE(sizeof(timespec)));

  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  if (timer_fd_ < 0) fail("timerfd_create");
  start_ns_ = clock_ns(CLOCK_MONOTONIC);
  itimerspec period{};
  const std::int64_t first = start_ns_ + tick_ns;
  period.it_value.tv_sec = first / 1'000'000'000;
  period.it_value.tv_nsec = first % 1'000'000'000;
  period.it_interval.tv_nsec = tick_ns;
  if (timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &period, nullptr) != 0) fail("timerfd");
}

generator::~generator() {
  for (auto& s : streams_) {
    if (!s) continue;
    if (s->rtp_fd >= 0) close(s->rtp_fd);
    if (s->rtcp_fd >= 0) close(s->rtcp_fd);
  }
  if (control_owned_) close(control_fd_);
  for (int fd : {timer_fd_, signal_fd_, epoll_fd_}) {
    if (fd >= 0) close(fd);
  }
}

int generator::run() {
  const std::int64_t stop_at =
      settings_.duration_s > 0 ? start_ns_ + static_cast<std::int64_t>(settings_.duration_s * 1e9)
                               : std::numeric_limits<std::int64_t>::max();
  std::int64_t drain_until = std::numeric_limits<std::int64_t>::max();
  bool sending = true;
  while (true) {
    wait_for_tick();
    const std::int64_t now = clock_ns(CLOCK_MONOTONIC);
    if (sending) send_due(now);
    poll_ready();
    if (control_always_ready_ && control_open_) read_control();
    account_seconds(now);
    if (sending && (stopping_ || now >= stop_at)) {
      // Stop sending but keep listening a while: what is in flight through the daemon now
      // was sent, and should not count as lost.
      sending = false;
      drain_until = now + static_cast<std::int64_t>(settings_.drain_ms) * 1'000'000;
    }
    if (!sending && now >= drain_until) break;
  }
  return finish() ? 0 : 1;
}

void generator::wait_for_tick() {
  std::uint64_t expirations = 0;
  while (read(timer_fd_, &expirations, sizeof expirations) < 0 && errno == EINTR) {
  }
}

void generator::send_due(std::int64_t now_ns) {
  if (now_ns < start_ns_ + static_cast<std::int64_t>(next_tick_) * tick_ns) return;
  const std::uint64_t slot_count = slots_.size();
  const auto current = static_cast<std::uint64_t>((now_ns - start_ns_) / tick_ns);
  if (current + 1 - next_tick_ > slot_count) {
    // More than a ptime behind (the machine stalled us): catching up would send every
    // stream's packets in one burst, which no phone does. Serve the current tick only and
    // count what was not sent.
    const std::uint64_t missed = current - next_tick_;
    run_.packets_skipped += missed / slot_count * sending_count_;
    for (std::uint64_t i = 0; i < missed % slot_count; ++i)
      run_.packets_skipped += slots_[(next_tick_ + i) % slot_count].size();
    run_.ticks_skipped += missed;
    next_tick_ = current;
  }
  for (; next_tick_ <= current; ++next_tick_) {
    run_.tick_lateness.add(now_ns - (start_ns_ + static_cast<std::int64_t>(next_tick_) * tick_ns));
    send_slot(next_tick_);
    ++run_.ticks;
  }
}

void generator::send_slot(std::uint64_t tick) {
  const auto& slot = slots_[tick % slots_.size()];
  const auto cycle = static_cast<std::int64_t>(tick / slots_.size());
  for (const std::uint32_t index : slot) send_packet(*streams_[index], cycle);
}

void generator::send_packet(stream& s, std::int64_t cycle) {
  rtp_fields header;
  if (s.first_cycle < 0) {
    s.first_cycle = cycle;
    header.marker = true;
  }
  header.payload_type = static_cast<std::uint8_t>(settings_.payload_type);
  header.sequence = s.sequence++;
  // The timestamp follows the clock, not the packet count, so a skipped tick shows as a
  // timestamp jump the way silence suppression would, never as a drift.
  header.timestamp = s.timestamp_base + static_cast<std::uint32_t>((cycle - s.first_cycle) *
                                                                   settings_.samples_per_packet());
  header.ssrc = s.ssrc;
  write_rtp_header(header,
                   std::span<std::uint8_t, rtp_header_size>(send_buffer_.data(), rtp_header_size));
  const std::span<std::uint8_t> payload(send_buffer_.data() + rtp_header_size,
                                        send_buffer_.size() - rtp_header_size);
  if (settings_.payload == payload_kind::pattern) {
    write_pattern({s.tag, static_cast<std::uint32_t>(s.counters.sent), clock_ns(CLOCK_REALTIME)},
                  payload);
  } else {
    std::copy(tone_.begin(), tone_.end(), payload.begin());
  }
  const ssize_t n = sendto(s.rtp_fd, send_buffer_.data(), send_buffer_.size(), MSG_DONTWAIT,
                           reinterpret_cast<const sockaddr*>(&s.remote), sizeof s.remote);
  if (n >= 0) {
    ++s.counters.sent;
    ++second_sent_;
  } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
    ++s.counters.send_dropped;
  } else {
    ++s.counters.send_errors;
  }
}

void generator::poll_ready() {
  std::array<epoll_event, max_events> events{};
  for (int round = 0; round < max_poll_rounds; ++round) {
    const int n = epoll_wait(epoll_fd_, events.data(), max_events, 0);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t handle = events[i].data.u64;
      if (handle == control_handle) {
        read_control();
      } else if (handle == signal_handle) {
        signalfd_siginfo info{};
        while (read(signal_fd_, &info, sizeof info) == sizeof info) {
          std::fprintf(stderr, "rtp_load: signal %u, stopping\n", info.ssi_signo);
          stopping_ = true;
        }
      } else {
        // A stream removed earlier in this batch, and maybe its index reused, leaves events
        // behind; the generation tells them apart.
        const auto index = static_cast<std::uint32_t>((handle & 0xffffffffU) >> 1);
        const auto generation = static_cast<std::uint32_t>(handle >> 32);
        if (index >= streams_.size() || !streams_[index]) continue;
        stream& s = *streams_[index];
        if (s.generation != generation) continue;
        const bool rtcp = (handle & 1) != 0;
        receive_from(s, rtcp ? s.rtcp_fd : s.rtp_fd, rtcp);
      }
    }
    if (n < max_events) return;
  }
}

void generator::receive_from(stream& s, int fd, bool rtcp) {
  for (std::size_t i = 0; i < receive_batch; ++i) {
    iovecs_[i].iov_base = receive_buffers_.data() + i * receive_buffer_size;
    iovecs_[i].iov_len = receive_buffer_size;
    msghdr& h = messages_[i].msg_hdr;
    h.msg_name = &sources_[i];
    h.msg_namelen = sizeof sources_[i];
    h.msg_iov = &iovecs_[i];
    h.msg_iovlen = 1;
    h.msg_control = control_buffers_.data() + i * CMSG_SPACE(sizeof(timespec));
    h.msg_controllen = CMSG_SPACE(sizeof(timespec));
    h.msg_flags = 0;
  }
  const int n = recvmmsg(fd, messages_.data(), receive_batch, MSG_DONTWAIT, nullptr);
  if (n <= 0) return;
  std::int64_t fallback_ns = 0;
  for (int i = 0; i < n; ++i) {
    const msghdr& h = messages_[i].msg_hdr;
    if (rtcp) {
      ++s.counters.rtcp;
      continue;
    }
    if ((h.msg_flags & MSG_TRUNC) != 0) {
      ++s.counters.malformed;
      continue;
    }
    std::int64_t arrival_ns = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr;
         c = CMSG_NXTHDR(const_cast<msghdr*>(&h), c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        arrival_ns = static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
      }
    }
    if (arrival_ns == 0) {
      if (fallback_ns == 0) fallback_ns = clock_ns(CLOCK_REALTIME);
      arrival_ns = fallback_ns;
    }
    if (s.sending && (sources_[i].sin_addr.s_addr != s.remote.sin_addr.s_addr ||
                      sources_[i].sin_port != s.remote.sin_port)) {
      ++s.counters.foreign_source;
    }
    on_rtp(s, {receive_buffers_.data() + i * receive_buffer_size, messages_[i].msg_len},
           arrival_ns);
  }
}

void generator::on_rtp(stream& s, std::span<const std::uint8_t> packet, std::int64_t arrival_ns) {
  if (looks_like_rtcp(packet)) {
    ++s.counters.rtcp;
    return;
  }
  const auto rtp = parse_rtp(packet);
  if (!rtp) {
    ++s.counters.malformed;
    return;
  }
  ++second_received_;
  s.received.on_packet(rtp->ssrc, rtp->sequence, rtp->timestamp, arrival_ns);
  if (!settings_.verify_payload) return;
  if (settings_.payload == payload_kind::pattern) {
    if (const auto stamp = read_pattern(rtp->payload)) {
      run_.latency.add(arrival_ns - stamp->sent_ns);
    } else {
      ++s.counters.corrupt;
    }
    return;
  }
  // A relay between legs that agreed on different laws converts the tone, so the check
  // decodes by the payload type that arrived rather than comparing bytes.
  const bool known_law = rtp->payload_type == 0 || rtp->payload_type == 8;
  if (!known_law || !is_tone(rtp->payload, rtp->payload_type == 8)) ++s.counters.corrupt;
}

void generator::account_seconds(std::int64_t now_ns) {
  const std::int64_t second = (now_ns - start_ns_) / 1'000'000'000;
  while (current_second_ < second) {
    if (run_.sent_per_second.size() < max_seconds_recorded) {
      run_.sent_per_second.push_back(second_sent_);
      run_.received_per_second.push_back(second_received_);
    }
    second_sent_ = 0;
    second_received_ = 0;
    ++current_second_;
    if (settings_.progress) print_progress(now_ns);
  }
}

void generator::print_progress(std::int64_t now_ns) {
  const run_figures figures = current_figures(now_ns);
  std::fprintf(
      stderr, "rtp_load: t=%lld streams=%zu sending=%zu tx=%llu/s rx=%llu/s\n",
      static_cast<long long>(current_second_), figures.live_streams, figures.sending_streams,
      static_cast<unsigned long long>(run_.sent_per_second.empty() ? 0
                                                                   : run_.sent_per_second.back()),
      static_cast<unsigned long long>(
          run_.received_per_second.empty() ? 0 : run_.received_per_second.back()));
}

run_figures generator::current_figures(std::int64_t now_ns) const {
  run_figures figures = run_;
  figures.wall_s = static_cast<double>(now_ns - start_ns_) / 1e9;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  figures.cpu_user_s = seconds(usage.ru_utime);
  figures.cpu_system_s = seconds(usage.ru_stime);
  figures.voluntary_switches = usage.ru_nvcsw;
  figures.involuntary_switches = usage.ru_nivcsw;
  figures.live_streams = by_id_.size();
  figures.sending_streams = sending_count_;
  return figures;
}

std::int64_t generator::monotonic_ns() { return clock_ns(CLOCK_MONOTONIC); }

bool generator::finish() {
  const run_figures figures = current_figures(clock_ns(CLOCK_MONOTONIC));
  const std::vector<stream_summary> streams = all_summaries();
  std::printf("%s\n", format_stats_line("summary", streams, figures).c_str());
  std::fflush(stdout);
  if (settings_.report_path.empty()) return true;
  std::string error;
  if (write_json_report(settings_.report_path, settings_, streams, figures, error)) return true;
  std::fprintf(stderr, "rtp_load: report: %s\n", error.c_str());
  return false;
}

}  // namespace callcenterd::bench::rtp_load
