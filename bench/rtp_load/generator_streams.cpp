// Control commands and the life of a stream: sockets, ports, slots and the summary a stream
// leaves behind when it goes.

#include <arpa/inet.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "generator.hpp"

namespace callcenterd::bench::rtp_load {
namespace {

constexpr std::size_t control_read_size = 8192;
constexpr const char* not_loopback = "target is not a loopback address (see --allow-remote)";

std::uint64_t handle_of(std::uint32_t index, std::uint32_t generation, bool rtcp) {
  return (static_cast<std::uint64_t>(generation) << 32) | (static_cast<std::uint64_t>(index) << 1) |
         (rtcp ? 1U : 0U);
}

// A socket bound to `address`:`port` (0: the kernel picks), or -errno.
int open_socket(in_addr address, std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  // Kernel arrival times: the loop reads at most once a millisecond, so its own clock would
  // add up to a tick of made-up jitter.
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = address;
  local.sin_port = htons(port);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    const int error = errno;
    close(fd);
    return -error;
  }
  return fd;
}

std::uint16_t local_port_of(int fd) {
  sockaddr_in local{};
  socklen_t length = sizeof local;
  getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
  return ntohs(local.sin_port);
}

}  // namespace

void generator::read_control() {
  std::array<char, control_read_size> buffer{};
  const ssize_t n = read(control_fd_, buffer.data(), buffer.size());
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) {
    control_open_ = false;
    if (!control_always_ready_) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, control_fd_, nullptr);
    // Without --duration the end of the commands is the end of the run, so `driver |
    // rtp_load` stops with its driver; with it, the streams run on to the end.
    if (settings_.duration_s <= 0) stopping_ = true;
    return;
  }
  control_lines_.append({buffer.data(), static_cast<std::size_t>(n)});
  bool overlong = false;
  while (auto line = control_lines_.next(overlong)) {
    if (overlong) reply_error("-", "line too long");
    execute(parse_command(*line));
  }
  if (overlong) reply_error("-", "line too long");
  std::fflush(stdout);
}

void generator::reply_error(const std::string& id, const std::string& reason) {
  std::printf("error %s %s\n", id.empty() ? "-" : id.c_str(), reason.c_str());
}

void generator::execute(const command& c) {
  std::uint32_t index = 0;
  switch (c.kind) {
    case command_kind::none:
      return;
    case command_kind::invalid:
      reply_error(c.id, c.error);
      return;
    case command_kind::add:
    case command_kind::open: {
      // The target is checked before any socket opens, so a refused add leaves no stream.
      const bool adding = c.kind == command_kind::add;
      if (adding && !target_allowed(c.remote_address)) return reply_error(c.id, not_loopback);
      if (auto problem = open_stream(c, index); !problem.empty()) {
        reply_error(c.id, problem);
        return;
      }
      stream& s = *streams_[index];
      if (adding) connect_stream(s, index, c);
      std::printf("port %s %u\n", c.id.c_str(), s.counters.local_port);
      return;
    }
    case command_kind::connect: {
      stream* s = find(c.id, index);
      if (s == nullptr) return reply_error(c.id, "no such stream");
      if (!target_allowed(c.remote_address)) return reply_error(c.id, not_loopback);
      connect_stream(*s, index, c);
      std::printf("ok connect %s\n", c.id.c_str());
      return;
    }
    case command_kind::remove:
      if (find(c.id, index) == nullptr) return reply_error(c.id, "no such stream");
      remove_stream(index);
      std::printf("ok remove %s\n", c.id.c_str());
      return;
    case command_kind::stream: {
      stream* s = find(c.id, index);
      if (s == nullptr) return reply_error(c.id, "no such stream");
      std::printf("%s\n", format_stream_line(summarise(*s)).c_str());
      return;
    }
    case command_kind::stats: {
      const auto figures = current_figures(monotonic_ns());
      std::printf("%s\n", format_stats_line("stats", all_summaries(), figures).c_str());
      return;
    }
    case command_kind::quit:
      std::printf("ok quit\n");
      stopping_ = true;
      return;
  }
}

generator::stream* generator::find(const std::string& id, std::uint32_t& index_out) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  index_out = it->second;
  return streams_[index_out].get();
}

std::string generator::open_stream(const command& c, std::uint32_t& index_out) {
  if (by_id_.contains(c.id)) return "stream exists";
  if (by_id_.size() >= static_cast<std::size_t>(settings_.max_streams))
    return "--max-streams reached";
  std::uint32_t index = 0;
  if (!free_indices_.empty()) {
    index = free_indices_.back();
  } else {
    index = static_cast<std::uint32_t>(streams_.size());
  }
  auto s = std::make_unique<stream>(gap_threshold_ns_, settings::clock_rate);
  s->generation = next_generation_;
  next_generation_ = next_generation_ % 0x7fffffffU + 1;
  s->counters.id = c.id;

  const bool pair = settings_.sockets_per_stream == 2;
  const auto describe = [pair](std::uint16_t port, int error) {
    return "port " + std::to_string(port) + (pair ? " or the one above" : "") + ": " +
           std::strerror(error);
  };
  if (c.local_port) {
    if (const int error = bind_sockets(*s, index, *c.local_port); error != 0)
      return describe(*c.local_port, error);
  } else if (settings_.port_low == 0) {
    if (pair) return "auto ports with --sockets-per-stream 2 need --ports";
    if (const int error = bind_sockets(*s, index, 0); error != 0) return describe(0, error);
  } else {
    // Walk the range on from where the last stream got its port, so a port freed by a
    // removed stream is not handed out again at once (late packets of the old call would
    // land in the new one). RTP ports are even when RTCP takes the odd one above.
    const std::uint32_t step = pair ? 2 : 1;
    const std::uint32_t span = settings_.port_high - settings_.port_low + 1U;
    int error = EADDRINUSE;
    for (std::uint32_t tried = 0; tried < span && error == EADDRINUSE; tried += step) {
      if (pair && port_cursor_ % 2 != 0) ++port_cursor_;
      if (port_cursor_ + step - 1 > settings_.port_high) port_cursor_ = settings_.port_low;
      if (pair && port_cursor_ % 2 != 0) ++port_cursor_;
      if (port_cursor_ + step - 1 > settings_.port_high) break;  // a range of one odd pair
      const auto port = static_cast<std::uint16_t>(port_cursor_);
      port_cursor_ += step;
      error = bind_sockets(*s, index, port);
      if (error != 0 && error != EADDRINUSE) return describe(port, error);
    }
    if (error != 0) return "no free port in --ports";
  }

  s->tag = next_tag_++;
  // Random SSRC, sequence and timestamp origin, as RFC 3550 §5.1 asks.
  s->ssrc = static_cast<std::uint32_t>(random_());
  s->sequence = static_cast<std::uint16_t>(random_());
  s->timestamp_base = static_cast<std::uint32_t>(random_());
  if (index == streams_.size()) {
    streams_.push_back(std::move(s));
  } else {
    free_indices_.pop_back();
    streams_[index] = std::move(s);
  }
  by_id_.emplace(c.id, index);
  run_.peak_streams = std::max(run_.peak_streams, by_id_.size());
  index_out = index;
  return {};
}

int generator::bind_sockets(stream& s, std::uint32_t index, std::uint16_t port) {
  const auto close_all = [&s] {
    if (s.rtp_fd >= 0) close(s.rtp_fd);
    if (s.rtcp_fd >= 0) close(s.rtcp_fd);
    s.rtp_fd = s.rtcp_fd = -1;
  };
  const int rtp = open_socket(settings_.bind_address, port);
  if (rtp < 0) return -rtp;
  s.rtp_fd = rtp;
  s.counters.local_port = local_port_of(rtp);
  if (settings_.sockets_per_stream == 2) {
    const int rtcp = s.counters.local_port == 65535
                         ? -ERANGE
                         : open_socket(settings_.bind_address, s.counters.local_port + 1);
    if (rtcp < 0) {
      close_all();
      return -rtcp;
    }
    s.rtcp_fd = rtcp;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = handle_of(index, s.generation, false);
  bool registered = epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, s.rtp_fd, &ev) == 0;
  if (registered && s.rtcp_fd >= 0) {
    ev.data.u64 = handle_of(index, s.generation, true);
    registered = epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, s.rtcp_fd, &ev) == 0;
  }
  if (!registered) {
    const int error = errno;
    close_all();
    return error;
  }
  return 0;
}

bool generator::target_allowed(in_addr address) const {
  return settings_.allow_remote || is_loopback(address);
}

void generator::connect_stream(stream& s, std::uint32_t index, const command& c) {
  s.remote = {};
  s.remote.sin_family = AF_INET;
  s.remote.sin_addr = c.remote_address;
  s.remote.sin_port = htons(c.remote_port);
  if (s.sending) return;  // a new target, as after a re-INVITE; same stream otherwise
  // The emptiest slot keeps every tick's share of packets even as streams come and go.
  const auto emptiest =
      std::min_element(slots_.begin(), slots_.end(),
                       [](const auto& a, const auto& b) { return a.size() < b.size(); });
  s.slot = static_cast<std::uint32_t>(emptiest - slots_.begin());
  s.slot_position = static_cast<std::uint32_t>(emptiest->size());
  emptiest->push_back(index);
  s.sending = true;
  ++sending_count_;
}

void generator::remove_stream(std::uint32_t index) {
  stream& s = *streams_[index];
  if (s.sending) {
    auto& slot = slots_[s.slot];
    const std::uint32_t moved = slot.back();
    slot[s.slot_position] = moved;
    streams_[moved]->slot_position = s.slot_position;
    slot.pop_back();
    --sending_count_;
  }
  // Closing drops the sockets from the epoll set; events already fetched for them are
  // discarded by index and generation.
  if (s.rtp_fd >= 0) close(s.rtp_fd);
  if (s.rtcp_fd >= 0) close(s.rtcp_fd);
  s.rtp_fd = s.rtcp_fd = -1;
  finished_.push_back(summarise(s));
  finished_.back().removed = true;
  by_id_.erase(s.counters.id);
  streams_[index].reset();
  free_indices_.push_back(index);
}

stream_summary generator::summarise(const stream& s) const {
  stream_summary out = s.counters;
  const receive_stats& r = s.received;
  out.received = r.received();
  out.duplicates = r.duplicates();
  out.out_of_order = r.out_of_order();
  out.too_late = r.too_late();
  out.expected = r.expected();
  out.lost = r.lost();
  out.ssrc_changes = r.ssrc_changes();
  out.sequence_jumps = r.sequence_jumps();
  out.gaps = r.gaps();
  out.max_gap_ms = static_cast<double>(r.max_interarrival_ns()) / 1e6;
  out.jitter_ms = r.jitter_ms();
  out.max_jitter_ms = r.max_jitter_ms();
  out.mean_jitter_ms = r.mean_jitter_ms();
  out.jitter_samples = r.jitter_samples();
  return out;
}

std::vector<stream_summary> generator::all_summaries() const {
  std::vector<stream_summary> out = finished_;
  out.reserve(finished_.size() + by_id_.size());
  for (const auto& s : streams_) {
    if (s) out.push_back(summarise(*s));
  }
  return out;
}

}  // namespace callcenterd::bench::rtp_load
