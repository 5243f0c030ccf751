#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "callcenterd/api/client_stream.hpp"
#include "callcenterd/api/response.hpp"

namespace callcenterd::app {

class event_stream;

/// One client of the live event stream (GET /api/v1/events upgraded to WebSocket). Signs the
/// client in (the upgrade's Authorization header, or a first message {"type": "auth",
/// "token"} within 10 s: browsers cannot set headers on a WebSocket), then takes
/// {"type": "subscribe", "topics": [...]} and passes what the stream sends.
///
/// Back-pressure: messages wait under a key (a queue, an agent, a call); a newer message for a
/// key still waiting replaces it, so a slow client gets the latest state of each thing rather
/// than every step, and its memory is bounded by the number of things. A client with more than
/// max_waiting keys unsent is closed with "too slow" (policy, 1008).
///
/// Works the same over plain TCP (ws://) and TLS (wss://): the implementation is a template on
/// the stream below the WebSocket, chosen by make(). Everything runs on the connection's strand;
/// send() and close() post there from any thread.
class event_session {
 public:
  static constexpr std::size_t max_waiting = 2048;

  /// A session over the connection the HTTP server handed over; start() it.
  static std::shared_ptr<event_session> make(api::client_stream stream, api::request upgrade,
                                             std::string client, std::uint64_t id,
                                             event_stream& stream_hub);

  virtual ~event_session() = default;
  event_session(const event_session&) = delete;
  event_session& operator=(const event_session&) = delete;

  virtual void start() = 0;
  /// Queues `text` under `key`, replacing an unsent message of the same key. Any thread.
  virtual void send(std::string key, std::string text) = 0;
  /// Closes the connection with `reason` (normal closure). Any thread.
  virtual void close(std::string reason) = 0;
  [[nodiscard]] std::uint64_t id() const { return id_; }

 protected:
  explicit event_session(std::uint64_t id) : id_(id) {}

 private:
  std::uint64_t id_;
};

}  // namespace callcenterd::app
