#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>

#include "admission.hpp"
#include "call_index.hpp"
#include "callcenterd/call/call_manager.hpp"
#include "callcenterd/core/snapshot.hpp"

namespace callcenterd::call::detail {

/// What every call of one manager shares. Outlives the calls: each holds a shared_ptr to it.
struct call_context {
  call_context(boost::asio::io_context& io_context, sip::sip_stack& sip_stack,
               sip::request_authenticator& auth, const sip::registrar& bindings,
               media_factory& media_sessions, dial_plan routes, call_settings call_limits,
               flow_services flow_parts)
      : io(io_context),
        stack(sip_stack),
        authenticator(auth),
        registrar(bindings),
        media(media_sessions),
        plan(std::move(routes)),
        settings(std::move(call_limits)),
        flows(std::move(flow_parts)),
        trusted(settings.trusted_sources),
        limits(settings.max_calls, settings.max_call_rate_per_source) {}

  boost::asio::io_context& io;
  sip::sip_stack& stack;
  sip::request_authenticator& authenticator;
  const sip::registrar& registrar;
  media_factory& media;
  const dial_plan plan;
  const call_settings settings;
  const flow_services flows;
  const address_set trusted;
  admission limits;
  call_index index;
  /// The calls in progress as the API shows them.
  live_call_board board;
  std::atomic<bool> stopping{false};

  /// The blocklist in force; replaced whole, read by every new call.
  core::snapshot<caller_blocklist> blocklist{std::make_shared<const caller_blocklist>()};

  std::atomic<std::uint64_t> started{0};
  std::atomic<std::uint64_t> answered_locally{0};
  std::atomic<std::uint64_t> flows_started{0};
  std::atomic<std::uint64_t> bridged{0};
  std::atomic<std::uint64_t> transferred{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> refused_limit{0};
  std::atomic<std::uint64_t> refused_auth{0};
  std::atomic<std::uint64_t> not_found{0};
  std::atomic<std::uint64_t> blocked{0};
  std::atomic<std::uint64_t> ended{0};
};

inline void count(std::atomic<std::uint64_t>& counter) {
  counter.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace callcenterd::call::detail
