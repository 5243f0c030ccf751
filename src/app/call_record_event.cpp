#include "call_record_event.hpp"

#include "time_text.hpp"

namespace callcenterd::app {

namespace {

nlohmann::json optional_time(const std::optional<call::wall_clock::time_point>& at) {
  return at ? nlohmann::json(iso_utc(*at)) : nlohmann::json();
}

}  // namespace

store::event call_record_event(const call::call_detail_record& record,
                               const std::string& customer_id) {
  auto segments = nlohmann::json::array();
  for (const auto& s : record.segments) {
    segments.push_back({{"kind", std::string(call::to_string(s.what))},
                        {"started", iso_utc(s.started)},
                        {"ended", iso_utc(s.ended)},
                        {"party", s.party},
                        {"queue", s.queue},
                        {"result", s.result},
                        {"detail", s.detail}});
  }
  auto event = store::make_event("call.record", record.call,
                                 {{"sip_call_id", record.sip_call_id},
                                  {"caller", record.caller},
                                  {"caller_name", record.caller_name},
                                  {"dialed", record.dialed},
                                  {"started", iso_utc(record.started)},
                                  {"answered", optional_time(record.answered)},
                                  {"connected", optional_time(record.connected)},
                                  {"ended", iso_utc(record.ended)},
                                  {"disposition", std::string(call::to_string(record.disposition))},
                                  {"status", record.status},
                                  {"ended_by", record.ended_by},
                                  {"queue", record.queue},
                                  {"agent", record.agent},
                                  {"segments", std::move(segments)}});
  if (!record.callback_of.empty()) event.payload["callback_of"] = record.callback_of;
  if (!customer_id.empty()) event.payload["customer_id"] = customer_id;
  // The record is the call's end: it happened when the call ended, not when it was written.
  event.occurred_at = std::chrono::time_point_cast<std::chrono::microseconds>(record.ended);
  return event;
}

}  // namespace callcenterd::app
