#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

namespace callcenterd::crm {

/// Why the CRM refused a request. Requests come from clients (the API), so refusals are
/// values, never exceptions. Suggested HTTP statuses are in brackets.
enum class crm_errc {
  invalid_input = 1,   ///< a field breaks a rule; crm_error::problems says which (400)
  not_found,           ///< no such customer, ticket or article, or the caller may not see it (404)
  conflict,            ///< a phone number belongs to another customer (409)
  refused_transition,  ///< the ticket workflow does not allow this status change (409)
  too_large,           ///< an import or export over its row limit (413)
};

/// The category of crm_errc ("callcenterd.crm"). Thread-safe.
const boost::system::error_category& crm_category() noexcept;

/// Wraps a crm_errc in an error_code of crm_category(). Thread-safe.
boost::system::error_code make_error_code(crm_errc e) noexcept;

/// One thing wrong with a request: which field (e.g. "phones[1]", "vip_level"), on which line
/// of an imported file (0 when not from a file), and why, in words for the person who sent it.
struct crm_problem {
  std::size_t line = 0;
  std::string field;
  std::string message;
  friend bool operator==(const crm_problem&, const crm_problem&) = default;
};

/// A refusal: the code (for the HTTP status and a stable JSON code), a one-line summary, and
/// for invalid input or a conflict every problem found, not only the first.
struct crm_error {
  boost::system::error_code code;
  std::string message;
  std::vector<crm_problem> problems;

  explicit operator bool() const noexcept { return static_cast<bool>(code); }
};

/// What CRM functions return: the value, or why not. Run through store::db_pool::async_run
/// (R = crm_result<T>), the pool's error_code comes first: when it is set (database
/// unavailable, query failed) the crm_result is a default value and means nothing.
template <class T>
using crm_result = boost::system::result<T, crm_error>;

/// A crm_error of `code` with `message` and `problems`. Pure; any thread.
crm_error make_crm_error(crm_errc code, std::string message,
                         std::vector<crm_problem> problems = {});

/// Lets crm_result<T>::value() throw a std::system_error carrying the message. Found by
/// argument-dependent lookup; never called on the happy path.
[[noreturn]] void throw_exception_from_error(const crm_error& e,
                                             const boost::source_location& where);

}  // namespace callcenterd::crm

template <>
struct boost::system::is_error_code_enum<callcenterd::crm::crm_errc> : std::true_type {};
