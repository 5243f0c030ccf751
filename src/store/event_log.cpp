#include "callcenterd/store/event_log.hpp"

#include "event_log_core.hpp"

namespace callcenterd::store {

event_log::event_log(const boost::asio::any_io_executor& executor, db_pool& pool,
                     event_log_settings settings)
    : core_(std::make_shared<detail::event_log_core>(executor, pool, std::move(settings))) {
  core_->blocking_open();
}

event_log::~event_log() { core_->blocking_close(); }

bool event_log::append(event e) { return core_->append(std::move(e)); }

void event_log::start_drain(
    std::chrono::milliseconds timeout,
    boost::asio::any_completion_handler<void(boost::system::error_code)> handler) {
  core_->drain(timeout, std::move(handler));
}

const event_log_stats& event_log::stats() const noexcept { return core_->stats; }

}  // namespace callcenterd::store
