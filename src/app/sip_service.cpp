#include "sip_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <future>

#include "callcenterd/store/caller_blocklist.hpp"
#include "callcenterd/store/sip_directory.hpp"
#include "sip_settings_mapping.hpp"

namespace callcenterd::app {

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr auto flush_interval = 200ms;
constexpr auto housekeeping_interval = 5s;
constexpr int directory_refresh_every = 6;  // housekeeping turns: 30 s

store::sip_registration_row to_row(const sip::binding& b) {
  store::sip_registration_row row;
  row.extension = b.extension;
  row.contact = b.contact;
  row.transport = std::string(sip::config_name(b.path.transport));
  row.local_address = b.path.local_address.to_string();
  row.local_port = b.path.local_port;
  row.remote_address = b.path.remote_address.to_string();
  row.remote_port = b.path.remote_port;
  row.call_id = b.call_id;
  row.cseq = b.cseq;
  row.instance_id = b.instance_id;
  row.reg_id = b.reg_id;
  row.q_milli = b.q_milli;
  row.user_agent = b.user_agent;
  row.registered_at = b.registered_at;
  row.expires_at = b.expires_at;
  return row;
}

std::optional<sip::binding> from_row(const store::sip_registration_row& row) {
  const auto kind = sip::transport_from_config_name(row.transport);
  boost::system::error_code local_ec;
  boost::system::error_code remote_ec;
  const auto local = asio::ip::make_address(row.local_address, local_ec);
  const auto remote = asio::ip::make_address(row.remote_address, remote_ec);
  if (!kind || local_ec || remote_ec) return std::nullopt;
  sip::binding b;
  b.extension = row.extension;
  b.contact = row.contact;
  // Connections do not survive a restart: connection id 0 lets TCP and TLS dial again.
  b.path = sip::flow{*kind, local, row.local_port, remote, row.remote_port, 0};
  b.call_id = row.call_id;
  b.cseq = row.cseq;
  b.instance_id = row.instance_id;
  b.reg_id = row.reg_id;
  b.q_milli = row.q_milli;
  b.user_agent = row.user_agent;
  b.registered_at = row.registered_at;
  b.expires_at = row.expires_at;
  return b;
}

// Each contact at most once: the pending map holds the newest change per contact.
store::sip_registration_changes to_store_changes(
    const std::map<std::pair<std::string, std::string>, std::optional<sip::binding>>& pending) {
  store::sip_registration_changes changes;
  for (const auto& [key, value] : pending) {
    if (value) {
      changes.upserts.push_back(to_row(*value));
    } else {
      changes.removals.push_back(key);
    }
  }
  return changes;
}

sip::sip_account to_account(store::sip_account_row row) {
  return sip::sip_account{std::move(row.extension),
                          sip::stored_ha1{std::move(row.ha1_md5), std::move(row.ha1_sha256)},
                          std::move(row.display_name), row.user_disabled};
}

}  // namespace

sip_service::sip_service(asio::io_context& io, const config::sip_settings& settings,
                         std::vector<call::number_route> numbers, call::media_factory& media,
                         unsigned threads, store::db_pool& pool, core::metrics_registry& metrics,
                         call::flow_services flows, call::call_target blocked)
    : io_(io),
      strand_(asio::make_strand(io)),
      settings_(settings),
      pool_(pool),
      digest_(to_digest_settings(settings)),
      throttle_(to_throttle_settings(settings.auth)),
      authenticator_(digest_, throttle_, accounts_, settings.user_agent),
      registrar_(to_registrar_settings(settings), authenticator_,
                 [this](sip::binding_changes changes) { queue_changes(std::move(changes)); }),
      user_agent_(registrar_, settings.user_agent),
      stack_(io, to_stack_settings(settings, threads), user_agent_),
      media_(media),
      calls_(
          io, stack_, authenticator_, registrar_, media_,
          call::dial_plan(
              std::move(numbers),
              [this](std::string_view extension) { return accounts_.find(extension).has_value(); },
              to_prefix_routes(settings)),
          to_call_settings(settings, std::move(blocked)), std::move(flows)),
      flush_timer_(strand_),
      housekeeping_timer_(strand_) {
  user_agent_.attach(stack_);
  user_agent_.set_dialog_handler(&calls_);
  for (auto& registration : to_outbound_registrations(settings)) {
    trunk_registrations_.push_back(
        std::make_shared<sip::outbound_registration>(io, stack_, std::move(registration)));
  }
  register_metrics(metrics);
}

sip_service::~sip_service() { stack_.stop(); }

bool sip_service::start() {
  if (const auto ec = stack_.start()) {
    spdlog::critical("cannot start SIP: {}", stack_.last_error_detail());
    return false;
  }
  for (const auto& bound : stack_.bound()) {
    spdlog::info("SIP listening on {} {}", sip::config_name(bound.transport),
                 stack_.contact_host_port(bound));
  }
  for (auto& registration : trunk_registrations_) registration->start();
  asio::post(strand_, [this] {
    load_directory();
    load_blocklist();
    schedule_housekeeping();
  });
  return true;
}

bool sip_service::unregister_trunks() {
  bool any = false;
  for (auto& registration : trunk_registrations_) {
    any = any || registration->registered();
    registration->stop();
  }
  return any;
}

void sip_service::stop_listening() { stack_.stop(); }

void sip_service::stop() {
  if (stop_done_) return;
  stop_done_ = true;
  unregister_trunks();
  stack_.stop();
  // Stop the timers and take what is still pending in one turn of the strand, then write it
  // and wait: nothing registered is lost on a restart.
  std::promise<store::sip_registration_changes> taken;
  asio::post(strand_, [this, &taken] {
    stopped_ = true;
    flush_timer_.cancel();
    housekeeping_timer_.cancel();
    taken.set_value(to_store_changes(pending_));
    pending_.clear();
  });
  const auto last = taken.get_future().get();
  if (last.empty()) return;
  std::promise<void> written;
  pool_.async_run<bool>(
      [&last](pqxx::connection& c) {
        store::blocking_apply_sip_registration_changes(c, last);
        return true;
      },
      [&written](boost::system::error_code ec, bool) {
        if (ec) spdlog::warn("SIP registrations not saved at stop: {}", ec.message());
        written.set_value();
      });
  written.get_future().wait();
}

void sip_service::queue_changes(sip::binding_changes changes) {
  if (device_watcher_) device_watcher_(changes);
  asio::post(strand_, [this, changes = std::move(changes)]() mutable {
    for (auto& key : changes.removals) pending_[key] = std::nullopt;
    for (auto& b : changes.upserts) {
      binding_key key{b.extension, b.contact};
      pending_[std::move(key)] = std::move(b);
    }
    schedule_flush();
  });
}

void sip_service::schedule_flush() {
  if (flush_scheduled_ || stopped_ || pending_.empty()) return;
  flush_scheduled_ = true;
  flush_timer_.expires_after(flush_interval);
  flush_timer_.async_wait(asio::bind_executor(strand_, [this](boost::system::error_code ec) {
    flush_scheduled_ = false;
    if (ec || stopped_) return;
    flush();
  }));
}

void sip_service::flush() {
  pending_map batch;
  batch.swap(pending_);
  auto changes = to_store_changes(batch);
  pool_.async_run<bool>(
      [changes = std::move(changes)](pqxx::connection& c) {
        store::blocking_apply_sip_registration_changes(c, changes);
        return true;
      },
      asio::bind_executor(
          strand_, [this, batch = std::move(batch)](boost::system::error_code ec, bool) mutable {
            if (!ec) return;
            spdlog::warn("SIP registrations not saved yet ({}); retrying", ec.message());
            requeue(std::move(batch));
          }));
}

void sip_service::requeue(pending_map&& failed) {
  // A newer change to the same contact wins over the one that failed.
  for (auto& [key, value] : failed) pending_.try_emplace(key, std::move(value));
  schedule_flush();
}

void sip_service::load_directory() {
  pool_.async_run<std::vector<store::sip_account_row>>(
      [](pqxx::connection& c) { return store::blocking_load_sip_accounts(c); },
      asio::bind_executor(strand_, [this](boost::system::error_code ec,
                                          std::vector<store::sip_account_row> rows) {
        if (ec) {
          spdlog::warn("SIP accounts not loaded: {}", ec.message());
          return;
        }
        std::vector<sip::sip_account> accounts;
        accounts.reserve(rows.size());
        for (auto& row : rows) accounts.push_back(to_account(std::move(row)));
        const auto count = accounts.size();
        accounts_.replace(std::move(accounts));
        if (restored_) return;
        spdlog::info("SIP: {} account(s) loaded", count);
        const auto now = std::chrono::system_clock::now();
        pool_.async_run<std::vector<store::sip_registration_row>>(
            [now](pqxx::connection& c) { return store::blocking_load_sip_registrations(c, now); },
            asio::bind_executor(
                strand_, [this](boost::system::error_code load_ec,
                                const std::vector<store::sip_registration_row>& rows) {
                  if (load_ec || restored_) return;
                  restored_ = true;
                  std::vector<sip::binding> bindings;
                  for (const auto& row : rows) {
                    if (auto b = from_row(row)) bindings.push_back(std::move(*b));
                  }
                  spdlog::info("SIP: {} registration(s) restored", bindings.size());
                  registrar_.restore(std::move(bindings), std::chrono::system_clock::now());
                }));
      }));
}

void sip_service::load_blocklist() {
  const auto read = blocklist_reads_.fetch_add(1, std::memory_order_relaxed) + 1;
  pool_.async_run<std::vector<store::blocklist_row>>(
      [now = std::chrono::system_clock::now()](pqxx::connection& c) {
        return store::blocking_load_caller_blocklist(c, now);
      },
      asio::bind_executor(strand_, [this, read](boost::system::error_code ec,
                                                const std::vector<store::blocklist_row>& rows) {
        // Until the database answers, the list last read stays in force.
        if (ec || read < blocklist_in_force_) return;
        blocklist_in_force_ = read;
        std::vector<call::caller_blocklist::entry> entries;
        entries.reserve(rows.size());
        for (const auto& row : rows) entries.push_back({row.pattern, row.reason});
        if (entries.size() != calls_.blocklist_size()) {
          spdlog::info("caller blocklist: {} entr{}", entries.size(),
                       entries.size() == 1 ? "y" : "ies");
        }
        calls_.replace_blocklist(call::caller_blocklist(entries));
      }));
}

void sip_service::schedule_housekeeping() {
  if (stopped_) return;
  housekeeping_timer_.expires_after(housekeeping_interval);
  housekeeping_timer_.async_wait(asio::bind_executor(strand_, [this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    registrar_.expire(std::chrono::system_clock::now());
    if (!restored_ || ++housekeeping_turns_ % directory_refresh_every == 0) load_directory();
    load_blocklist();
    schedule_housekeeping();
  }));
}

void sip_service::register_metrics(core::metrics_registry& metrics) {
  auto& r = metrics_;
  const auto counter = [&](const char* name, const char* help, const core::metric_labels& labels,
                           std::function<double()> read) {
    r.push_back(metrics.callback_counter(name, help, labels, std::move(read)));
  };
  const auto gauge = [&](const char* name, const char* help, const core::metric_labels& labels,
                         std::function<double()> read) {
    r.push_back(metrics.callback_gauge(name, help, labels, std::move(read)));
  };
  gauge("callcenterd_sip_registrations", "Registered contacts", {},
        [this] { return double(registrar_.stats().bindings); });
  gauge("callcenterd_sip_accounts", "SIP accounts known to the registrar", {},
        [this] { return double(accounts_.size()); });
  // One counter per outcome, each a member of the stats that `read` returns.
  const auto outcome_counters = [&](const char* name, const char* help, const auto& outcomes,
                                    auto read) {
    for (const auto& [label, member] : outcomes) {
      counter(name, help, {{"outcome", label}},
              [read, member = member] { return double(read().*member); });
    }
  };
  const std::pair<const char*, std::uint64_t sip::registrar_stats::*> reg[] = {
      {"ok", &sip::registrar_stats::registrations_ok},
      {"challenged", &sip::registrar_stats::challenges},
      {"auth_failed", &sip::registrar_stats::auth_failures},
      {"throttled", &sip::registrar_stats::throttled_drops},
      {"rejected", &sip::registrar_stats::rejected}};
  outcome_counters("callcenterd_sip_register_total", "REGISTER outcomes", reg,
                   [this] { return registrar_.stats(); });
  for (const auto& registration : trunk_registrations_) {
    const sip::outbound_registration* trunk = registration.get();
    gauge("callcenterd_sip_trunk_registered", "1 while the trunk is registered with its carrier",
          {{"trunk", trunk->name()}}, [trunk] { return trunk->registered() ? 1.0 : 0.0; });
    counter("callcenterd_sip_trunk_registration_failures_total",
            "Outbound registrations refused or unanswered", {{"trunk", trunk->name()}},
            [trunk] { return double(trunk->failures()); });
  }
  gauge("callcenterd_caller_blocklist_entries", "Numbers and prefixes on the caller blocklist", {},
        [this] { return double(calls_.blocklist_size()); });
  gauge("callcenterd_calls_active", "Calls in progress", {},
        [this] { return double(calls_.stats().active); });
  const std::pair<const char*, std::uint64_t call::call_stats::*> outcomes[] = {
      {"started", &call::call_stats::started_total},
      {"answered_locally", &call::call_stats::answered_locally_total},
      {"flow_started", &call::call_stats::flows_started_total},
      {"bridged", &call::call_stats::bridged_total},
      {"transferred", &call::call_stats::transferred_total},
      {"failed", &call::call_stats::failed_total},
      {"refused_limit", &call::call_stats::refused_limit_total},
      {"refused_auth", &call::call_stats::refused_auth_total},
      {"not_found", &call::call_stats::not_found_total},
      {"blocked", &call::call_stats::blocked_total},
      {"ended", &call::call_stats::ended_total}};
  outcome_counters("callcenterd_calls_total", "Calls by outcome", outcomes,
                   [this] { return calls_.stats(); });
  counter("callcenterd_sip_auth_failures_total", "Failed digest authentications", {},
          [this] { return double(authenticator_.failures()); });
  const auto& methods = sip::counted_methods();
  for (std::size_t i = 0; i < methods.size(); ++i) {
    counter("callcenterd_sip_requests_received_total", "SIP requests received by method",
            {{"method", std::string(methods[i])}},
            [this, i] { return double(stack_.stats().requests_in_by_method[i]); });
  }
  for (std::size_t i = 0; i < 6; ++i) {
    const std::string status_class = std::to_string(i + 1) + "xx";
    counter("callcenterd_sip_responses_received_total", "SIP responses received by class",
            {{"class", status_class}},
            [this, i] { return double(stack_.stats().responses_in_by_class[i]); });
    counter("callcenterd_sip_responses_sent_total",
            "SIP responses sent by the user agent and calls, by class (without the 100 Trying "
            "and errors the transaction layer sends itself)",
            {{"class", status_class}},
            [this, i] { return double(stack_.stats().responses_out_by_class[i]); });
  }
  gauge("callcenterd_sip_transactions", "SIP transactions in progress", {},
        [this] { return double(stack_.stats().transactions.active.total()); });
  gauge("callcenterd_sip_answered_held", "Answers to UDP requests held for retransmissions", {},
        [this] { return double(stack_.stats().transactions.answered_held); });
  counter("callcenterd_sip_answered_evicted_total",
          "Held answers dropped before Timer J because limits.max_answered was reached", {},
          [this] { return double(stack_.stats().transactions.answered_evicted); });
  counter("callcenterd_sip_transactions_total", "SIP transactions created", {},
          [this] { return double(stack_.stats().transactions.created.total()); });
  counter("callcenterd_sip_retransmissions_total", "SIP messages retransmitted by timers", {},
          [this] { return double(stack_.stats().transactions.retransmissions_sent); });
  counter("callcenterd_sip_transaction_timeouts_total", "Client transactions without answer", {},
          [this] { return double(stack_.stats().transactions.timeouts); });
  for (auto kind : {sip::transport_kind::udp, sip::transport_kind::tcp, sip::transport_kind::tls,
                    sip::transport_kind::ws, sip::transport_kind::wss}) {
    const std::string t(sip::config_name(kind));
    counter("callcenterd_sip_messages_total", "SIP messages by transport and direction",
            {{"transport", t}, {"direction", "in"}},
            [this, kind] { return double(stack_.stats().transports.of(kind).messages_in); });
    counter("callcenterd_sip_messages_total", "SIP messages by transport and direction",
            {{"transport", t}, {"direction", "out"}},
            [this, kind] { return double(stack_.stats().transports.of(kind).messages_out); });
    counter("callcenterd_sip_malformed_total", "Malformed SIP messages (dropped or 400)",
            {{"transport", t}},
            [this, kind] { return double(stack_.stats().transports.of(kind).malformed); });
    counter("callcenterd_sip_send_failures_total",
            "SIP messages not sent (no route, connection gone, full send queue)",
            {{"transport", t}},
            [this, kind] { return double(stack_.stats().transports.of(kind).send_failures); });
    gauge("callcenterd_sip_connections", "Open SIP connections", {{"transport", t}},
          [this, kind] { return double(stack_.stats().transports.of(kind).connections_open); });
  }
}

}  // namespace callcenterd::app
