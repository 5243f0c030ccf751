#pragma once

// The loop each I/O thread runs over the shared io_context.
//
// Plain io_context::run() sleeps in epoll_wait and is woken for every event: at 1,000
// bridged calls that is 100,000 RTP packets a second, and a wake-up (a context switch, a
// reactor round) for each one or two of them costs more than handling the packet. With
// wake-up coalescing a thread that found work handles everything ready, then sleeps for the
// interval before it looks again, so the packets that arrived meanwhile are fetched by one
// epoll_wait and handled in one go. An idle thread still blocks until the next event, so the
// first event after a quiet spell is handled at once; an event in a busy period waits at
// most the interval (audio relayed through the daemon gains that much jitter at most).

#include <boost/asio/io_context.hpp>
#include <chrono>

namespace callcenterd::app {

/// Runs `io` on the calling thread until it is stopped. A zero `coalesce` is run().
void run_io_thread(boost::asio::io_context& io, std::chrono::microseconds coalesce);

}  // namespace callcenterd::app
