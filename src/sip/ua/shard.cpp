#include <spdlog/spdlog.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "stack_core.hpp"

namespace callcenterd::sip::stack_detail {

namespace {
std::chrono::steady_clock::time_point now() { return std::chrono::steady_clock::now(); }
}  // namespace

shard::shard(stack_core& core, std::uint32_t index, transaction_settings settings)
    : core_(core),
      index_(index),
      strand_(boost::asio::make_strand(core.io())),
      layer_(std::move(settings), core.transport(), *this),
      timer_(strand_) {}

void shard::receive(const received_message& message) {
  if (stopped_) return;
  layer_.receive(message, now());
  after_work();
}

void shard::send_request(std::uint64_t key, sip_message request, const flow& destination,
                         client_callback on_event) {
  if (stopped_) return;
  request.prepend_header("Via", core_.via_for(destination, layer_.make_branch()));
  if (!request.header("Max-Forwards")) request.add_header("Max-Forwards", "70");
  if (!request.header("User-Agent") && !core_.settings().user_agent.empty()) {
    request.add_header("User-Agent", core_.settings().user_agent);
  }
  const transaction_id id = layer_.send_request(std::move(request), destination, now());
  if (id == 0) {
    // The layer refused the request (it logs why); the caller hears of it as a timeout.
    if (on_event) on_event(client_event{client_event::kind::timeout, {}});
    return;
  }
  callbacks_.emplace(id, pending_request{std::move(on_event), key});
  keys_.emplace(key, id);
  after_work();
}

void shard::respond(transaction_id id, const sip_message& response) {
  if (stopped_) return;
  layer_.respond(id, response, now());
  after_work();
}

void shard::cancel(std::uint64_t key) {
  if (stopped_) return;
  const auto it = keys_.find(key);
  if (it == keys_.end()) return;
  layer_.cancel(it->second, now());
  after_work();
}

void shard::stop() {
  stopped_ = true;
  timer_.cancel();
  callbacks_.clear();
  keys_.clear();
}

transaction_stats shard::stats() const {
  const std::lock_guard lock(stats_mutex_);
  return stats_;
}

void shard::on_request(transaction_id id, const received_message& request) {
  core_.user().on_request(server_handle{index_, id}, request);
}

void shard::on_ack(const received_message& ack) { core_.user().on_ack(ack); }

void shard::on_cancel(transaction_id invite, const received_message& cancel) {
  core_.user().on_cancel(server_handle{index_, invite}, cancel);
}

void shard::on_response(transaction_id id, const received_message& response) {
  notify(id, client_event{client_event::kind::response, response});
}

void shard::on_stray_response(const received_message& response) {
  core_.user().on_stray_response(response);
}

void shard::on_timeout(transaction_id id) {
  notify(id, client_event{client_event::kind::timeout, {}});
}

void shard::on_ack_timeout(transaction_id id) {
  core_.user().on_ack_timeout(server_handle{index_, id});
}

void shard::on_terminated(transaction_id id) {
  const auto it = callbacks_.find(id);
  if (it == callbacks_.end()) return;
  keys_.erase(it->second.key);
  callbacks_.erase(it);
}

void shard::notify(transaction_id id, const client_event& event) {
  const auto it = callbacks_.find(id);
  if (it == callbacks_.end() || !it->second.on_event) return;
  // Copy: the callback may send another request through this shard, which can rehash the map.
  const client_callback callback = it->second.on_event;
  callback(event);
}

void shard::after_work() {
  {
    const std::lock_guard lock(stats_mutex_);
    stats_ = layer_.stats();
  }
  arm_timer();
}

void shard::arm_timer() {
  if (stopped_) return;
  const auto next = layer_.next_deadline();
  if (!next) return;
  if (armed_ && *armed_ <= *next) return;
  armed_ = next;
  timer_.expires_at(*next);
  timer_.async_wait(boost::asio::bind_executor(
      strand_, [this, core = core_.shared_from_this()](const boost::system::error_code& ec) {
        if (ec == boost::asio::error::operation_aborted || stopped_) return;
        armed_.reset();
        layer_.on_time(now());
        after_work();
      }));
}

}  // namespace callcenterd::sip::stack_detail
