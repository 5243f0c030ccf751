#pragma once

// A call as a flow sees it, driven by the test: speech is "rendered" and prompts "play out"
// when the test says so (or at once, in auto mode), timers fire when the test fires them, and
// every request and step is kept for the test to read.

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "callcenterd/ivr/flow_channel.hpp"
#include "callcenterd/ivr/flow_session.hpp"

namespace callcenterd::ivr::test {

class fake_flow_channel : public flow_channel {
 public:
  struct spoken {
    std::uint64_t token;
    std::string text;
    media::speech_language language;
  };

  explicit fake_flow_channel(boost::asio::io_context& io) : io_(io) {}

  void attach(flow_session& session) { session_ = &session; }

  // flow_channel
  bool play(const std::shared_ptr<const media::prompt>& audio, bool interruptible) override {
    played.push_back(audio);
    play_interruptible.push_back(interruptible);
    playing = true;
    if (auto_play_out) {
      post([this, n = played.size()] {
        if (played.size() == n) finish_playing();  // not a later prompt's
      });
    }
    return true;
  }
  void stop_playing() override {
    if (playing) post([this] { end_playing(true); });
  }
  void speak(std::uint64_t token, std::string text, media::speech_language language) override {
    said.push_back({token, text, language});
    if (auto_render) {
      post([this, token] { session_->on_speech(token, sample_prompt()); });
    }
  }
  void start_timer(std::uint64_t token, std::chrono::milliseconds after) override {
    timer_token = token;
    timer_after = after;
  }
  void connect(const connect_target& target) override { connects.push_back(target); }
  void lookup(std::uint64_t token, const config::query_settings& query,
              std::vector<value> parameters) override {
    lookups.push_back({token, query.name, std::move(parameters)});
  }
  void hang_up(std::string_view reason) override { hangups.emplace_back(reason); }
  void record_step(const flow_step& step) override { steps.push_back(step); }

  // What the test does.
  void run() {
    io_.restart();
    io_.poll();
  }
  void finish_playing() {
    if (playing) end_playing(false);
  }
  /// A key pressed: stops an interruptible prompt, as the media does, then reaches the flow.
  void press(char key) {
    if (playing && play_interruptible.back()) end_playing(true);
    session_->on_key(key);
    run();
  }
  void press_keys(std::string_view keys) {
    for (const char k : keys) press(k);
  }
  /// The flow's timer runs out.
  void fire_timer() {
    session_->on_timer(timer_token);
    run();
  }
  /// The last lookup's answer comes back.
  void answer_lookup(lookup_result result) {
    session_->on_lookup(lookups.back().token, std::move(result));
    run();
  }
  void answer_connect(bool connected) {
    session_->on_connected(connected);
    run();
  }
  /// The texts spoken so far, in order.
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& s : said) out.push_back(s.text);
    return out;
  }
  /// The steps of a kind, as "node:detail" ("node" alone for entered steps).
  std::vector<std::string> steps_of(flow_step::kind kind) const {
    std::vector<std::string> out;
    for (const auto& s : steps) {
      if (s.what != kind) continue;
      const bool bare = s.detail.empty() || kind == flow_step::kind::entered;
      out.push_back(s.node + (bare ? "" : ":" + s.detail));
    }
    return out;
  }

  static std::shared_ptr<const media::prompt> sample_prompt() {
    static const auto prompt = media::prompt::from_samples(std::vector<std::int16_t>(160, 0));
    return prompt;
  }

  bool auto_render = true;
  bool auto_play_out = true;
  bool playing = false;
  std::vector<std::shared_ptr<const media::prompt>> played;
  std::vector<bool> play_interruptible;
  std::vector<spoken> said;
  std::uint64_t timer_token = 0;
  std::chrono::milliseconds timer_after{0};
  std::vector<connect_target> connects;
  struct lookup_request {
    std::uint64_t token;
    std::string query;
    std::vector<value> parameters;
  };
  std::vector<lookup_request> lookups;
  std::vector<std::string> hangups;
  std::vector<flow_step> steps;

 private:
  void end_playing(bool interrupted) {
    playing = false;
    session_->on_playback_done(interrupted);
  }
  template <class F>
  void post(F f) {
    boost::asio::post(io_, std::move(f));
  }

  boost::asio::io_context& io_;
  flow_session* session_ = nullptr;
};

}  // namespace callcenterd::ivr::test
