#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth_service.hpp"
#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/api/client_stream.hpp"
#include "callcenterd/api/response.hpp"
#include "callcenterd/call/live_calls.hpp"
#include "screen_pop.hpp"

namespace callcenterd::app {

class event_session;

/// The live event stream of the API (/api/v1/events): queue figures, agent states and calls
/// pushed to subscribed WebSocket clients as they change, each client getting a full snapshot
/// of a topic when it subscribes and then only what changed.
///
/// Topics: "queues" (every role: the figures of GET /api/v1/queues, at least once a second
/// while they change, and within milliseconds of an ACD event), "agents" (the agents the user
/// reaches: an agent themself), "calls" (the calls in progress the user may see, as GET
/// /api/v1/calls; an ended call is a "call_ended").
///
/// Changes are noticed from ACD events (acd_changed, coalesced over a few milliseconds), a
/// one-second tick (waits and estimates change with time), and the live call board. All state
/// lives on the stream's strand; public functions are thread-safe.
class event_stream {
 public:
  event_stream(boost::asio::io_context& io, auth_service& auth, acd::acd_service& acd,
               const call::live_call_board& calls);
  ~event_stream();
  event_stream(const event_stream&) = delete;
  event_stream& operator=(const event_stream&) = delete;

  /// The HTTP server's upgrade handler: a client for GET /api/v1/events, over plain TCP (ws://)
  /// or TLS (wss://); any other path is refused (the connection closed).
  void accept(api::client_stream connection, api::request upgrade, std::string client);
  /// Starts the tick. Once.
  void start();
  /// Closes every client and stops the tick. The io_context must still run.
  void stop();

  /// Something in the ACD changed: figures go out after a short coalescing delay.
  void acd_changed();
  /// A call changed or ended (the live call board's listener). A call that starts ringing an
  /// agent also gets a "screen_pop" with its customer, when `pops` was given.
  void call_changed(const call::live_call& call, bool ended);
  /// Where screen pops find the caller's customer. Before start().
  void set_screen_pops(screen_pop_source* pops) { pops_ = pops; }

  // For sessions (any thread).
  auth_service& auth() { return auth_; }
  void subscribe(std::uint64_t id, std::weak_ptr<event_session> session, principal who,
                 std::set<std::string> topics);
  void leave(std::uint64_t id);

  [[nodiscard]] std::size_t subscriber_count() const;

 private:
  struct subscriber {
    std::weak_ptr<event_session> session;
    principal who;
    std::set<std::string> topics;
    std::optional<std::vector<std::string>> reachable;  ///< nullopt: everyone
  };

  boost::asio::awaitable<void> tick_loop();
  boost::asio::awaitable<void> flush();
  boost::asio::awaitable<void> send_snapshot(std::uint64_t id);
  boost::asio::awaitable<void> pop_screen(call::live_call call);
  void schedule_flush();

  auth_service& auth_;
  acd::acd_service& acd_;
  const call::live_call_board& calls_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer coalesce_;
  boost::asio::steady_timer tick_;
  std::atomic<std::uint64_t> next_id_{1};
  bool flush_pending_ = false;
  bool stopped_ = false;
  std::map<std::uint64_t, subscriber> subscribers_;
  std::map<std::string, std::string> last_queues_;  ///< by queue: the JSON last sent
  std::map<std::string, std::string> last_agents_;  ///< by agent
  std::map<std::uint64_t, std::weak_ptr<event_session>> sessions_;  ///< signed in or not
  screen_pop_source* pops_ = nullptr;
  std::set<std::string> popped_;  ///< "<call> <agent>": each ring pops once
  std::atomic<std::size_t> count_{0};
};

}  // namespace callcenterd::app
