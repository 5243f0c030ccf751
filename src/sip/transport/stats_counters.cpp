#include "stats_counters.hpp"

namespace callcenterd::sip::transport_detail {
namespace {

std::uint64_t read(const std::atomic<std::uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

}  // namespace

transport_stats stats_counters::snapshot() const {
  transport_stats out;
  for (std::size_t i = 0; i < counters_.size(); ++i) {
    const auto& c = counters_[i];
    out.by_transport[i] = transport_counters{
        .messages_in = read(c.messages_in),
        .messages_out = read(c.messages_out),
        .bytes_in = read(c.bytes_in),
        .bytes_out = read(c.bytes_out),
        .malformed = read(c.malformed),
        .error_replies = read(c.error_replies),
        .keep_alives_in = read(c.keep_alives_in),
        .pongs_sent = read(c.pongs_sent),
        .connections_open = read(c.connections_open),
        .connections_accepted = read(c.connections_accepted),
        .connections_opened = read(c.connections_opened),
        .connections_closed = read(c.connections_closed),
        .connections_rejected = read(c.connections_rejected),
        .send_failures = read(c.send_failures),
        .queue_overflows = read(c.queue_overflows),
    };
  }
  return out;
}

}  // namespace callcenterd::sip::transport_detail
