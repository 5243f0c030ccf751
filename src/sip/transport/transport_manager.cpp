#include "callcenterd/sip/transport_manager.hpp"

#include <utility>

#include "transport_core.hpp"

namespace callcenterd::sip {

transport_manager::transport_manager(boost::asio::io_context& io, transport_settings settings,
                                     transport_listener& listener)
    : core_(std::make_shared<transport_detail::transport_core>(io, std::move(settings), listener)) {
}

transport_manager::~transport_manager() { core_->stop(); }

boost::system::error_code transport_manager::start() { return core_->start(); }

std::string transport_manager::last_error_detail() const { return core_->last_error_detail(); }

void transport_manager::stop() { core_->stop(); }

void transport_manager::send(const flow& destination, std::string bytes) {
  core_->send(destination, std::move(bytes));
}

std::vector<flow> transport_manager::bound() const { return core_->bound(); }

transport_stats transport_manager::stats() const { return core_->stats(); }

}  // namespace callcenterd::sip
