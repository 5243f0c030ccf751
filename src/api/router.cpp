#include "callcenterd/api/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>

#include "callcenterd/api/error.hpp"
#include "callcenterd/core/logging.hpp"
#include "callcenterd/core/metrics.hpp"
#include "callcenterd/core/uuid.hpp"
#include "route_pattern.hpp"

namespace callcenterd::api {

namespace {

constexpr std::size_t max_request_id_length = 128;

// A client-chosen id ends up in our logs and response headers, so only plain tokens are kept.
bool is_sane_request_id(std::string_view id) {
  return !id.empty() && id.size() <= max_request_id_length &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == ':';
         });
}

// Metric labels must stay a small set: methods outside the standard list count as "other".
std::string method_label(const request& req) {
  return req.method() == http::verb::unknown ? std::string("other")
                                             : std::string(http::to_string(req.method()));
}

std::string allow_header(const std::set<http::verb>& methods) {
  std::set<std::string_view> names;
  for (const auto method : methods) names.insert(http::to_string(method));
  if (methods.contains(http::verb::get)) names.insert(http::to_string(http::verb::head));
  std::string allow;
  for (const auto name : names) {
    if (!allow.empty()) allow += ", ";
    allow += name;
  }
  return allow;
}

}  // namespace

std::optional<std::string_view> request_context::path_param(std::string_view name) const {
  const auto found = path_params.find(name);
  if (found == path_params.end()) return std::nullopt;
  return found->second;
}

std::optional<std::string_view> request_context::query_param(std::string_view name) const {
  for (const auto& [key, value] : query_params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string_view request_context::header(std::string_view name) const { return request[name]; }

struct router::route {
  detail::route_pattern pattern;
  std::map<http::verb, route_handler> handlers;
};

struct router::instruments {
  core::metrics_registry& metrics;

  void record(const std::string& route, const std::string& method, unsigned status,
              std::chrono::steady_clock::duration elapsed) const {
    metrics
        .counter("callcenterd_http_requests_total", "HTTP requests answered by the router.",
                 {{"route", route}, {"method", method}, {"status", std::to_string(status)}})
        .increment();
    metrics
        .histogram("callcenterd_http_request_duration_seconds",
                   "Time from routing a request to having its response, in seconds.",
                   {{"route", route}, {"method", method}})
        .observe(std::chrono::duration<double>(elapsed).count());
  }
};

router::router(core::metrics_registry& metrics)
    : instruments_(std::make_unique<instruments>(instruments{metrics})) {}

router::~router() = default;

void router::add(http::verb method, std::string_view pattern, route_handler handler) {
  std::string why;
  auto parsed = detail::parse_route_pattern(pattern, why);
  if (!parsed) {
    throw std::invalid_argument("router: bad pattern '" + std::string(pattern) + "': " + why);
  }
  if (!handler || method == http::verb::unknown) {
    throw std::invalid_argument("router: no handler or unknown method for '" +
                                std::string(pattern) + "'");
  }
  route* target = nullptr;
  for (auto& existing : routes_) {
    if (detail::compare_specificity(existing->pattern, *parsed) != 0) continue;
    if (existing->pattern.text != parsed->text) {
      throw std::invalid_argument("router: '" + std::string(pattern) + "' and '" +
                                  existing->pattern.text + "' match the same paths");
    }
    target = existing.get();
  }
  if (target == nullptr) {
    routes_.push_back(std::make_unique<route>(route{std::move(*parsed), {}}));
    target = routes_.back().get();
  }
  if (!target->handlers.emplace(method, std::move(handler)).second) {
    throw std::invalid_argument("router: " + std::string(http::to_string(method)) + " " +
                                std::string(pattern) + " is already registered");
  }
}

std::vector<router::registered_route> router::routes() const {
  std::vector<registered_route> out;
  for (const auto& r : routes_) {
    for (const auto& [method, unused] : r->handlers) {
      out.push_back({std::string(http::to_string(method)), r->pattern.text});
    }
  }
  return out;
}

boost::asio::awaitable<response> router::handle(request req, std::string client_address) const {
  const auto started = std::chrono::steady_clock::now();
  request_context context;
  const std::string_view id_header = req["X-Request-Id"];
  context.request_id = is_sane_request_id(id_header) ? std::string(id_header) : core::make_uuid();
  const std::string method = method_label(req);
  const http::verb verb = req.method();
  context.request = std::move(req);
  context.client_address = std::move(client_address);

  std::string route_label = "unmatched";
  const route_handler* chosen = nullptr;
  std::optional<response> answer;

  auto target = detail::parse_target(context.request.target());
  if (!target) {
    answer = error_response(error::bad_request, "The request target is not a valid path.");
  } else {
    const route* best = nullptr;
    const route* closest = nullptr;  // most specific match for any method, to label a 405
    std::set<http::verb> allowed;
    detail::path_params params;
    for (const auto& candidate : routes_) {
      if (!detail::match_route(candidate->pattern, target->segments, params)) continue;
      for (const auto& [registered, unused] : candidate->handlers) allowed.insert(registered);
      if (closest == nullptr ||
          detail::compare_specificity(candidate->pattern, closest->pattern) > 0) {
        closest = candidate.get();
      }
      auto found = candidate->handlers.find(verb);
      if (found == candidate->handlers.end() && verb == http::verb::head) {
        found = candidate->handlers.find(http::verb::get);
      }
      if (found == candidate->handlers.end()) continue;
      if (best == nullptr || detail::compare_specificity(candidate->pattern, best->pattern) > 0) {
        best = candidate.get();
        chosen = &found->second;
        context.path_params = params;
      }
    }
    if (best != nullptr) {
      route_label = best->pattern.text;
      context.route = best->pattern.text;
      context.query_params = std::move(target->query);
    } else if (closest != nullptr) {
      route_label = closest->pattern.text;
      answer = error_response(error::method_not_allowed);
      answer->set(http::field::allow, allow_header(allowed));
    } else {
      answer = error_response(error::not_found);
    }
  }

  if (chosen != nullptr) {
    try {
      answer = co_await (*chosen)(context);
    } catch (const std::exception& failure) {
      core::log_for(context.request_id, spdlog::level::err, "http: {} {} failed: {}", method,
                    route_label, failure.what());
    } catch (...) {
      core::log_for(context.request_id, spdlog::level::err,
                    "http: {} {} failed with a non-standard exception", method, route_label);
    }
    if (!answer) answer = error_response(error::internal_error);
  }

  response res = std::move(*answer);
  if (verb == http::verb::head && !res.body().empty()) {
    // HEAD announces the length GET would send, then sends nothing.
    res.content_length(res.body().size());
    res.body().clear();
  }
  res.set("X-Request-Id", context.request_id);
  instruments_->record(route_label, method, res.result_int(),
                       std::chrono::steady_clock::now() - started);
  core::log_for(context.request_id, spdlog::level::debug, "http: {} {} -> {} (route {})", method,
                std::string_view(context.request.target()), res.result_int(), route_label);
  co_return res;
}

}  // namespace callcenterd::api
