#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "callcenterd/sip/digest_client.hpp"
#include "callcenterd/sip/stack.hpp"

namespace callcenterd::sip {

/// Where and as whom a trunk registers with its carrier.
struct outbound_registration_settings {
  std::string name;  ///< the trunk, for logs and metrics
  std::string host;  ///< IP literal or DNS name
  std::uint16_t port = 5060;
  transport_kind transport = transport_kind::udp;
  client_credentials credentials;
  std::chrono::seconds expires{600};
  /// First wait after a failure; it doubles up to max_retry_delay.
  std::chrono::seconds retry_delay{30};
  std::chrono::seconds max_retry_delay{600};
};

/// Registers one trunk with its carrier (RFC 3261 §10.2 as a client): REGISTER, answers a
/// 401/407 with digest, refreshes at three quarters of the granted expiry, honours 423, and
/// retries with backoff while the carrier refuses or does not answer. Runs on its own strand;
/// start() and stop() from any thread.
class outbound_registration : public std::enable_shared_from_this<outbound_registration> {
 public:
  outbound_registration(boost::asio::io_context& io, sip_stack& stack,
                        outbound_registration_settings settings);

  void start();
  /// Stops refreshing and, when registered, sends the unregistration (Expires: 0) without
  /// waiting for its answer.
  void stop();

  bool registered() const { return registered_.load(std::memory_order_relaxed); }
  std::uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }
  const std::string& name() const { return settings_.name; }

 private:
  void resolve();
  void on_address(boost::system::error_code error, const boost::asio::ip::address& address);
  void send_register(std::chrono::seconds expires, std::optional<sip_header> authorization);
  void on_response(const client_event& event, std::uint64_t generation);
  void on_registered(const sip_message& response);
  void fail(const std::string& why);
  void schedule(std::chrono::seconds after);

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  sip_stack& stack_;
  outbound_registration_settings settings_;
  boost::asio::steady_timer timer_;
  std::optional<flow> path_;
  std::string call_id_;
  std::string from_tag_;
  std::uint32_t cseq_ = 0;
  std::chrono::seconds expires_;
  std::chrono::seconds retry_delay_;
  bool authenticated_attempt_ = false;  ///< the request in flight carried credentials
  bool stopped_ = false;
  std::uint64_t generation_ = 0;  ///< tells answers to the current REGISTER from older ones
  std::atomic<bool> registered_{false};
  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace callcenterd::sip
