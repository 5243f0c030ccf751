// One WebSocket client of the event stream: sign-in, subscriptions, and a writer that sends
// the latest message of each key, one write in flight.
#include "event_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <variant>

#include "auth_service.hpp"
#include "event_stream.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using nlohmann::json;

namespace {

constexpr auto as_values = asio::as_tuple(asio::use_awaitable);
constexpr auto sign_in_time = std::chrono::seconds(10);
// A client's messages are small commands; anything larger is not one.
constexpr std::size_t max_message_bytes = 4096;

std::string error_message(std::string_view code, std::string_view message) {
  return json{{"type", "error"}, {"code", code}, {"message", message}}.dump();
}

// The session over a WebSocket whose next layer is `NextLayer`: tcp::socket for ws://,
// api::tls_stream for wss://.
template <class NextLayer>
class basic_event_session final
    : public event_session,
      public std::enable_shared_from_this<basic_event_session<NextLayer>> {
 public:
  basic_event_session(NextLayer stream, api::request upgrade, std::string client, std::uint64_t id,
                      event_stream& stream_hub);

  void start() override;
  void send(std::string key, std::string text) override;
  void close(std::string reason) override;

 private:
  asio::awaitable<void> run();
  asio::awaitable<std::optional<principal>> sign_in();
  asio::awaitable<void> write_loop();
  void handle(const std::string& text, const principal& who);
  void enqueue(std::string key, std::string text);

  websocket::stream<NextLayer> ws_;
  api::request upgrade_;
  std::string client_;
  event_stream& stream_;
  std::deque<std::string> order_;  ///< keys in the order their first message came
  std::unordered_map<std::string, std::string> waiting_;
  asio::steady_timer wake_;  ///< the writer sleeps on it while nothing waits
  bool closing_ = false;
};

}  // namespace

template <class NextLayer>
basic_event_session<NextLayer>::basic_event_session(NextLayer stream, api::request upgrade,
                                                    std::string client, std::uint64_t id,
                                                    event_stream& stream_hub)
    : event_session(id),
      ws_(std::move(stream)),
      upgrade_(std::move(upgrade)),
      client_(std::move(client)),
      stream_(stream_hub),
      wake_(ws_.get_executor()) {}

template <class NextLayer>
void basic_event_session<NextLayer>::start() {
  asio::co_spawn(ws_.get_executor(), run(),
                 [self = this->shared_from_this()](const std::exception_ptr& failure) {
                   if (failure) {
                     try {
                       std::rethrow_exception(failure);
                     } catch (const std::exception& e) {
                       spdlog::warn("events: client {} failed: {}", self->client_, e.what());
                     } catch (...) {
                     }
                   }
                   self->stream_.leave(self->id());
                 });
}

template <class NextLayer>
void basic_event_session<NextLayer>::send(std::string key, std::string text) {
  asio::post(ws_.get_executor(), [self = this->shared_from_this(), key = std::move(key),
                                  text = std::move(text)]() mutable {
    self->enqueue(std::move(key), std::move(text));
  });
}

template <class NextLayer>
void basic_event_session<NextLayer>::enqueue(std::string key, std::string text) {
  if (closing_) return;
  auto [where, fresh] = waiting_.insert_or_assign(key, std::move(text));
  if (fresh) order_.push_back(std::move(key));
  if (order_.size() > max_waiting) {
    spdlog::warn("events: client {} reads too slowly; closing it", client_);
    close("too slow");
    return;
  }
  wake_.cancel();
}

template <class NextLayer>
void basic_event_session<NextLayer>::close(std::string reason) {
  asio::post(ws_.get_executor(), [self = this->shared_from_this(), reason = std::move(reason)] {
    if (self->closing_) return;
    self->closing_ = true;
    self->wake_.cancel();
    const auto code = reason == "too slow" ? websocket::close_code::policy_error
                                           : websocket::close_code::going_away;
    self->ws_.async_close(websocket::close_reason(code, reason),
                          [self](const boost::system::error_code&) {});
  });
}

template <class NextLayer>
asio::awaitable<void> basic_event_session<NextLayer>::run() {
  ws_.set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::server));
  ws_.read_message_max(max_message_bytes);
  auto [accepted] = co_await ws_.async_accept(upgrade_, as_values);
  if (accepted) co_return;
  auto signing_in = sign_in();
  const auto who = co_await std::move(signing_in);
  if (!who) co_return;
  enqueue("welcome", json{{"type", "welcome"},
                          {"user",
                           {{"login", who->login},
                            {"role", std::string(to_string(who->role))},
                            {"name", who->name}}}}
                         .dump());
  asio::co_spawn(ws_.get_executor(), write_loop(), asio::detached);
  boost::beast::flat_buffer buffer;
  while (!closing_) {
    auto [ec, unused] = co_await ws_.async_read(buffer, as_values);
    if (ec) break;
    handle(boost::beast::buffers_to_string(buffer.data()), *who);
    buffer.consume(buffer.size());
  }
  closing_ = true;
  wake_.cancel();
}

template <class NextLayer>
asio::awaitable<std::optional<principal>> basic_event_session<NextLayer>::sign_in() {
  std::string authorization(upgrade_[boost::beast::http::field::authorization]);
  if (authorization.empty()) {
    // Browsers cannot set headers on a WebSocket: the token comes as the first message.
    boost::beast::flat_buffer buffer;
    asio::steady_timer limit(ws_.get_executor());
    limit.expires_after(sign_in_time);
    limit.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) {
        boost::system::error_code ignored;
        boost::beast::get_lowest_layer(ws_).cancel(ignored);
      }
    });
    auto [ec, unused] = co_await ws_.async_read(buffer, as_values);
    limit.cancel();
    if (ec) co_return std::nullopt;
    const auto message =
        json::parse(boost::beast::buffers_to_string(buffer.data()), nullptr, false);
    if (message.is_object() && message.value("type", "") == "auth" && message.contains("token") &&
        message["token"].is_string()) {
      authorization = "Bearer " + message["token"].get<std::string>();
    }
  }
  auto checking = stream_.auth().authenticate(authorization);
  auto who = co_await std::move(checking);
  if (!who) {
    const auto refusal = error_message("unauthorized", "a valid session is needed: log in first");
    co_await ws_.async_write(asio::buffer(refusal), as_values);
    const websocket::close_reason why(websocket::close_code::policy_error, "unauthorized");
    co_await ws_.async_close(why, as_values);
    co_return std::nullopt;
  }
  co_return who;
}

template <class NextLayer>
void basic_event_session<NextLayer>::handle(const std::string& text, const principal& who) {
  const auto message = json::parse(text, nullptr, false);
  if (!message.is_object() || message.value("type", "") != "subscribe" ||
      !message.contains("topics") || !message["topics"].is_array()) {
    enqueue("error",
            error_message("bad_request", "expected {\"type\": \"subscribe\", \"topics\": [...]}"));
    return;
  }
  std::set<std::string> topics;
  for (const auto& topic : message["topics"]) {
    const auto name = topic.is_string() ? topic.get<std::string>() : std::string();
    if (name != "queues" && name != "agents" && name != "calls") {
      enqueue("error", error_message("bad_topic", "topics are queues, agents and calls"));
      return;
    }
    topics.insert(name);
  }
  stream_.subscribe(id(), this->weak_from_this(), who, std::move(topics));
}

template <class NextLayer>
asio::awaitable<void> basic_event_session<NextLayer>::write_loop() {
  auto self = this->shared_from_this();
  while (!closing_) {
    if (order_.empty()) {
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(as_values);
      continue;
    }
    auto key = std::move(order_.front());
    order_.pop_front();
    auto found = waiting_.find(key);
    if (found == waiting_.end()) continue;
    const auto text = std::move(found->second);
    waiting_.erase(found);
    auto [ec, unused] = co_await ws_.async_write(asio::buffer(text), as_values);
    if (ec) break;
  }
}

std::shared_ptr<event_session> event_session::make(api::client_stream stream, api::request upgrade,
                                                   std::string client, std::uint64_t id,
                                                   event_stream& stream_hub) {
  return std::visit(
      [&](auto& next) -> std::shared_ptr<event_session> {
        using next_layer = std::decay_t<decltype(next)>;
        return std::make_shared<basic_event_session<next_layer>>(
            std::move(next), std::move(upgrade), std::move(client), id, stream_hub);
      },
      stream);
}

}  // namespace callcenterd::app
