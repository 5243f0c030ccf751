#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "callcenterd/call/call_manager.hpp"
#include "callcenterd/call/dial_plan.hpp"
#include "callcenterd/config/settings.hpp"
#include "callcenterd/sip/auth_throttle.hpp"
#include "callcenterd/sip/digest_authenticator.hpp"
#include "callcenterd/sip/outbound_registration.hpp"
#include "callcenterd/sip/registrar.hpp"
#include "callcenterd/sip/stack.hpp"

namespace callcenterd::app {

// The SIP component's settings structs, filled from the sip: section.

sip::stack_settings to_stack_settings(const config::sip_settings& sip, unsigned threads);
sip::digest_settings to_digest_settings(const config::sip_settings& sip);
sip::throttle_settings to_throttle_settings(const config::sip_auth_settings& auth);
sip::registrar_settings to_registrar_settings(const config::sip_settings& sip);
/// `blocked` is what a caller on the blocklist gets (media_service builds it).
call::call_settings to_call_settings(const config::sip_settings& sip, call::call_target blocked);
std::vector<call::prefix_route> to_prefix_routes(const config::sip_settings& sip);
// One per trunk whose registration is enabled.
std::vector<sip::outbound_registration_settings> to_outbound_registrations(
    const config::sip_settings& sip);
// The dids: list as the dial plan's numbers: flows and queues are answered locally until
// the IVR and the ACD take them; an extension target rings that extension.
/// A DID's audio, for to_number_routes: a prompt or null.
using did_prompt = std::function<std::shared_ptr<const media::prompt>(const config::did_settings&)>;
/// The DIDs' routes; `greeting` gives the prompt of a DID that has one (null for none),
/// `hold_music` the music of its hold class (null for the default), and `record` whether
/// recording is on at all.
std::vector<call::number_route> to_number_routes(const std::vector<config::did_settings>& dids,
                                                 bool record, const did_prompt& greeting,
                                                 const did_prompt& hold_music = {});

}  // namespace callcenterd::app
