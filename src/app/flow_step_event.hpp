#pragma once

#include <string>

#include "callcenterd/ivr/flow_channel.hpp"
#include "callcenterd/store/event.hpp"

namespace callcenterd::app {

/// A step of a caller's way through the flows as an event-log entry: kind "ivr.step", keyed by
/// the call's UUID, with the flow, the node, what happened and its detail. Reports count calls
/// per node, containment and where callers give up from these rows. Any thread.
store::event flow_step_event(const std::string& call_uuid, const ivr::flow_step& step);

}  // namespace callcenterd::app
