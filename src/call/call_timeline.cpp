#include "call_timeline.hpp"

#include <algorithm>

namespace callcenterd::call::detail {

call_timeline::call_timeline(wall_clock::time_point wall_start,
                             steady_clock::time_point steady_start)
    : steady_start_(steady_start) {
  record_.started = wall_start;
}

wall_clock::time_point call_timeline::wall(steady_clock::time_point at) const {
  return record_.started + std::chrono::duration_cast<wall_clock::duration>(
                               std::max(at, steady_start_) - steady_start_);
}

int call_timeline::latest_open(kind what, std::string_view party) const {
  for (auto i = static_cast<int>(record_.segments.size()) - 1; i >= 0; --i) {
    const auto& s = record_.segments[static_cast<std::size_t>(i)];
    if (open_[static_cast<std::size_t>(i)] && s.what == what &&
        (party.empty() || s.party == party)) {
      return i;
    }
  }
  return -1;
}

void call_timeline::begin(kind what, std::string party, std::string queue,
                          steady_clock::time_point now, std::string detail) {
  if (what == kind::ring && latest_open(what, party) >= 0) return;
  if (what == kind::talk) {
    if (!record_.connected) record_.connected = wall(now);
    if (!queue.empty()) record_.agent = party;
  }
  if (what == kind::queue) record_.queue = queue;
  record_.segments.push_back(call_segment{.what = what,
                                          .started = wall(now),
                                          .ended = {},
                                          .party = std::move(party),
                                          .queue = std::move(queue),
                                          .result = {},
                                          .detail = std::move(detail)});
  open_.push_back(true);
  changed();
}

bool call_timeline::end(kind what, std::string_view result, steady_clock::time_point now,
                        std::string_view party) {
  const auto i = latest_open(what, party);
  if (i < 0) return false;
  auto& s = record_.segments[static_cast<std::size_t>(i)];
  s.ended = wall(now);
  s.result = result;
  open_[static_cast<std::size_t>(i)] = false;
  changed();
  return true;
}

bool call_timeline::is_open(kind what, std::string_view party) const {
  return latest_open(what, party) >= 0;
}

bool call_timeline::resume(kind what, steady_clock::time_point now) {
  if (is_open(what)) return true;
  const auto last = std::find_if(record_.segments.rbegin(), record_.segments.rend(),
                                 [what](const call_segment& s) { return s.what == what; });
  if (last == record_.segments.rend()) return false;
  begin(what, last->party, last->queue, now, last->detail);
  return true;
}

void call_timeline::caller_answered(steady_clock::time_point now) {
  if (record_.answered) return;
  record_.answered = wall(now);
  changed();
}

void call_timeline::ended_by(std::string_view who) {
  if (record_.ended_by.empty()) record_.ended_by = who;
}

void call_timeline::refused(int status) { record_.status = status; }

call_detail_record call_timeline::finish(steady_clock::time_point now) {
  for (std::size_t i = 0; i < record_.segments.size(); ++i) {
    if (!open_[i]) continue;
    record_.segments[i].ended = wall(now);
    record_.segments[i].result = "ended";
    open_[i] = false;
  }
  record_.ended = wall(now);
  if (record_.ended_by.empty()) record_.ended_by = "system";
  if (took_callback_) {
    record_.disposition = call_disposition::callback;
  } else if (record_.connected) {
    record_.disposition = call_disposition::connected;
  } else if (record_.ended_by == "caller") {
    record_.disposition = call_disposition::abandoned;
  } else if (record_.answered) {
    record_.disposition = call_disposition::self_service;
  } else {
    record_.disposition = call_disposition::refused;
  }
  return record_;
}

live_call call_timeline::live_view() const {
  live_call view{.id = record_.call,
                 .caller = record_.caller,
                 .caller_name = record_.caller_name,
                 .dialed = record_.dialed,
                 .state = "setup",
                 .queue = record_.queue,
                 .agent = {},
                 .started = record_.started,
                 .state_since = record_.started,
                 .connected = record_.connected,
                 .callback_of = record_.callback_of,
                 .variables = variables_};
  // The most telling open segment names the state: a hold within a talk is "held", a ring
  // within a queue wait "ringing".
  constexpr std::pair<kind, const char*> telling[] = {
      {kind::hold, "held"},    {kind::transfer, "transferring"}, {kind::talk, "talking"},
      {kind::ring, "ringing"}, {kind::queue, "queued"},          {kind::ivr, "ivr"}};
  for (const auto& [what, name] : telling) {
    const auto i = latest_open(what, {});
    if (i < 0) continue;
    view.state = name;
    view.state_since = record_.segments[static_cast<std::size_t>(i)].started;
    break;
  }
  for (const auto what : {kind::talk, kind::ring}) {
    const auto i = latest_open(what, {});
    if (i >= 0) {
      view.agent = record_.segments[static_cast<std::size_t>(i)].party;
      break;
    }
  }
  return view;
}

}  // namespace callcenterd::call::detail
