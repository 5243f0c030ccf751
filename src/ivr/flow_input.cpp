// The nodes that wait for the caller's keys: a menu (one key chooses) and a collect (digits
// into a variable). Both re-prompt after a wrong answer or silence until their tries are
// used, then take their invalid or no-input branch.

#include "flow_runtime.hpp"

namespace callcenterd::ivr {

namespace asio = boost::asio;

namespace {

using failure = input_failure;

const config::prompt_settings no_prompt;

}  // namespace

asio::awaitable<key_wait> flow_session::impl::next_key(std::chrono::milliseconds timeout,
                                                       char& key) {
  if (typed_ahead.empty()) {
    arm_timer(timeout);
    const bool present =
        co_await wait_until([this] { return !typed_ahead.empty() || timer_fired; });
    if (!present) co_return key_wait::gone;
    if (typed_ahead.empty()) co_return key_wait::timeout;
    timer_token = 0;  // the wait is over: its expiry, when it comes, is stale
  }
  key = typed_ahead.front();
  typed_ahead.erase(0, 1);
  co_return key_wait::key;
}

asio::awaitable<bool> flow_session::impl::ask(input_failure last,
                                              const config::prompt_settings& prompt,
                                              const config::prompt_settings& invalid,
                                              const config::prompt_settings& no_input) {
  // By address: the set finds a prompt's compiled text by where it lives, never a copy.
  const auto& apology = last == failure::invalid    ? invalid
                        : last == failure::no_input ? no_input
                                                    : no_prompt;
  if (co_await play(apology, true) == prompt_end::gone) co_return false;
  const auto end = co_await play(prompt, true);
  co_return end != prompt_end::gone;
}

asio::awaitable<node_outcome> flow_session::impl::menu(const config::menu_node& menu) {
  unsigned tries = 0;
  auto last = failure::none;
  while (true) {
    if (!co_await ask(last, menu.prompt, menu.invalid_prompt, menu.no_input_prompt)) {
      co_return node_outcome::leave();
    }
    char key = 0;
    const auto got = co_await next_key(menu.timeout, key);
    if (got == key_wait::gone) co_return node_outcome::leave();
    if (got == key_wait::key) {
      const std::string pressed(1, key);
      if (pressed == menu.repeat_key) {
        last = failure::none;  // heard again, without using a try
        continue;
      }
      for (const auto& [option, target] : menu.options) {
        if (option == pressed) {
          variables["last_key"] = value(pressed);
          step(flow_step::kind::key, pressed);
          co_return node_outcome::go(target);
        }
      }
      last = failure::invalid;
      step(flow_step::kind::invalid, pressed);
    } else {
      last = failure::no_input;
      step(flow_step::kind::no_input);
    }
    // Keys typed after a wrong one were aimed at the wrong menu: the caller hears it again.
    typed_ahead.clear();
    if (++tries >= menu.retries) {
      co_return node_outcome::go(last == failure::invalid ? menu.invalid : menu.no_input);
    }
  }
}

asio::awaitable<node_outcome> flow_session::impl::collect(const config::collect_node& collect) {
  unsigned tries = 0;
  auto last = failure::none;
  const char terminator = collect.terminator.empty() ? '\0' : collect.terminator.front();
  while (true) {
    if (!co_await ask(last, collect.prompt, collect.invalid_prompt, collect.no_input_prompt)) {
      co_return node_outcome::leave();
    }
    // With a terminator the input ends there (or at the timeout), and more than max_digits is
    // a wrong answer; a terminator that came after a full count would otherwise cut into
    // whatever plays next. Without one, the input ends at max_digits.
    std::string digits;
    bool terminated = false;
    auto wait = collect.timeout;
    while (terminator != '\0' || digits.size() < collect.max_digits) {
      char key = 0;
      const auto got = co_await next_key(wait, key);
      if (got == key_wait::gone) co_return node_outcome::leave();
      if (got == key_wait::timeout) break;
      if (terminator != '\0' && key == terminator) {
        terminated = true;
        break;
      }
      if (digits.size() <= collect.max_digits) digits.push_back(key);
      wait = collect.digit_timeout;
    }
    // The count, never the digits: they may be a card or an account number.
    const auto count = std::to_string(digits.size()) + " digits";
    if (digits.empty() && !terminated) {
      last = failure::no_input;
      step(flow_step::kind::no_input);
    } else if (digits.size() < collect.min_digits || digits.size() > collect.max_digits) {
      last = failure::invalid;
      step(flow_step::kind::invalid, count);
    } else {
      auto previous = variables[collect.variable];
      variables[collect.variable] = value(digits);
      if (collect.valid_if.empty() || evaluate(collect.valid_if).truthy()) {
        step(flow_step::kind::key, count);
        co_return node_outcome::go(collect.next);
      }
      variables[collect.variable] = std::move(previous);
      last = failure::invalid;
      step(flow_step::kind::invalid, count);
    }
    typed_ahead.clear();
    if (++tries >= collect.retries) {
      co_return node_outcome::go(last == failure::invalid ? collect.invalid : collect.no_input);
    }
  }
}

}  // namespace callcenterd::ivr
