#pragma once

// The I/O side of rtp_load, all on one thread and one clock. A timerfd ticks every
// millisecond (an absolute, periodic deadline, so pacing never drifts); each tick
//   1. sends one packet for every stream whose slot the tick is: streams are spread over
//      ptime / 1 ms slots, so 2,000 streams at 20 ms send 100 packets a tick, not 2,000 in a
//      burst every 20 ms;
//   2. drains what arrived since the last tick: epoll_wait with a zero timeout over every
//      socket, then one recvmmsg per ready socket. Arrival times are the kernel's
//      (SO_TIMESTAMPNS), so polling once a tick costs no accuracy and the process wakes
//      1,000 times a second however many packets flow;
//   3. serves control commands and signals, which sit in the same epoll set.
//
// Sending cannot be batched across streams with sendmmsg: that call sends every message
// through one socket, and each stream must send from its own port, because the daemon
// latches its return path onto the source of the RTP it receives (symmetric RTP). Each
// packet is one sendto on its stream's socket.

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "control.hpp"
#include "receive_stats.hpp"
#include "report.hpp"
#include "settings.hpp"

namespace callcenterd::bench::rtp_load {

class generator {
 public:
  // Sets up epoll, the timer, signal handling and the control input; throws
  // std::system_error when the kernel refuses one of them.
  explicit generator(settings s);
  ~generator();
  generator(const generator&) = delete;
  generator& operator=(const generator&) = delete;

  // Runs until `quit`, SIGINT/SIGTERM, --duration, or the end of the control input when
  // there is no --duration; then prints the summary line and writes the report. Returns the
  // exit status.
  int run();

 private:
  struct stream {
    stream(std::int64_t gap_threshold_ns, std::uint32_t clock_rate)
        : received(gap_threshold_ns, clock_rate) {}
    std::uint32_t generation = 0;
    std::uint32_t tag = 0;
    int rtp_fd = -1;
    int rtcp_fd = -1;
    bool sending = false;
    sockaddr_in remote{};
    std::uint32_t ssrc = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp_base = 0;
    std::int64_t first_cycle = -1;  // the ptime cycle of the first packet; -1 before it
    std::uint32_t slot = 0;
    std::uint32_t slot_position = 0;
    receive_stats received;
    stream_summary counters;  // id, port and the counts the I/O code keeps itself
  };

  static constexpr std::size_t receive_batch = 64;
  static constexpr std::size_t receive_buffer_size = 2048;

  // generator.cpp: the loop, sending and receiving.
  void wait_for_tick();
  void send_due(std::int64_t now_ns);
  void send_slot(std::uint64_t tick);
  void send_packet(stream& s, std::int64_t cycle);
  void poll_ready();
  void receive_from(stream& s, int fd, bool rtcp);
  void on_rtp(stream& s, std::span<const std::uint8_t> packet, std::int64_t arrival_ns);
  void account_seconds(std::int64_t now_ns);
  void print_progress(std::int64_t now_ns);
  bool finish();  // false when the report could not be written
  static std::int64_t monotonic_ns();

  // generator_streams.cpp: control commands and the life of a stream.
  void read_control();
  void execute(const command& c);
  void reply_error(const std::string& id, const std::string& reason);
  // Opens the stream's sockets; an empty string on success, else why not.
  std::string open_stream(const command& c, std::uint32_t& index_out);
  // Binds the stream's socket(s) to `port` (0: the kernel's choice) and registers them; 0 or
  // an errno value.
  int bind_sockets(stream& s, std::uint32_t index, std::uint16_t port);
  // Only loopback targets, unless --allow-remote: a benchmark must not spray the network.
  [[nodiscard]] bool target_allowed(in_addr address) const;
  // Starts sending to c's target, or retargets a stream that already sends.
  void connect_stream(stream& s, std::uint32_t index, const command& c);
  void remove_stream(std::uint32_t index);
  [[nodiscard]] stream_summary summarise(const stream& s) const;
  [[nodiscard]] std::vector<stream_summary> all_summaries() const;
  [[nodiscard]] run_figures current_figures(std::int64_t now_ns) const;
  [[nodiscard]] stream* find(const std::string& id, std::uint32_t& index_out);

  settings settings_;
  std::int64_t gap_threshold_ns_;
  std::vector<std::uint8_t> tone_;  // the payload of every packet with --payload tone

  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  int signal_fd_ = -1;
  int control_fd_ = -1;
  bool control_owned_ = false;
  bool control_open_ = true;
  // Regular files cannot be polled; such input is read a chunk per tick instead.
  bool control_always_ready_ = false;
  line_splitter control_lines_;

  std::vector<std::unique_ptr<stream>> streams_;  // by index; null where free
  std::vector<std::uint32_t> free_indices_;
  std::unordered_map<std::string, std::uint32_t> by_id_;
  std::vector<std::vector<std::uint32_t>> slots_;  // indices of sending streams, per tick slot
  std::size_t sending_count_ = 0;
  std::vector<stream_summary> finished_;
  std::uint32_t next_generation_ = 1;
  std::uint32_t next_tag_ = 1;
  std::uint32_t port_cursor_ = 0;
  std::mt19937 random_;

  std::int64_t start_ns_ = 0;  // CLOCK_MONOTONIC at start; tick t is due at start + t ms
  std::uint64_t next_tick_ = 1;
  bool stopping_ = false;
  run_figures run_;
  std::int64_t current_second_ = 0;
  std::uint64_t second_sent_ = 0;
  std::uint64_t second_received_ = 0;

  std::vector<std::uint8_t> send_buffer_;
  std::array<mmsghdr, receive_batch> messages_{};
  std::array<iovec, receive_batch> iovecs_{};
  std::array<sockaddr_in, receive_batch> sources_{};
  std::vector<std::uint8_t> receive_buffers_;
  std::vector<std::uint8_t> control_buffers_;
};

}  // namespace callcenterd::bench::rtp_load
