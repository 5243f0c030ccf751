// The live event stream's hub: who subscribed to what, what was last sent of each queue and
// agent, and the diffs pushed when the ACD or a call changes.
#include "event_stream.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <variant>

#include "acd_json.hpp"
#include "agent_reach.hpp"
#include "event_session.hpp"
#include "live_call_json.hpp"

namespace callcenterd::app {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

// ACD events come in bursts (an offer is several); one look at the figures serves a burst.
constexpr auto coalescing = std::chrono::milliseconds(10);
constexpr auto tick_period = std::chrono::seconds(1);

bool has(const std::set<std::string>& topics, const char* topic) {
  return topics.find(topic) != topics.end();
}

}  // namespace

event_stream::event_stream(asio::io_context& io, auth_service& auth, acd::acd_service& acd,
                           const call::live_call_board& calls)
    : auth_(auth),
      acd_(acd),
      calls_(calls),
      strand_(asio::make_strand(io)),
      coalesce_(strand_),
      tick_(strand_) {}

event_stream::~event_stream() = default;

void event_stream::accept(api::client_stream connection, api::request upgrade, std::string client) {
  const auto target = std::string_view(upgrade.target());
  if (target.substr(0, target.find('?')) != "/api/v1/events") {
    std::visit(
        [](auto& stream) {
          boost::system::error_code ignored;
          boost::beast::get_lowest_layer(stream).close(ignored);
        },
        connection);
    return;
  }
  const auto id = next_id_++;
  auto session =
      event_session::make(std::move(connection), std::move(upgrade), std::move(client), id, *this);
  asio::post(strand_, [this, id, weak = std::weak_ptr<event_session>(session)] {
    if (stopped_) {
      if (auto s = weak.lock()) s->close("the daemon is stopping");
      return;
    }
    sessions_[id] = weak;
  });
  session->start();
}

void event_stream::start() { asio::co_spawn(strand_, tick_loop(), asio::detached); }

void event_stream::stop() {
  asio::post(strand_, [this] {
    stopped_ = true;
    coalesce_.cancel();
    tick_.cancel();
    for (auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) session->close("the daemon is stopping");
    }
    sessions_.clear();
    subscribers_.clear();
    count_ = 0;
  });
}

std::size_t event_stream::subscriber_count() const { return count_.load(); }

void event_stream::acd_changed() {
  asio::post(strand_, [this] { schedule_flush(); });
}

void event_stream::schedule_flush() {
  if (flush_pending_ || stopped_ || subscribers_.empty()) return;
  flush_pending_ = true;
  coalesce_.expires_after(coalescing);
  coalesce_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) {
      flush_pending_ = false;
      return;
    }
    asio::co_spawn(strand_, flush(), asio::detached);
  });
}

asio::awaitable<void> event_stream::tick_loop() {
  while (!stopped_) {
    tick_.expires_after(tick_period);
    auto [ec] = co_await tick_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || stopped_) co_return;
    if (!flush_pending_ && !subscribers_.empty()) {
      flush_pending_ = true;
      co_await flush();
    }
  }
}

namespace {

/// Every queue and agent as the ACD sees them now.
struct acd_views {
  std::vector<acd::queue_view> queues;
  std::vector<acd::agent_view> agents;
};

asio::awaitable<acd_views> current_views(acd::acd_service& acd) {
  std::function<acd_views(acd::engine&, acd::instant)> job = [](acd::engine& e, acd::instant now) {
    return acd_views{e.queues(now), e.agents()};
  };
  auto asked = acd.ask<acd_views>(std::move(job));
  auto views = co_await std::move(asked);
  co_return views;
}

}  // namespace

asio::awaitable<void> event_stream::flush() {
  auto reading = current_views(acd_);
  const auto now = co_await std::move(reading);
  flush_pending_ = false;
  for (const auto& q : now.queues) {
    auto body = queue_json(q);
    auto text = body.dump();
    auto& last = last_queues_[q.name];
    if (last == text) continue;
    last = text;
    const auto message = json{{"type", "queue"}, {"queue", std::move(body)}}.dump();
    for (auto& [id, s] : subscribers_) {
      if (!has(s.topics, "queues")) continue;
      if (auto session = s.session.lock()) session->send("queue:" + q.name, message);
    }
  }
  for (const auto& a : now.agents) {
    auto body = agent_json(a);
    // The time in state is shown from `since`; the rest changes only with the agent.
    auto text = body.dump();
    auto& last = last_agents_[a.id];
    if (last == text) continue;
    last = text;
    const auto message = json{{"type", "agent"}, {"agent", std::move(body)}}.dump();
    for (auto& [id, s] : subscribers_) {
      if (!has(s.topics, "agents") || !may_reach(s.who, a)) continue;
      if (auto session = s.session.lock()) session->send("agent:" + a.id, message);
    }
  }
}

void event_stream::call_changed(const call::live_call& call, bool ended) {
  auto message = ended ? json{{"type", "call_ended"}, {"call", live_call_json(call)}}.dump()
                       : json{{"type", "call"}, {"call", live_call_json(call)}}.dump();
  asio::post(strand_, [this, call, ended, message = std::move(message)] {
    for (auto& [id, s] : subscribers_) {
      if (!has(s.topics, "calls") || !may_see(s.who, s.reachable, call)) continue;
      if (auto session = s.session.lock()) session->send("call:" + call.id, message);
    }
    if (ended) {
      std::erase_if(popped_,
                    [&](const std::string& key) { return key.starts_with(call.id + " "); });
    } else if (call.state == "ringing" && !call.agent.empty() && pops_ != nullptr &&
               popped_.insert(call.id + " " + call.agent).second) {
      asio::co_spawn(strand_, pop_screen(call), asio::detached);
    }
  });
}

asio::awaitable<void> event_stream::pop_screen(call::live_call call) {
  auto finding = pops_->about(call.caller);
  auto about = co_await std::move(finding);
  // Still ringing that agent? A pop that comes after the answer is still wanted; one for a
  // call that ended is not.
  if (!calls_.find(call.id)) co_return;
  about["type"] = "screen_pop";
  about["call"] = live_call_json(call);
  const auto message = about.dump();
  for (auto& [id, s] : subscribers_) {
    if (!has(s.topics, "calls") || !may_see(s.who, s.reachable, call)) continue;
    if (auto session = s.session.lock()) {
      session->send("pop:" + call.id + " " + call.agent, message);
    }
  }
}

void event_stream::subscribe(std::uint64_t id, std::weak_ptr<event_session> session, principal who,
                             std::set<std::string> topics) {
  asio::co_spawn(
      strand_,
      [this, id, session = std::move(session), who = std::move(who),
       topics = std::move(topics)]() mutable -> asio::awaitable<void> {
        auto reaching = reachable_agents(acd_, who);
        auto reachable = co_await std::move(reaching);
        if (stopped_) co_return;
        auto& s = subscribers_[id];
        s.session = std::move(session);
        s.who = std::move(who);
        s.topics = std::move(topics);
        s.reachable = std::move(reachable);
        count_ = subscribers_.size();
        co_await send_snapshot(id);
      },
      asio::detached);
}

asio::awaitable<void> event_stream::send_snapshot(std::uint64_t id) {
  auto reading = current_views(acd_);
  const auto now = co_await std::move(reading);
  const auto found = subscribers_.find(id);
  if (found == subscribers_.end()) co_return;
  const auto& s = found->second;
  auto session = s.session.lock();
  if (!session) co_return;
  if (has(s.topics, "queues")) {
    json list = json::array();
    for (const auto& q : now.queues) list.push_back(queue_json(q));
    session->send("snapshot:queues",
                  json{{"type", "snapshot"}, {"topic", "queues"}, {"queues", list}}.dump());
  }
  if (has(s.topics, "agents")) {
    json list = json::array();
    for (const auto& a : now.agents) {
      if (may_reach(s.who, a)) list.push_back(agent_json(a));
    }
    session->send("snapshot:agents",
                  json{{"type", "snapshot"}, {"topic", "agents"}, {"agents", list}}.dump());
  }
  if (has(s.topics, "calls")) {
    json list = json::array();
    for (const auto& c : calls_.all()) {
      if (may_see(s.who, s.reachable, c)) list.push_back(live_call_json(c));
    }
    session->send("snapshot:calls",
                  json{{"type", "snapshot"}, {"topic", "calls"}, {"calls", list}}.dump());
  }
}

void event_stream::leave(std::uint64_t id) {
  asio::post(strand_, [this, id] {
    subscribers_.erase(id);
    sessions_.erase(id);
    count_ = subscribers_.size();
  });
}

}  // namespace callcenterd::app
