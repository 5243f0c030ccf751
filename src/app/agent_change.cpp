// A change of an agent through the API, on the ACD's strand, with the ACD's refusals as HTTP
// statuses.
#include "agent_change.hpp"

#include "acd_json.hpp"
#include "agent_reach.hpp"

namespace callcenterd::app {

namespace http = boost::beast::http;

namespace {

api::response error_of(const boost::system::error_code& ec) {
  switch (static_cast<acd::acd_errc>(ec.value())) {
    case acd::acd_errc::unknown_agent:
      return api::error_response(http::status::not_found, "not_found", "no such agent");
    case acd::acd_errc::unknown_reason:
      return api::error_response(http::status::bad_request, "bad_reason", ec.message());
    case acd::acd_errc::bad_skills:
      return api::error_response(http::status::bad_request, "bad_skills", ec.message());
    default:  // not in wrap-up, and whatever else the agent's state does not allow now
      return api::error_response(http::status::conflict, "conflict", ec.message());
  }
}

/// What a change of an agent asked through the API came to.
struct agent_change {
  bool found = false;
  bool allowed = false;
  boost::system::error_code refused;
  acd::agent_view after;
};

}  // namespace

boost::asio::awaitable<api::response> change_agent(
    acd::acd_service& acd, const principal& who, std::string id,
    std::function<boost::system::result<void>(acd::engine&, acd::instant)> change) {
  std::function<agent_change(acd::engine&, acd::instant)> job =
      [who, id, change](acd::engine& engine, acd::instant now) {
        agent_change out;
        const auto before = engine.agent(id);
        if (!before) return out;
        out.found = true;
        out.allowed = may_reach(who, *before);
        if (!out.allowed) return out;
        if (auto done = change(engine, now); !done) out.refused = done.error();
        out.after = *engine.agent(id);
        return out;
      };
  auto asked = acd.ask<agent_change>(std::move(job));
  const auto outcome = co_await std::move(asked);
  if (!outcome.found) {
    co_return api::error_response(http::status::not_found, "not_found", "no such agent");
  }
  if (!outcome.allowed) {
    co_return api::error_response(http::status::forbidden, "forbidden",
                                  "you may not change this agent");
  }
  if (outcome.refused) co_return error_of(outcome.refused);
  co_return api::json_response(http::status::ok, agent_json(outcome.after));
}

}  // namespace callcenterd::app
