#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace callcenterd::acd {

/// Why the ACD refused a request from an agent, a supervisor or a call. Requests come from the
/// network (the API, SIP), so refusals are values, never exceptions.
enum class acd_errc {
  unknown_agent = 1,  ///< no agent with this id
  unknown_queue,      ///< no queue with this name
  unknown_call,       ///< the call is not in a queue (or not offered to this agent)
  unknown_reason,     ///< a not-ready reason that is not in the configured list
  not_in_wrap_up,     ///< ending wrap-up of an agent who is not in it
  already_queued,     ///< the call waits in a queue already
  offer_gone,         ///< an answer to an offer the ACD withdrew (timeout, caller left)
  bad_priority,       ///< outside 0..max_priority
  no_callback,        ///< the queue offers no callback, or the call has one already
  bad_skills,         ///< a skill listed twice, or a level outside 1..10
};

/// The category of acd_errc. Thread-safe.
const boost::system::error_category& acd_category() noexcept;

/// Wraps an acd_errc in an error_code of acd_category(). Thread-safe.
boost::system::error_code make_error_code(acd_errc e) noexcept;

}  // namespace callcenterd::acd

template <>
struct boost::system::is_error_code_enum<callcenterd::acd::acd_errc> : std::true_type {};
