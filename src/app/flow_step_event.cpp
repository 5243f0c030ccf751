#include "flow_step_event.hpp"

#include <chrono>

namespace callcenterd::app {

store::event flow_step_event(const std::string& call_uuid, const ivr::flow_step& step) {
  const auto at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(step.at.time_since_epoch()).count();
  return store::make_event("ivr.step", call_uuid,
                           {{"flow", step.flow},
                            {"node", step.node},
                            {"step", std::string(ivr::to_string(step.what))},
                            {"detail", step.detail},
                            {"at_ms", at_ms}});
}

}  // namespace callcenterd::app
