// Playing a prompt: its pieces worked out (text rendered, numbers put into words), speech
// asked for all at once so the second sentence is ready when the first ends, then each piece
// played in turn.

#include <spdlog/spdlog.h>

#include "callcenterd/media/spoken_text.hpp"
#include "flow_runtime.hpp"

namespace callcenterd::ivr {

namespace asio = boost::asio;
using config::flow_settings;
using config::prompt_item;

namespace {

/// One piece ready to play, or waiting for its speech (token).
struct piece {
  std::shared_ptr<const media::prompt> audio;
  std::uint64_t token = 0;
};

media::speech_language language_of(const prompt_item& item, const flow_settings& flow) {
  const auto& name = item.language.empty() ? flow.language : item.language;
  return media::parse_speech_language(name).value_or(media::speech_language::english);
}

}  // namespace

asio::awaitable<prompt_end> flow_session::impl::play(const config::prompt_settings& prompt,
                                                     bool interruptible) {
  if (channel == nullptr) co_return prompt_end::gone;
  // A caller who already typed the answer does not hear the question again.
  if (interruptible && !typed_ahead.empty()) co_return prompt_end::interrupted;
  if (!interruptible) typed_ahead.clear();
  std::vector<piece> pieces;
  for (const auto& item : prompt) {
    if (item.what == prompt_item::kind::file) {
      pieces.push_back({settings.flows->audio(item.value), 0});
      continue;
    }
    const auto language = language_of(item, *current_flow);
    std::string words;
    if (item.what == prompt_item::kind::say) {
      auto text = render(item.value);
      if (!text) continue;
      words = std::move(*text);
    } else {
      const auto v = evaluate(item.value);
      if (v.is_null()) continue;
      if (item.what == prompt_item::kind::digits) {
        words = media::spoken_digits(v.to_text(), language);
      } else if (!v.is_integer()) {
        step(flow_step::kind::failed,
             item.value.key_path + ": wants an integer, not " + std::string(v.type_name()));
        continue;
      } else if (item.what == prompt_item::kind::number) {
        words = media::spoken_number(v.as_integer(), language);
      } else {
        words = media::spoken_duration(std::chrono::seconds(v.as_integer()), language);
      }
    }
    if (words.empty()) continue;
    const auto token = next_token++;
    pieces.push_back({nullptr, token});
    speech.emplace(token, std::nullopt);
    channel->speak(token, std::move(words), language);
  }

  listening = interruptible;
  interrupted = false;
  auto end = prompt_end::played;
  for (auto& p : pieces) {
    if (p.token != 0) {
      // Keys may come while the speech is still being rendered.
      const bool present = co_await wait_until([&] {
        return speech.at(p.token).has_value() || (interruptible && !typed_ahead.empty());
      });
      if (!present) {
        end = prompt_end::gone;
        break;
      }
      if (interruptible && !typed_ahead.empty()) {
        end = prompt_end::interrupted;
        break;
      }
      p.audio = std::move(*speech.at(p.token));
      speech.erase(p.token);
    }
    // The caller is still here (every wait above says so). Failed speech: the rest plays.
    if (!p.audio) continue;
    if (!channel->play(p.audio, interruptible)) continue;
    playing = true;
    if (!co_await wait_until([&] { return !playing || (interruptible && !typed_ahead.empty()); })) {
      end = prompt_end::gone;
      break;
    }
    if (playing) {
      // A key the media did not stop for (it stops for the keys it hears itself).
      channel->stop_playing();
      if (!co_await wait_until([this] { return !playing; })) {
        end = prompt_end::gone;
        break;
      }
    }
    if (interruptible && (interrupted || !typed_ahead.empty())) {
      end = prompt_end::interrupted;
      break;
    }
  }
  // Speech still being rendered for pieces never reached is dropped when it comes.
  for (const auto& p : pieces) {
    if (p.token != 0) speech.erase(p.token);
  }
  listening = true;
  co_return end;
}

}  // namespace callcenterd::ivr
