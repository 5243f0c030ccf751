// What each kind of node does when the caller reaches it. Input nodes (menu, collect) are in
// flow_input.cpp, prompts in flow_prompts.cpp.

#include <spdlog/spdlog.h>

#include <type_traits>

#include "flow_runtime.hpp"

namespace callcenterd::ivr {

namespace asio = boost::asio;
using config::flow_node_settings;
using config::flow_text;

namespace {

std::string_view state_name(calendar_state state) {
  switch (state) {
    case calendar_state::open:
      return "open";
    case calendar_state::closed:
      return "closed";
    case calendar_state::holiday:
      return "holiday";
  }
  return "closed";
}

}  // namespace

std::string_view node_kind_name(const config::flow_node_body& body) {
  static constexpr std::string_view names[] = {
      "play",  "menu",     "collect", "set",    "branch", "switch", "schedule",
      "queue", "transfer", "call",    "return", "hangup", "lookup"};
  static_assert(std::size(names) == std::variant_size_v<config::flow_node_body>);
  return names[body.index()];
}

node_outcome flow_session::impl::branch_to(const flow_text& target, std::string detail) {
  step(flow_step::kind::branch, std::move(detail));
  return node_outcome::go(target);
}

asio::awaitable<node_outcome> flow_session::impl::run_node(const flow_node_settings& node,
                                                           std::size_t depth) {
  const auto& flows = *settings.flows;
  const auto& flow = *current_flow;
  // Keys pressed before a node that does not read them are not meant for a later menu.
  if (!std::holds_alternative<config::play_node>(node.body) &&
      !std::holds_alternative<config::menu_node>(node.body) &&
      !std::holds_alternative<config::collect_node>(node.body)) {
    typed_ahead.clear();
  }
  spdlog::debug("flow {}: node {} ({})", flow.name, node.name, node_kind_name(node.body));

  if (const auto* play_node = std::get_if<config::play_node>(&node.body)) {
    co_await play(play_node->prompt, play_node->interruptible);
    co_return node_outcome::go(play_node->next);
  }
  if (const auto* menu_node = std::get_if<config::menu_node>(&node.body)) {
    const auto outcome = co_await menu(*menu_node);
    co_return outcome;
  }
  if (const auto* collect_node = std::get_if<config::collect_node>(&node.body)) {
    const auto outcome = co_await collect(*collect_node);
    co_return outcome;
  }
  if (const auto* set = std::get_if<config::set_node>(&node.body)) {
    for (const auto& [name, text] : set->assignments) variables[name] = evaluate(text);
    co_return node_outcome::go(set->next);
  }
  if (const auto* branch = std::get_if<config::branch_node>(&node.body)) {
    for (const auto& c : branch->cases) {
      if (evaluate(c.when).truthy()) co_return branch_to(c.go, c.go.text);
    }
    co_return branch_to(branch->otherwise, branch->otherwise.text);
  }
  if (const auto* choice = std::get_if<config::switch_node>(&node.body)) {
    const auto key = evaluate(choice->value).to_text();
    for (const auto& [value_text, target] : choice->cases) {
      if (value_text == key) co_return branch_to(target, target.text);
    }
    co_return branch_to(choice->otherwise, choice->otherwise.text);
  }
  if (const auto* schedule = std::get_if<config::schedule_node>(&node.body)) {
    const auto state = flows.calendar_named(schedule->calendar.text).state_at(settings.clock());
    const auto& target = state == calendar_state::open ? schedule->open
                         : state == calendar_state::holiday && !schedule->holiday.empty()
                             ? schedule->holiday
                             : schedule->closed;
    co_return branch_to(target, std::string(state_name(state)));
  }
  if (const auto* queue = std::get_if<config::queue_node>(&node.body)) {
    std::int64_t priority = 0;
    if (!queue->priority.empty()) {
      const auto v = evaluate(queue->priority);
      if (v.is_integer()) priority = v.as_integer();
    }
    // Named, not a temporary: GCC 12 destroys a temporary argument of a co_await twice.
    connect_target target{.what = connect_target::kind::queue,
                          .name = queue->queue.text,
                          .trunk = {},
                          .priority = priority,
                          .escalation = queue->escalate,
                          .variables = variables_as_text()};
    const auto outcome = co_await connect(std::move(target), queue->next);
    co_return outcome;
  }
  if (const auto* transfer = std::get_if<config::transfer_node>(&node.body)) {
    if (transfer->what == config::transfer_node::kind::flow) {
      replacement = flows.find(transfer->target.text);
      step(flow_step::kind::left, "flow " + transfer->target.text);
      co_return node_outcome{flow_exit::replaced, nullptr};
    }
    auto where = render(transfer->target);
    if (!where || where->empty()) co_return node_outcome::go(transfer->failed);
    const bool to_number = transfer->what == config::transfer_node::kind::number;
    connect_target target{
        .what = to_number ? connect_target::kind::number : connect_target::kind::extension,
        .name = std::move(*where),
        .trunk = transfer->trunk};
    const auto outcome = co_await connect(std::move(target), transfer->failed);
    co_return outcome;
  }
  if (const auto* call = std::get_if<config::call_flow_node>(&node.body)) {
    if (depth + 1 >= max_flow_call_depth) {
      spdlog::warn("flow {}: {}:{}: calls nest deeper than {}; going on without the call",
                   flow.name, call->flow.file, call->flow.line, max_flow_call_depth);
      step(flow_step::kind::failed, "calls nest too deep");
      co_return node_outcome::go(call->next);
    }
    const auto exit = co_await run_flow(*flows.find(call->flow.text), depth + 1);
    if (exit != flow_exit::returned) co_return node_outcome{exit, nullptr};
    co_return node_outcome::go(call->next);
  }
  if (const auto* lookup_node = std::get_if<config::lookup_node>(&node.body)) {
    const auto outcome = co_await lookup(*lookup_node);
    co_return outcome;
  }
  if (std::holds_alternative<config::return_node>(node.body)) {
    co_return node_outcome{flow_exit::returned, nullptr};
  }
  const auto& hangup = std::get<config::hangup_node>(node.body);
  const std::string reason = hangup.reason.empty() ? "normal" : hangup.reason;
  step(flow_step::kind::hung_up, reason);
  end_call(reason);
  co_return node_outcome::leave();
}

asio::awaitable<node_outcome> flow_session::impl::lookup(const config::lookup_node& lookup) {
  if (channel == nullptr) co_return node_outcome::leave();
  const auto& query = settings.flows->query_named(lookup.query.text);
  std::vector<value> parameters;
  parameters.reserve(lookup.parameters.size());
  for (const auto& text : lookup.parameters) parameters.push_back(evaluate(text));
  const auto& on_error = lookup.error.empty() ? lookup.not_found : lookup.error;
  lookup_token = next_token++;
  looked_up.reset();
  channel->lookup(lookup_token, query, std::move(parameters));
  // The database gets the query's timeout, and so does the caller's wait: a pool that is
  // backed up does not hold the caller beyond it.
  arm_timer(query.timeout);
  const bool present = co_await wait_until([this] { return looked_up || timer_fired; });
  lookup_token = 0;
  if (!present) co_return node_outcome::leave();
  if (!looked_up) {
    step(flow_step::kind::failed, "query " + query.name + " timed out");
    co_return node_outcome::go(on_error);
  }
  timer_token = 0;
  auto result = std::move(*looked_up);
  looked_up.reset();
  if (result.what == lookup_result::kind::failed) {
    spdlog::warn("flow {}: query {} failed: {}", current_flow->name, query.name, result.error);
    step(flow_step::kind::failed, "query " + query.name + " failed");
    co_return node_outcome::go(on_error);
  }
  if (result.what == lookup_result::kind::not_found)
    co_return branch_to(lookup.not_found, "not_found");
  const auto& prefix = lookup.into.empty() ? query.name : lookup.into;
  for (auto& [column, v] : result.columns) {
    std::string name = prefix;
    name += '.';
    name += column;
    variables[std::move(name)] = std::move(v);
  }
  co_return branch_to(lookup.found, "found");
}

asio::awaitable<node_outcome> flow_session::impl::connect(connect_target target,
                                                          const flow_text& on_failure) {
  if (channel == nullptr) co_return node_outcome::leave();
  std::string where = target.what == connect_target::kind::queue       ? "queue "
                      : target.what == connect_target::kind::extension ? "extension "
                                                                       : "number ";
  where += target.name;
  // Keys while the caller waits for an answer are not for the flow.
  listening = false;
  connected.reset();
  channel->connect(target);
  const bool present = co_await wait_until([this] { return connected.has_value(); });
  listening = true;
  if (!present) co_return node_outcome::leave();
  if (*connected) {
    step(flow_step::kind::left, where);
    co_return node_outcome::leave();
  }
  step(flow_step::kind::failed, where + " did not answer");
  co_return node_outcome::go(on_failure);
}

}  // namespace callcenterd::ivr
