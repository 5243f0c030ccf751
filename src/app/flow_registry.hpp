#pragma once

#include "callcenterd/core/snapshot.hpp"
#include "callcenterd/ivr/flow_set.hpp"

namespace callcenterd::app {

/// The flow set in force. A reload replaces it whole; a call takes the set once, when its
/// flow starts, and keeps it to the end, so calls in progress finish on the version they
/// started with while new calls take the new one. Thread-safe.
using flow_registry = core::snapshot<ivr::flow_set>;

}  // namespace callcenterd::app
