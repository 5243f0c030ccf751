// The JSON of the ACD's live views, by the names of KPIS.md: what the REST routes answer and
// what the event stream pushes.
#include "acd_json.hpp"

#include "time_text.hpp"

namespace callcenterd::app {

using nlohmann::json;

namespace {

json seconds_or_null(const std::optional<acd::duration>& d) {
  if (!d) return nullptr;
  return static_cast<double>(d->count()) / 1000.0;
}

json ratio_or_null(const std::optional<double>& r) { return r ? json(*r) : json(nullptr); }

}  // namespace

json skills_json(const std::vector<acd::agent_skill>& skills) {
  json out = json::object();
  for (const auto& s : skills) out[s.skill] = s.level;
  return out;
}

json agent_json(const acd::agent_view& a) {
  return {
      {"id", a.id},
      {"name", a.name},
      {"extension", a.extension},
      {"teams", a.teams},
      {"skills", skills_json(a.skills)},
      {"state", std::string(acd::to_string(a.state))},
      {"since", iso_utc(wall_time_of(a.since))},
      {"reason", a.reason.empty() ? json(nullptr) : json(a.reason)},
      {"call", a.call.empty() ? json(nullptr) : json(a.call)},
      {"queue", a.queue.empty() ? json(nullptr) : json(a.queue)},
      {"next_status", a.next == acd::next_status::none ? json(nullptr)
                                                       : json(std::string(acd::to_string(a.next)))},
      {"next_reason", a.next_reason.empty() ? json(nullptr) : json(a.next_reason)},
      {"calls_today", a.calls_today},
      {"talk_today_s", static_cast<double>(a.talk_today.count()) / 1000.0}};
}

json queue_json(const acd::queue_view& q) {
  return {
      {"name", q.name},
      {"waiting", q.waiting},
      {"callbacks_waiting", q.callbacks},
      {"oldest_wait_s", static_cast<double>(q.oldest_wait.count()) / 1000.0},
      {"ewt_s", seconds_or_null(q.ewt)},
      {"agents",
       {{"logged_in", q.logged_in},
        {"ready", q.ready},
        {"ringing", q.ringing},
        {"on_call", q.on_call},
        {"wrap_up", q.wrap_up},
        {"not_ready", q.not_ready}}},
      {"offered", q.today.offered},
      {"answered", q.today.answered},
      {"abandoned", q.today.abandoned},
      {"short_abandoned", q.today.short_abandoned},
      {"timed_out", q.today.timed_out},
      {"overflowed", q.today.overflowed},
      {"blocked", q.today.blocked},
      {"callback", q.today.callback},
      {"callbacks_connected", q.today.callbacks_connected},
      {"callbacks_failed", q.today.callbacks_failed},
      {"callback_wait_s", q.today.callbacks_connected == 0
                              ? json(nullptr)
                              : json(static_cast<double>(q.today.wait_of_callbacks.count()) /
                                     1000.0 / static_cast<double>(q.today.callbacks_connected))},
      {"service_level", ratio_or_null(q.service_level)},
      {"abandon_rate", ratio_or_null(q.abandon_rate)},
      {"asa_s", seconds_or_null(q.average_speed_of_answer)}};
}

json waiting_json(const acd::waiting_call_view& c) {
  return {{"call", c.call},
          {"queue", c.queue},
          {"priority", c.priority},
          {"position", c.position},
          {"waited_s", static_cast<double>(c.waited.count()) / 1000.0},
          {"ewt_s", seconds_or_null(c.ewt)},
          {"ringing", c.ringing},
          {"callback", c.callback}};
}

}  // namespace callcenterd::app
