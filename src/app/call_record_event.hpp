#pragma once

#include "callcenterd/call/call_detail_record.hpp"
#include "callcenterd/store/event.hpp"

namespace callcenterd::app {

/// A call's detail record as an event-log entry: kind "call.record", keyed by the call's UUID,
/// with every field and segment; times as ISO 8601 UTC text. The database turns each such
/// row into a `call_records` row and its `call_segments` (sql/0008); `customer_id`, when
/// known, links it to the customer it was with (sql/0013). Any thread.
store::event call_record_event(const call::call_detail_record& record,
                               const std::string& customer_id = {});

}  // namespace callcenterd::app
