#pragma once

#include "callcenterd/config/settings.hpp"
#include "callcenterd/sip/auth_throttle.hpp"
#include "callcenterd/sip/digest_authenticator.hpp"
#include "callcenterd/sip/registrar.hpp"
#include "callcenterd/sip/stack.hpp"

namespace callcenterd::app {

// The SIP component's settings structs, filled from the sip: section.

sip::stack_settings to_stack_settings(const config::sip_settings& sip, unsigned threads);
sip::digest_settings to_digest_settings(const config::sip_settings& sip);
sip::throttle_settings to_throttle_settings(const config::sip_auth_settings& auth);
sip::registrar_settings to_registrar_settings(const config::sip_settings& sip);

}  // namespace callcenterd::app
