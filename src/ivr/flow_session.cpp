// The session handle, the waiting machinery and the walk from node to node.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "flow_runtime.hpp"

namespace callcenterd::ivr {

namespace asio = boost::asio;
using config::flow_settings;
using config::flow_text;

std::string_view to_string(flow_step::kind kind) {
  switch (kind) {
    case flow_step::kind::entered:
      return "entered";
    case flow_step::kind::key:
      return "key";
    case flow_step::kind::no_input:
      return "no_input";
    case flow_step::kind::invalid:
      return "invalid";
    case flow_step::kind::branch:
      return "branch";
    case flow_step::kind::failed:
      return "failed";
    case flow_step::kind::left:
      return "left";
    case flow_step::kind::hung_up:
      return "hung_up";
    case flow_step::kind::caller_gone:
      return "caller_gone";
  }
  return "unknown";
}

// ---- the handle ----

flow_session::flow_session(std::shared_ptr<impl> state) : impl_(std::move(state)) {}

flow_session::~flow_session() { on_caller_gone(); }

std::unique_ptr<flow_session> flow_session::create(strand_type strand, flow_channel& channel,
                                                   flow_session_settings settings) {
  auto state = std::make_shared<impl>(std::move(strand), channel, std::move(settings));
  return std::unique_ptr<flow_session>(new flow_session(std::move(state)));
}

void flow_session::start() {
  if (impl_->started) return;
  impl_->started = true;
  auto state = impl_;
  asio::co_spawn(
      state->strand, [state]() { return state->run(); },
      [state](const std::exception_ptr& error) {
        state->finished = true;
        if (!error) return;
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          spdlog::error("flow {}: stopped by an error: {}", state->settings.flow, e.what());
        }
        state->end_call("flow error");
      });
}

void flow_session::on_key(char key) {
  auto& s = *impl_;
  if (s.finished || !s.listening || s.typed_ahead.size() >= max_typed_ahead_keys) return;
  s.typed_ahead.push_back(key);
  s.wake();
}

void flow_session::on_playback_done(bool interrupted) {
  auto& s = *impl_;
  s.playing = false;
  s.interrupted = s.interrupted || interrupted;
  s.wake();
}

void flow_session::on_speech(std::uint64_t token, std::shared_ptr<const media::prompt> audio) {
  const auto it = impl_->speech.find(token);
  if (it == impl_->speech.end()) return;  // for a prompt that was cut short
  it->second = std::move(audio);
  impl_->wake();
}

void flow_session::on_timer(std::uint64_t token) {
  if (token != impl_->timer_token) return;
  impl_->timer_fired = true;
  impl_->wake();
}

void flow_session::on_connected(bool connected) {
  impl_->connected = connected;
  impl_->wake();
}

void flow_session::on_lookup(std::uint64_t token, lookup_result result) {
  if (token != impl_->lookup_token) return;  // one that took too long and was given up
  impl_->looked_up = std::move(result);
  impl_->wake();
}

void flow_session::on_caller_gone() {
  auto& s = *impl_;
  if (s.gone) return;
  // The node the caller was in is where they gave up. Recorded now: once this returns the
  // call may be gone, and the coroutine must not reach it any more.
  if (s.started && !s.finished && s.current_flow != nullptr && s.current_node != nullptr) {
    s.step(flow_step::kind::caller_gone);
  }
  s.gone = true;
  s.channel = nullptr;
  s.wake();
}

bool flow_session::running() const { return impl_->started && !impl_->finished && !impl_->gone; }

value flow_session::variable(std::string_view name) const {
  const auto it = impl_->variables.find(std::string(name));
  return it == impl_->variables.end() ? value{} : it->second;
}

// ---- waiting ----

flow_session::impl::impl(strand_type s, flow_channel& c, flow_session_settings flow_settings)
    : strand(std::move(s)), channel(&c), settings(std::move(flow_settings)), wake_signal(strand) {
  if (!settings.clock) settings.clock = [] { return std::chrono::system_clock::now(); };
  for (auto& [name, v] : settings.variables) variables[name] = v;
}

void flow_session::impl::wake() { wake_signal.cancel(); }

asio::awaitable<bool> flow_session::impl::wait_until(std::function<bool()> ready) {
  // The signal never expires by itself: reports cancel it. Every report changes the state
  // before it wakes, and the state is read before each wait, so none is missed.
  while (!gone && !ready()) {
    ++suspensions;
    wake_signal.expires_at(asio::steady_timer::time_point::max());
    co_await wake_signal.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return !gone;
}

void flow_session::impl::arm_timer(std::chrono::milliseconds after) {
  timer_token = next_token++;
  timer_fired = false;
  if (channel != nullptr) channel->start_timer(timer_token, after);
}

// ---- expressions and steps ----

evaluation_context flow_session::impl::context() const {
  return evaluation_context{.lookup =
                                [this](std::string_view name) {
                                  const auto it = variables.find(std::string(name));
                                  return it == variables.end() ? value{} : it->second;
                                },
                            .now = settings.clock()};
}

std::vector<std::pair<std::string, std::string>> flow_session::impl::variables_as_text() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(std::min(variables.size(), max_handed_variables));
  for (const auto& [name, v] : variables) {
    auto text = v.to_text();
    if (text.size() > max_handed_value) {
      // Cut on a character boundary: never half of a UTF-8 sequence.
      auto end = max_handed_value;
      while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
      text.resize(end);
    }
    out.emplace_back(name, std::move(text));
  }
  std::sort(out.begin(), out.end());
  if (out.size() > max_handed_variables) out.resize(max_handed_variables);
  return out;
}

value flow_session::impl::evaluate(const flow_text& text) {
  auto result = settings.flows->expr(text).evaluate(context());
  if (auto* v = std::get_if<value>(&result)) return std::move(*v);
  report_failure(text, std::get<evaluation_error>(result).reason);
  return {};
}

std::optional<std::string> flow_session::impl::render(const flow_text& text) {
  auto result = settings.flows->text(text).render(context());
  if (auto* s = std::get_if<std::string>(&result)) return std::move(*s);
  report_failure(text, std::get<evaluation_error>(result).reason);
  return std::nullopt;
}

void flow_session::impl::report_failure(const flow_text& text, const std::string& reason) {
  spdlog::warn("flow {}: {}:{}: {}: {}", current_flow->name, text.file, text.line, text.key_path,
               reason);
  step(flow_step::kind::failed, text.key_path + ": " + reason);
}

void flow_session::impl::step(flow_step::kind what, std::string detail) {
  if (channel == nullptr) return;
  channel->record_step(flow_step{.what = what,
                                 .flow = current_flow->name,
                                 .node = current_node->name,
                                 .detail = std::move(detail),
                                 .at = settings.clock()});
}

void flow_session::impl::end_call(std::string_view reason) {
  if (channel != nullptr) channel->hang_up(reason);
}

// ---- the walk ----

asio::awaitable<void> flow_session::impl::run() {
  const auto* flow = settings.flows->find(settings.flow);
  if (flow == nullptr) {
    spdlog::error("flow {}: not in the flow set; hanging up", settings.flow);
    end_call("no such flow");
    co_return;
  }
  while (flow != nullptr) {
    const auto exit = co_await run_flow(*flow, 0);
    if (exit == flow_exit::replaced) {
      flow = std::exchange(replacement, nullptr);
      continue;
    }
    // The top flow ran to its end: nothing more for the caller here.
    if (exit == flow_exit::returned && !gone) end_call("flow ended");
    break;
  }
}

asio::awaitable<flow_exit> flow_session::impl::run_flow(const flow_settings& flow,
                                                        std::size_t depth) {
  const auto* node = &settings.flows->start(flow);
  while (node != nullptr) {
    if (gone) co_return flow_exit::left;
    current_flow = &flow;
    current_node = node;
    if (suspensions != suspensions_seen) {
      suspensions_seen = suspensions;
      nodes_without_wait = 0;
    } else if (++nodes_without_wait > max_nodes_without_wait) {
      spdlog::error("flow {}: node {}: {} nodes ran without waiting for anything; ending the call",
                    flow.name, node->name, max_nodes_without_wait);
      step(flow_step::kind::failed, "nodes ran without waiting for anything");
      step(flow_step::kind::hung_up, "flow runaway");
      end_call("flow runaway");
      co_return flow_exit::left;
    }
    // What the node reads as previous_node is the one the caller came from.
    if (!previous_node.empty()) variables["previous_node"] = value(previous_node);
    step(flow_step::kind::entered, std::string(node_kind_name(node->body)));
    const auto outcome = co_await run_node(*node, depth);
    if (gone) co_return flow_exit::left;
    previous_node = node->name;
    if (outcome.exit != flow_exit::next) co_return outcome.exit;
    node = outcome.target != nullptr ? settings.flows->node(*outcome.target) : nullptr;
  }
  co_return flow_exit::returned;
}

}  // namespace callcenterd::ivr
