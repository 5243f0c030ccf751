#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>

#include "auth_service.hpp"
#include "callcenterd/acd/acd_service.hpp"
#include "callcenterd/api/router.hpp"

namespace callcenterd::app {

/// Runs `change` on the ACD's strand for agent `id`, if `who` may steer them (agent_reach.hpp),
/// and answers with the agent as they are now (200, agent_json), or 404 `not_found`, 403
/// `forbidden`, or the ACD's refusal: 400 `bad_reason`, 400 `bad_skills`, 409 `conflict`.
boost::asio::awaitable<api::response> change_agent(
    acd::acd_service& acd, const principal& who, std::string id,
    std::function<boost::system::result<void>(acd::engine&, acd::instant)> change);

}  // namespace callcenterd::app
