#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "callcenterd/call/call_manager.hpp"
#include "callcenterd/call/media_session.hpp"
#include "callcenterd/config/settings.hpp"
#include "callcenterd/core/metrics.hpp"
#include "callcenterd/sip/outbound_registration.hpp"
#include "callcenterd/sip/registrar.hpp"
#include "callcenterd/sip/stack.hpp"
#include "callcenterd/sip/user_agent.hpp"
#include "callcenterd/store/db_pool.hpp"

namespace callcenterd::app {

/// The SIP front end as the daemon runs it: the stack, the registrar and what feeds them from
/// PostgreSQL. Accounts are loaded at start and refreshed every 30 s; registrations are
/// restored at start and written behind in batches (coalesced per contact, retried while the
/// database is away). Built and stopped on the main thread; the rest runs on the io_context.
class sip_service {
 public:
  /// `numbers` are the DIDs' routes; every call's media comes from `media`, which must
  /// outlive the service.
  sip_service(boost::asio::io_context& io, const config::sip_settings& settings,
              std::vector<call::number_route> numbers, call::media_factory& media, unsigned threads,
              store::db_pool& pool, core::metrics_registry& metrics, call::flow_services flows,
              call::call_target blocked);
  ~sip_service();
  sip_service(const sip_service&) = delete;
  sip_service& operator=(const sip_service&) = delete;

  /// Told of every change of registrations (any thread; return at once). Set before start().
  void watch_devices(std::function<void(const sip::binding_changes&)> watcher) {
    device_watcher_ = std::move(watcher);
  }
  /// Binds every listener; false (with the reason logged) when one cannot be bound.
  bool start();
  /// Ends every call (BYE or a final response) and refuses new ones; any thread, returns at
  /// once. Calls still running are counted by active_calls().
  void hang_up_calls() { calls_.hang_up_all(); }
  /// Stops the trunks' outbound registrations, unregistering those that are registered
  /// (without waiting for the answers); true when there was one to unregister. Any thread.
  bool unregister_trunks();
  std::size_t active_calls() const { return calls_.active_calls(); }
  /// Closes the listeners and connections; any thread, does not block.
  void stop_listening();
  /// stop_listening(), then stops the timers and writes pending registrations one last time.
  /// Blocks: main thread only, with the io_context still running. Idempotent.
  void stop();

  /// Reads the caller blocklist again now rather than at the next periodic read (after the
  /// API changed it). Any thread; returns at once.
  void refresh_blocklist() { load_blocklist(); }

  sip::sip_stack& stack() { return stack_; }
  call::call_manager& calls() { return calls_; }
  sip::registrar& registrar() { return registrar_; }
  const sip::account_directory& accounts() const { return accounts_; }

 private:
  using binding_key = std::pair<std::string, std::string>;
  using pending_map = std::map<binding_key, std::optional<sip::binding>>;

  void queue_changes(sip::binding_changes changes);
  void schedule_flush();
  void flush();
  void requeue(pending_map&& failed);
  void load_directory();
  /// Reads the caller blocklist and puts it in force for new calls.
  void load_blocklist();
  void schedule_housekeeping();
  void register_metrics(core::metrics_registry& metrics);

  boost::asio::io_context& io_;
  // The service's own state (pending writes, timers, flags) lives on this strand.
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  config::sip_settings settings_;
  store::db_pool& pool_;
  sip::account_directory accounts_;
  sip::digest_authenticator digest_;
  sip::auth_throttle throttle_;
  sip::request_authenticator authenticator_;
  sip::registrar registrar_;
  sip::user_agent user_agent_;
  sip::sip_stack stack_;
  call::media_factory& media_;
  call::call_manager calls_;
  std::vector<std::shared_ptr<sip::outbound_registration>> trunk_registrations_;
  boost::asio::steady_timer flush_timer_;
  boost::asio::steady_timer housekeeping_timer_;
  pending_map pending_;
  /// Reads of the blocklist started (any thread) and the newest one put in force (strand): an
  /// older read that finishes after a newer one is dropped.
  std::atomic<std::uint64_t> blocklist_reads_{0};
  std::uint64_t blocklist_in_force_ = 0;
  bool flush_scheduled_ = false;
  bool restored_ = false;
  bool stopped_ = false;
  int housekeeping_turns_ = 0;
  std::function<void(const sip::binding_changes&)> device_watcher_;
  bool stop_done_ = false;  // main thread only
  std::vector<core::callback_registration> metrics_;
};

}  // namespace callcenterd::app
