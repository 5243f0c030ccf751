#include "callcenterd/config/reload.hpp"

namespace callcenterd::config {

namespace {

class change_list {
 public:
  template <class T>
  void compare(const char* key, const T& running, const T& next) {
    if (!(running == next)) names_.emplace_back(key);
  }

  // Guards against a field added to a settings struct but not to the comparisons below: the
  // whole section still differs, so the section's name is reported rather than nothing.
  template <class T>
  void section_backstop(const char* section, std::size_t count_before, const T& running,
                        const T& next) {
    if (names_.size() == count_before && !(running == next)) names_.emplace_back(section);
  }

  std::size_t size() const { return names_.size(); }
  std::vector<std::string> take() { return std::move(names_); }

 private:
  std::vector<std::string> names_;
};

}  // namespace

std::vector<std::string> restart_required_changes(const daemon_settings& running,
                                                  const daemon_settings& next) {
  change_list changes;
  std::size_t before = changes.size();
  const auto& rs = running.service;
  const auto& ns = next.service;
  changes.compare("service.threads", rs.threads, ns.threads);
  changes.compare("service.wakeup_coalescing", rs.wakeup_coalescing, ns.wakeup_coalescing);
  changes.compare("service.node_name", rs.node_name, ns.node_name);
  changes.section_backstop("service", before, rs, ns);

  before = changes.size();
  const auto& rh = running.http;
  const auto& nh = next.http;
  changes.compare("http.address", rh.address, nh.address);
  changes.compare("http.port", rh.port, nh.port);
  changes.compare("http.max_header_bytes", rh.max_header_bytes, nh.max_header_bytes);
  changes.compare("http.max_body_bytes", rh.max_body_bytes, nh.max_body_bytes);
  changes.compare("http.request_timeout", rh.request_timeout, nh.request_timeout);
  changes.compare("http.idle_timeout", rh.idle_timeout, nh.idle_timeout);
  changes.compare("http.max_connections", rh.max_connections, nh.max_connections);
  // The files are read once, at start: a renewed certificate under the same name needs a
  // restart as well.
  changes.compare("http.tls.certificate_file", rh.tls.certificate_file, nh.tls.certificate_file);
  changes.compare("http.tls.private_key_file", rh.tls.private_key_file, nh.tls.private_key_file);
  changes.section_backstop("http", before, rh, nh);

  before = changes.size();
  const auto& rd = running.database;
  const auto& nd = next.database;
  changes.compare("database.host", rd.host, nd.host);
  changes.compare("database.port", rd.port, nd.port);
  changes.compare("database.name", rd.name, nd.name);
  changes.compare("database.user", rd.user, nd.user);
  changes.compare("database.password_env", rd.password_env, nd.password_env);
  changes.compare("database.password_file", rd.password_file, nd.password_file);
  changes.compare("database.sslmode", rd.sslmode, nd.sslmode);
  changes.compare("database.pool_size", rd.pool_size, nd.pool_size);
  changes.compare("database.connect_timeout", rd.connect_timeout, nd.connect_timeout);
  changes.compare("database.reconnect_max_backoff", rd.reconnect_max_backoff,
                  nd.reconnect_max_backoff);
  // Same key names, new secret (a rotated password file): the pool still has to reconnect.
  changes.compare("database.password", rd.password, nd.password);
  changes.section_backstop("database", before, rd, nd);

  before = changes.size();
  const auto& rp = running.paths;
  const auto& np = next.paths;
  changes.compare("paths.var", rp.var, np.var);
  changes.compare("paths.recordings", rp.recordings, np.recordings);
  changes.compare("paths.prompts", rp.prompts, np.prompts);
  changes.compare("paths.migrations", rp.migrations, np.migrations);
  changes.compare("paths.flows", rp.flows, np.flows);
  changes.section_backstop("paths", before, rp, np);

  // log.level and log.format are applied by a reload; anything else added to log is not.
  log_settings log_without_reloadable = running.log;
  log_without_reloadable.level = next.log.level;
  log_without_reloadable.format = next.log.format;
  changes.section_backstop("log", changes.size(), log_without_reloadable, next.log);

  before = changes.size();
  const auto& re = running.event_log;
  const auto& ne = next.event_log;
  changes.compare("event_log.batch_size", re.batch_size, ne.batch_size);
  changes.compare("event_log.flush_interval", re.flush_interval, ne.flush_interval);
  changes.compare("event_log.spool_file", re.spool_file, ne.spool_file);
  changes.compare("event_log.max_memory_events", re.max_memory_events, ne.max_memory_events);
  changes.section_backstop("event_log", before, re, ne);

  before = changes.size();
  changes.compare("shutdown.drain_timeout", running.shutdown.drain_timeout,
                  next.shutdown.drain_timeout);
  changes.section_backstop("shutdown", before, running.shutdown, next.shutdown);
  // The CRM routes and the call path complete numbers with it from their start.
  changes.compare("crm.country_code", running.crm.country_code, next.crm.country_code);
  // The auth service takes them at its start.
  before = changes.size();
  const auto& rss = running.sessions;
  const auto& nss = next.sessions;
  changes.compare("sessions.lifetime", rss.lifetime, nss.lifetime);
  changes.compare("sessions.idle_timeout", rss.idle_timeout, nss.idle_timeout);
  changes.compare("sessions.max_failed_logins", rss.max_failed_logins, nss.max_failed_logins);
  changes.compare("sessions.max_failed_logins_per_source", rss.max_failed_logins_per_source,
                  nss.max_failed_logins_per_source);
  changes.compare("sessions.failure_window", rss.failure_window, nss.failure_window);
  changes.section_backstop("sessions", before, rss, nss);

  // The SIP front end binds sockets and keeps registrations and calls: any change to it waits
  // for a restart. Named per sub-section so the log says what changed.
  const auto& rsip = running.sip;
  const auto& nsip = next.sip;
  before = changes.size();
  changes.compare("sip.realm", rsip.realm, nsip.realm);
  changes.compare("sip.listen", rsip.listen, nsip.listen);
  changes.compare("sip.advertised_address", rsip.advertised_address, nsip.advertised_address);
  changes.compare("sip.tls", rsip.tls, nsip.tls);
  changes.compare("sip.timers", rsip.timers, nsip.timers);
  changes.compare("sip.registrar", rsip.registrar, nsip.registrar);
  changes.compare("sip.auth", rsip.auth, nsip.auth);
  changes.compare("sip.limits", rsip.limits, nsip.limits);
  changes.compare("sip.idle_timeout", rsip.idle_timeout, nsip.idle_timeout);
  changes.compare("sip.trace_messages", rsip.trace_messages, nsip.trace_messages);
  changes.compare("sip.user_agent", rsip.user_agent, nsip.user_agent);
  changes.compare("sip.trunks", rsip.trunks, nsip.trunks);
  changes.section_backstop("sip", before, rsip, nsip);
  changes.compare("dids", running.dids, next.dids);
  // The ACD builds its engine from the model once; three top-level keys, named as written.
  before = changes.size();
  changes.compare("agents", running.acd.agents, next.acd.agents);
  changes.compare("not_ready_reasons", running.acd.not_ready_reasons, next.acd.not_ready_reasons);
  changes.compare("queues", running.acd.queues, next.acd.queues);
  changes.section_backstop("acd", before, running.acd, next.acd);
  changes.compare("blocklist", running.blocklist, next.blocklist);
  // Media binds its port range and renders prompts at start; recordings in progress keep
  // the writer they opened with.
  changes.compare("media", running.media, next.media);
  changes.compare("recording", running.recording, next.recording);

  return changes.take();
}

}  // namespace callcenterd::config
