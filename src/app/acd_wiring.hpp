#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/call/call_manager.hpp"
#include "callcenterd/store/event.hpp"

namespace callcenterd::app {

/// The calls' way to the ACD: each request posted to the ACD's strand.
class acd_router final : public call::queue_router {
 public:
  explicit acd_router(acd::acd_service& acd) : acd_(acd) {}
  void enqueue(const std::string& call_uuid, const std::string& queue, int priority,
               const std::vector<acd::priority_step>& escalation) override;
  void caller_left(const std::string& call_uuid) override;
  void offer_answered(const std::string& call_uuid, const std::string& agent,
                      std::function<void(bool taken)> done) override;
  void offer_failed(const std::string& call_uuid, const std::string& agent,
                    acd::offer_failure why) override;
  void call_ended(const std::string& call_uuid, const std::string& who) override;
  void place_of(const std::string& call_uuid,
                std::function<void(std::optional<call::queue_place>)> done) override;
  void request_callback(const std::string& call_uuid, const acd::callback_party& to,
                        std::function<void(bool taken)> done) override;
  void callback_answered(const std::string& call_uuid, const std::string& new_uuid,
                         std::function<void(bool taken)> done) override;
  void callback_failed(const std::string& call_uuid, const std::string& why) override;

 private:
  acd::acd_service& acd_;
};

/// An ACD event as the event log keeps it: kind `queue.*` or `agent.*`, correlated by the call's
/// UUID (or the agent's id for agent events without a call), with the wall-clock time of the
/// ACD's monotonic one.
store::event acd_event_record(const acd::acd_event& event);

/// An ACD event back from its event-log form (kind and payload): what counts for today's
/// figures (queue, agent, call, states, outcome, wait, talk, after-call work). Empty when the
/// kind is not an ACD event's.
std::optional<acd::acd_event> acd_event_of(std::string_view kind, const nlohmann::json& payload);

}  // namespace callcenterd::app
