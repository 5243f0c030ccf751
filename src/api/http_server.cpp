#include "callcenterd/api/http_server.hpp"

#include "server_state.hpp"

namespace callcenterd::api {

http_server::http_server(boost::asio::io_context& io, settings config, request_handler handler,
                         core::metrics_registry& metrics)
    : io_(io),
      state_(std::make_shared<detail::server_state>(io, std::move(config), std::move(handler),
                                                    metrics)) {}

http_server::~http_server() { state_->stop(); }

void http_server::on_upgrade(upgrade_handler handler) {
  state_->set_upgrade_handler(std::move(handler));
}

boost::system::error_code http_server::start() { return state_->listen(); }

std::uint16_t http_server::port() const noexcept { return state_->port(); }

void http_server::stop() { state_->stop(); }

std::size_t http_server::connection_count() const { return state_->connection_count(); }

void http_server::on_drained(std::function<void()> callback) {
  state_->on_drained(std::move(callback));
}

}  // namespace callcenterd::api
