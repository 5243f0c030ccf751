#include "daemon.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <future>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "acd_day_restore.hpp"
#include "acd_metrics.hpp"
#include "acd_wiring.hpp"
#include "api_routes.hpp"
#include "auth_service.hpp"
#include "blocklist_routes.hpp"
#include "call_control_routes.hpp"
#include "call_record_event.hpp"
#include "callcenterd/api/http_server.hpp"
#include "callcenterd/api/router.hpp"
#include "callcenterd/api/service_routes.hpp"
#include "callcenterd/core/logging.hpp"
#include "callcenterd/core/metrics.hpp"
#include "callcenterd/core/version.hpp"
#include "callcenterd/crm/customer_directory.hpp"
#include "callcenterd/store/db_pool.hpp"
#include "callcenterd/store/event_log.hpp"
#include "callcenterd/store/migrator.hpp"
#include "config_reloader.hpp"
#include "crm_routes.hpp"
#include "demo_exposure.hpp"
#include "event_stream.hpp"
#include "flow_loading.hpp"
#include "flow_lookups.hpp"
#include "flow_registry.hpp"
#include "flow_step_event.hpp"
#include "io_thread.hpp"
#include "media_service.hpp"
#include "readiness_monitor.hpp"
#include "reload_route.hpp"
#include "screen_pop.hpp"
#include "service_metrics.hpp"
#include "settings_mapping.hpp"
#include "sip_service.hpp"
#include "skill_routes.hpp"
#include "systemd_notifier.hpp"
#include "user_routes.hpp"
#include "wrapup_routes.hpp"

namespace callcenterd::app {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

void setup_logging_from(const config::log_settings& log) {
  core::setup_logging(
      log.format == config::log_format::json ? core::log_format::json : core::log_format::text,
      to_spdlog_level(log.level));
}

void log_migrations(const store::migration_summary& summary) {
  spdlog::info("applied {} migration(s); database schema is at version {}", summary.applied.size(),
               summary.current_version);
}

// What the start-up migration attempt found. An unreachable database is not fatal (the
// readiness probe retries); anything else wrong with the schema is.
struct startup_schema {
  std::vector<store::migration_file> files;
  bool migrated = false;
  std::string reason;
};

startup_schema blocking_migrate_at_start(const config::daemon_settings& settings) {
  auto files = store::blocking_load_migrations(settings.paths.migrations);
  if (!files) throw std::runtime_error(files.error().message);
  startup_schema out{std::move(*files), false, {}};
  auto applied = store::blocking_apply_migrations(settings.database.conninfo(), out.files);
  if (applied) {
    out.migrated = true;
    log_migrations(*applied);
  } else if (applied.error().code == store::migration_errc::database_unavailable) {
    out.reason = "database unreachable: " + applied.error().message;
    spdlog::warn("{}; starting unready, migrations will be retried", out.reason);
  } else {
    throw std::runtime_error(applied.error().message);
  }
  return out;
}

std::unordered_map<std::string, std::vector<std::string>> agents_by_extension(
    const acd::acd_model& model) {
  std::unordered_map<std::string, std::vector<std::string>> out;
  for (const auto& agent : model.agents) out[agent.extension].push_back(agent.id);
  return out;
}

// Owns every component for one run of the daemon, builds them in dependency order and
// destroys them in reverse (members are declared in that order).
class daemon {
 public:
  explicit daemon(config::daemon_settings settings)
      : settings_(std::move(settings)),
        agents_by_extension_(agents_by_extension(settings_.acd)),
        node_(node_name(settings_.service)),
        flows_(blocking_load_flows_or_throw(settings_)),
        schema_(blocking_migrate_at_start(settings_)),
        pool_(to_pool_settings(settings_.database)),
        events_(std::in_place, io_.get_executor(), pool_,
                to_event_log_settings(settings_.event_log, node_)),
        readiness_(io_, pool_, schema_.files, schema_.migrated, schema_.reason),
        router_(metrics_),
        server_(
            io_, to_http_settings(settings_.http),
            [this](api::request request, std::string client) {
              return router_.handle(std::move(request), std::move(client));
            },
            metrics_),
        reloader_(std::in_place, settings_.source_file, settings_, flows_, metrics_, *events_),
        service_metrics_(std::in_place, metrics_, pool_, *events_, readiness_),
        media_(std::in_place, settings_, *events_, metrics_),
        acd_(io_, settings_.acd, acd_hooks()),
        acd_router_(acd_),
        acd_metrics_(io_, metrics_, acd_, settings_.acd),
        sip_(std::in_place, io_, settings_.sip, media_->number_routes(), media_->factory(),
             thread_count(settings_.service), pool_, metrics_, flow_services(),
             media_->blocked_treatment()),
        stream_(std::in_place, io_, auth_, acd_, sip_->calls().live_calls()),
        notifier_(io_),
        signals_(io_, SIGINT, SIGTERM, SIGHUP) {}

  int run() {
    const bool started = start();
    if (!started) exit_code_ = 1;
    // The I/O threads run until teardown is over: closing the event log goes through its
    // strand, so the loop must still be running while the main thread tears down.
    auto work = asio::make_work_guard(io_);
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < thread_count(settings_.service); ++i) {
      threads.emplace_back([this] {
        run_io_thread(io_, std::chrono::duration_cast<std::chrono::microseconds>(
                               settings_.service.wakeup_coalescing));
      });
    }
    if (started) shutdown_done_.get_future().wait();
    teardown(started);
    work.reset();
    io_.stop();
    for (auto& thread : threads) thread.join();
    spdlog::info("callcenterd stopped");
    return exit_code_;
  }

 private:
  // What the ACD does with its decisions: offers ring agents through the calls, every event
  // goes to the event log. Called on the ACD's strand, never after acd_.blocking_stop().
  acd::acd_service_hooks acd_hooks() {
    acd::acd_service_hooks hooks;
    hooks.offer = [this](const std::string& call, const acd::agent_settings& agent,
                         const std::string& queue) {
      sip_->calls().offer_to_agent(call, agent.id, agent.extension, queue);
    };
    hooks.withdraw = [this](const std::string& call, const std::string& agent,
                            std::string_view why) {
      sip_->calls().withdraw_offer(call, agent, why);
    };
    hooks.exit = [this](const std::string& call, acd::queue_outcome why,
                        const acd::exit_target& target) {
      sip_->calls().leave_queue(call, why, target);
    };
    hooks.callback_due = [this](const std::string& call, const acd::agent_settings&,
                                const std::string& queue, const acd::callback_party& to) {
      sip_->calls().place_callback(call, queue, to);
    };
    hooks.record = [this](const acd::acd_event& event) {
      events_->append(acd_event_record(event));
      stream_->acd_changed();
    };
    hooks.call_alive = [this](const std::string& call) { return sip_->calls().has_call(call); };
    return hooks;
  }

  // Agents follow their devices: one that registers brings back an agent the ACD set not
  // ready as "unreachable"; one that goes away fails an offer ringing it.
  void on_devices(const sip::binding_changes& changes) {
    std::vector<std::string> back;
    std::vector<std::string> gone;
    const auto agents_of = [this](const std::string& extension, std::vector<std::string>& out) {
      const auto found = agents_by_extension_.find(extension);
      if (found != agents_by_extension_.end()) {
        out.insert(out.end(), found->second.begin(), found->second.end());
      }
    };
    for (const auto& b : changes.upserts) agents_of(b.extension, back);
    for (const auto& removal : changes.removals) agents_of(removal.first, gone);
    if (back.empty() && gone.empty()) return;
    acd_.run(
        [back = std::move(back), gone = std::move(gone)](acd::engine& engine, acd::instant now) {
          for (const auto& id : back) engine.device_registered(id, now);
          for (const auto& id : gone) engine.device_lost(id, now);
        });
  }

  // What calls that run flows use: the set in force, speech, the event log for their steps,
  // the database for their lookups, and the ACD for the queues they are handed to.
  call::flow_services flow_services() {
    call::flow_services out;
    out.current_flows = [this] { return flows_.current(); };
    out.speech = &media_->speech();
    out.record_step = [this](const std::string& call_uuid, const ivr::flow_step& step) {
      events_->append(flow_step_event(call_uuid, step));
    };
    out.record_call = [this](const call::call_detail_record& record) {
      // The customer behind the caller's number, so the record joins their history.
      const auto customer = customers_.lookup_caller(record.caller, settings_.crm.country_code);
      events_->append(call_record_event(record, customer ? customer->id : std::string()));
    };
    out.lookup = [this](const config::query_settings& query, std::vector<ivr::value> parameters,
                        std::function<void(ivr::lookup_result)> done) {
      run_flow_lookup(pool_, query, std::move(parameters), std::move(done));
    };
    out.queues = &acd_router_;
    // Each queue's treatment of its callers, resolved once: the settings and the prompts do
    // not change while the daemon runs.
    std::map<std::string, call::queue_treatment, std::less<>> treatments;
    for (const auto& queue : settings_.acd.queues) {
      treatments.emplace(
          queue.name,
          call::queue_treatment{.music = media_->hold_class(queue.hold_class),
                                .announce_every = queue.announce_every,
                                .announce_position = queue.announce_position,
                                .announce_wait = queue.announce_wait,
                                .language = media::parse_speech_language(queue.announce_language)
                                                .value_or(media::speech_language::english),
                                .record = queue.record,
                                .whisper = queue.whisper,
                                .agent_announcement = queue.agent_announcement,
                                .callback = callback_treatment_of(queue.callback)});
    }
    out.queue_treatment_of = [treatments = std::move(treatments)](const std::string& queue) {
      const auto found = treatments.find(queue);
      return found == treatments.end() ? call::queue_treatment{} : found->second;
    };
    out.ringback = media_->ringback();
    return out;
  }

  // Binds the listener and starts the background work; false when the daemon cannot serve.
  bool start() {
    api::register_service_routes(router_, metrics_, [this] { return readiness_.current(); });
    register_auth_routes(routes_, audit_);
    register_acd_routes(routes_, audit_, acd_);
    register_admin_routes(routes_, pool_);
    register_cdr_routes(routes_, pool_, acd_);
    register_call_routes(routes_, sip_->calls().live_calls(), acd_);
    register_reload_route(routes_, audit_, *reloader_, file_work_.get_executor());
    register_call_control_routes(routes_, audit_, sip_->calls(), acd_, call_targets());
    server_.on_upgrade(
        [this](api::client_stream connection, api::request upgrade, std::string client) {
          stream_->accept(std::move(connection), std::move(upgrade), std::move(client));
        });
    sip_->calls().watch_live_calls(
        [this](const call::live_call& call, bool ended) { stream_->call_changed(call, ended); });
    stream_->set_screen_pops(&screen_pops_);
    stream_->start();
    routes_.get("/api/v1/events", any_role,
                [](api::request_context&, const principal&) -> asio::awaitable<api::response> {
                  co_return api::error_response(
                      boost::beast::http::status::upgrade_required, "upgrade_required",
                      "this is a WebSocket: connect with an Upgrade request");
                });
    register_recording_routes(routes_, audit_, pool_, acd_, file_work_.get_executor(),
                              settings_.paths.recordings);
    register_customer_routes(routes_, audit_, pool_, acd_, customers_, settings_.crm.country_code);
    register_ticket_routes(routes_, audit_, pool_, acd_);
    register_kb_routes(routes_, audit_, pool_);
    register_wrapup_routes(routes_, audit_, pool_, *events_, acd_, dispositions_);
    register_user_routes(routes_, audit_, pool_);
    register_skill_routes(routes_, audit_, *events_, acd_, settings_.acd);
    register_blocklist_routes(routes_, audit_, pool_, [this] { sip_->refresh_blocklist(); });
    asio::co_spawn(io_,
                   load_when_database_answers("crm: customer directory",
                                              [this](pqxx::connection& connection) {
                                                customers_.blocking_load(connection);
                                                return customers_.size();
                                              }),
                   asio::detached);
    asio::co_spawn(io_,
                   load_when_database_answers("disposition codes",
                                              [this](pqxx::connection& connection) {
                                                auto codes =
                                                    blocking_load_disposition_codes(connection);
                                                const auto count = codes.size();
                                                dispositions_.replace(std::move(codes));
                                                return count;
                                              }),
                   asio::detached);
    if (const auto ec = server_.start()) {
      spdlog::critical("cannot listen on {}://{}:{}: {}",
                       settings_.http.tls.enabled() ? "https" : "http", settings_.http.address,
                       settings_.http.port, ec.message());
      return false;
    }
    sip_->watch_devices([this](const sip::binding_changes& changes) { on_devices(changes); });
    // Before the first call: what this run counts itself is later than the moment given.
    restore_acd_day(io_, pool_, acd_, events_->stats(), settings_.acd, node_,
                    std::chrono::system_clock::now());
    if (!sip_->start()) return false;
    acd_.start();
    acd_metrics_.start();
    readiness_.on_first_ready([this] { check_demo_exposure(); });
    readiness_.start();
    wait_for_signal();
    events_->append(store::make_event(
        "daemon.started", "",
        {{"version", core::version}, {"pid", ::getpid()}, {"http_port", server_.port()}}));
    const auto now = readiness_.current();
    notifier_.ready(now.ready ? "serving, ready" : "serving, not ready: " + now.reason);
    notifier_.start_watchdog();
    spdlog::info("callcenterd {} started on node {} with {} thread(s)", core::version, node_,
                 thread_count(settings_.service));
    return true;
  }

  // What a transfer by the API may name: the agents and queues of the model in force.
  call_control_targets call_targets() const {
    call_control_targets out;
    for (const auto& agent : settings_.acd.agents) {
      out.agent_extensions.emplace(agent.id, agent.extension);
    }
    for (const auto& queue : settings_.acd.queues) out.queues.insert(queue.name);
    return out;
  }

  // What the call path and the API keep in memory from PostgreSQL, read once the database
  // answers (every 5 s until then); the API keeps it current afterwards. `what` names it in
  // the log; `load` returns how many entries it read.
  asio::awaitable<void> load_when_database_answers(
      std::string what, std::function<std::size_t(pqxx::connection&)> load) {
    asio::steady_timer retry(io_);
    bool warned = false;
    for (;;) {
      auto job = load;
      auto running =
          pool_.async_run<std::size_t>(std::move(job), asio::as_tuple(asio::use_awaitable));
      auto [ec, entries] = co_await std::move(running);
      if (!ec) {
        spdlog::info("{} loaded: {} entries", what, entries);
        co_return;
      }
      if (ec == store::db_errc::stopped) co_return;
      if (!warned) spdlog::warn("{} not loaded yet: {}", what, ec.message());
      warned = true;
      retry.expires_after(std::chrono::seconds(5));
      auto waiting = retry.async_wait(asio::as_tuple(asio::use_awaitable));
      const auto [wait_ec] = co_await std::move(waiting);
      if (wait_ec) co_return;
    }
  }

  void wait_for_signal() {
    signals_.async_wait([this](boost::system::error_code ec, int signal_number) {
      if (ec) return;
      if (signal_number == SIGHUP) {
        if (!stopping_) reloader_->reload();
      } else if (stopping_) {
        spdlog::info("already stopping; signal {} ignored", signal_number);
      } else {
        stopping_ = true;
        spdlog::info("signal {} received: stopping", signal_number);
        asio::co_spawn(io_, shutdown(), asio::detached);
      }
      wait_for_signal();
    });
  }

  // Stop accepting, let in-flight requests finish, make every event durable, then let the
  // loop end. Everything shares one deadline: shutdown.drain_timeout.
  asio::awaitable<void> shutdown() {
    const auto deadline = std::chrono::steady_clock::now() + settings_.shutdown.drain_timeout;
    notifier_.stopping("draining");
    events_->append(store::make_event("daemon.stopping", "", {{"pid", ::getpid()}}));
    server_.stop();
    stream_->stop();
    co_await hang_up_calls(deadline);
    sip_->stop_listening();
    asio::steady_timer timer(io_, deadline);
    const auto drained =
        co_await (server_.async_wait_drained(asio::as_tuple(asio::use_awaitable)) ||
                  timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (drained.index() == 1) {
      spdlog::warn("drain timeout: {} HTTP connection(s) still open", server_.connection_count());
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const auto [ec] = co_await events_->async_drain(std::max(left, std::chrono::milliseconds(500)),
                                                    asio::as_tuple(asio::use_awaitable));
    if (ec) {
      spdlog::error("event log drain failed: {}", ec.message());
      exit_code_ = 1;
    }
    notifier_.stop_watchdog();
    signals_.cancel();
    shutdown_done_.set_value();
  }

  // Calls get their BYE (or a final response) and trunks their unregistration while the SIP
  // listeners still send; the listeners close once every call is over, or at a second at most.
  asio::awaitable<void> hang_up_calls(std::chrono::steady_clock::time_point deadline) {
    const bool had_calls = sip_->active_calls() > 0;
    const bool had_registrations = sip_->unregister_trunks();
    sip_->hang_up_calls();
    if (!had_calls && !had_registrations) co_return;
    const auto limit =
        std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(1));
    asio::steady_timer tick(io_);
    while (sip_->active_calls() > 0 && std::chrono::steady_clock::now() < limit) {
      tick.expires_after(std::chrono::milliseconds(20));
      co_await tick.async_wait(asio::use_awaitable);
    }
    // The BYEs and REGISTERs just queued leave before the sockets close.
    tick.expires_after(std::chrono::milliseconds(100));
    co_await tick.async_wait(asio::use_awaitable);
  }

  // Main thread, after shutdown(), with the I/O threads still running: stop the probe, then
  // destroy what reads the event log, then the log itself (it spools anything left).
  void teardown(bool started) {
    if (started) readiness_.blocking_stop();
    // No ACD decision reaches the calls from here on; the service itself goes with the
    // daemon, after the I/O threads.
    acd_metrics_.stop();
    acd_.blocking_stop();
    sip_->stop();
    sip_.reset();
    // The calls are gone: their recordings are closed; wait for the writer, whose last
    // results still go to the event log.
    media_->stop();
    media_.reset();
    service_metrics_.reset();
    // A reload or a recording read the API started may still run there.
    file_work_.join();
    reloader_.reset();
    events_.reset();
  }

  // Demo passwords are public: say so loudly when other machines can reach this daemon.
  void check_demo_exposure() {
    const auto exposed = exposed_addresses({settings_.http.address});
    if (exposed.empty()) return;
    pool_.async_run<long>(
        [](pqxx::connection& connection) {
          pqxx::nontransaction tx(connection);
          return tx.exec1("SELECT count(*) FROM users WHERE is_demo AND NOT disabled")[0]
              .as<long>();
        },
        [exposed](boost::system::error_code ec, long demo_users) {
          if (ec || demo_users == 0) return;
          for (const auto& address : exposed) {
            spdlog::warn(
                "!!! DEMO ACCOUNTS ARE ACTIVE: {} demo user(s) with public passwords "
                "are reachable on {} — remove the demo data before real use !!!",
                demo_users, address);
          }
        });
  }

  config::daemon_settings settings_;
  /// The agents each extension's devices ring, for on_devices().
  const std::unordered_map<std::string, std::vector<std::string>> agents_by_extension_;
  std::string node_;
  /// The call flows in force (their interpreter is not wired yet); SIGHUP replaces them.
  flow_registry flows_;
  asio::io_context io_;
  core::metrics_registry metrics_;
  startup_schema schema_;
  store::db_pool pool_;
  std::optional<store::event_log> events_;
  readiness_monitor readiness_;
  auth_service auth_{pool_, auth_settings_of(settings_.sessions)};
  audit_trail audit_{*events_};
  /// Customers by phone number for the call path, kept current by the CRM routes.
  crm::customer_directory customers_;
  /// The disposition codes wrap-ups are checked against, kept current by the admin routes.
  disposition_catalog dispositions_;
  /// The customer and recent contacts shown with a call that rings an agent.
  screen_pop_source screen_pops_{pool_, customers_, settings_.crm.country_code};
  /// Blocking file reads of the API (recordings), off the I/O threads.
  asio::thread_pool file_work_{1};
  api::router router_;
  secured_routes routes_{router_, auth_};
  api::http_server server_;
  std::optional<config_reloader> reloader_;
  std::optional<service_metrics> service_metrics_;
  std::optional<media_service> media_;
  acd::acd_service acd_;
  acd_router acd_router_;
  acd_metrics acd_metrics_;
  std::optional<sip_service> sip_;
  /// The API's live events (WebSocket /api/v1/events); kept until the I/O threads are gone,
  /// as its clients' last handlers refer to it.
  std::optional<event_stream> stream_;
  systemd_notifier notifier_;
  asio::signal_set signals_;
  bool stopping_ = false;  // touched only by the signal handler, which is serialised
  int exit_code_ = 0;
  std::promise<void> shutdown_done_;
};

}  // namespace

int run_migrations(const config::daemon_settings& settings) {
  setup_logging_from(settings.log);
  auto applied =
      store::blocking_apply_migrations(settings.database.conninfo(), settings.paths.migrations);
  if (!applied) {
    spdlog::error("migrations failed: {}", applied.error().message);
    return 1;
  }
  log_migrations(*applied);
  return 0;
}

int run_daemon(config::daemon_settings settings) {
  setup_logging_from(settings.log);
  spdlog::info("callcenterd {} starting with {} (database {})", core::version,
               settings.source_file.string(), settings.database.conninfo_redacted());
  try {
    daemon instance(std::move(settings));
    return instance.run();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    return 1;
  }
}

}  // namespace callcenterd::app
