#pragma once

#include <functional>

#include "call.hpp"
#include "callcenterd/ivr/flow_channel.hpp"

namespace callcenterd::call::detail {

/// The call as its flow sees it (call_flow.cpp). Requests that may end or re-route the call
/// are posted, so that they never run inside the flow's own step (the call may be released at
/// its end).
class flow_link final : public ivr::flow_channel {
 public:
  explicit flow_link(call& owner) : owner_(owner) {}

  bool play(const std::shared_ptr<const media::prompt>& audio, bool interruptible) override;
  void stop_playing() override;
  void speak(std::uint64_t token, std::string text, media::speech_language language) override;
  void start_timer(std::uint64_t token, std::chrono::milliseconds after) override;
  void connect(const ivr::connect_target& target) override;
  void lookup(std::uint64_t token, const config::query_settings& query,
              std::vector<ivr::value> parameters) override;
  void hang_up(std::string_view reason) override;
  void record_step(const ivr::flow_step& step) override;

 private:
  /// A callback for work done away from the call's strand (speech, the database): it posts
  /// `report(flow, result)` back to the strand, if the call and its flow still exist then.
  template <class Result, class Report>
  std::function<void(Result)> reply_to_flow(Report report) const;

  call& owner_;
};

}  // namespace callcenterd::call::detail
