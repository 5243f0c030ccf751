#include <spdlog/spdlog.h>

#include "callcenterd/sip/auth_error.hpp"
#include "callcenterd/sip/dialog.hpp"
#include "callcenterd/sip/registrar.hpp"
#include "callcenterd/sip/uri.hpp"

namespace callcenterd::sip {

request_authenticator::request_authenticator(digest_authenticator& digest, auth_throttle& throttle,
                                             const account_directory& accounts,
                                             std::string server_header)
    : digest_(digest),
      throttle_(throttle),
      accounts_(accounts),
      server_header_(std::move(server_header)) {}

sip_message request_authenticator::challenge(const sip_message& request, bool stale,
                                             std::chrono::steady_clock::time_point now) {
  challenges_.fetch_add(1, std::memory_order_relaxed);
  auto response = make_tagged_response(request, 401, {}, new_token(), server_header_);
  for (auto& value : digest_.challenges(stale, now)) {
    response.add_header("WWW-Authenticate", std::move(value));
  }
  return response;
}

sip_message request_authenticator::forbidden(const sip_message& request) {
  return make_tagged_response(request, 403, {}, new_token(), server_header_);
}

auth_result request_authenticator::authenticate(const received_message& request,
                                                std::optional<std::string_view> expected_user) {
  const auto now = request.received_at;
  const auto& source = request.source.remote_address;
  if (throttle_.is_blocked(source, now)) {
    throttled_.fetch_add(1, std::memory_order_relaxed);
    return {auth_result::kind::drop, {}, std::nullopt};
  }
  const auto& message = request.message;
  const auto credentials = digest_.find_credentials(message, "Authorization");
  if (!credentials) {
    if (credentials.error() == auth_errc::no_credentials) {
      return {auth_result::kind::challenge, {}, challenge(message, false, now)};
    }
    // Credentials for us that do not parse count as a failure: a guesser gains nothing from
    // sending garbage instead of a wrong password.
    failures_.fetch_add(1, std::memory_order_relaxed);
    throttle_.record_failure(source, now);
    return {auth_result::kind::refused, {}, forbidden(message)};
  }
  const std::string username = credentials->username;
  const auto account = accounts_.find(username);
  std::optional<stored_ha1> stored;
  if (account && !account->disabled) stored = account->ha1;
  const auto outcome =
      digest_.verify(*credentials, message.method(), to_string(message.request_uri()), stored, now);
  switch (outcome) {
    case auth_outcome::ok:
      if (expected_user && *expected_user != username) {
        // A valid password for another extension: not a guess, but not allowed either.
        spdlog::info("sip: {} authenticated as {} but addressed {}", to_string(request.source),
                     username, *expected_user);
        return {auth_result::kind::refused, {}, forbidden(message)};
      }
      successes_.fetch_add(1, std::memory_order_relaxed);
      throttle_.record_success(source, now);
      return {auth_result::kind::authenticated, username, std::nullopt};
    case auth_outcome::stale:
      return {auth_result::kind::challenge, {}, challenge(message, true, now)};
    case auth_outcome::failed:
    case auth_outcome::malformed:
      break;
  }
  failures_.fetch_add(1, std::memory_order_relaxed);
  throttle_.record_failure(source, now);  // the throttle logs when it blocks a source
  return {auth_result::kind::refused, {}, forbidden(message)};
}

}  // namespace callcenterd::sip
