// The anchored media session: SDP offer/answer with each leg on our own ports, turned into
// leg configurations of the call's call_media; hold, ringback and the recording tap.
#include "callcenterd/call/anchored_media.hpp"

#include <spdlog/spdlog.h>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/steady_timer.hpp>

#include "callcenterd/media/dtmf.hpp"
#include "callcenterd/media/dtmf_info.hpp"
#include "callcenterd/media/prompt.hpp"
#include "callcenterd/recording/stereo_timeline.hpp"

namespace callcenterd::call {

namespace {

namespace sdp = sip::sdp;
using media::call_media;

media::leg_config to_leg_config(const sdp::negotiated_media& negotiated) {
  media::leg_config config;
  if (!negotiated.remote_address.is_unspecified() && negotiated.remote_port != 0) {
    config.remote.emplace(negotiated.remote_address, negotiated.remote_port);
  }
  config.format.law = boost::iequals(negotiated.codec.encoding, "PCMA") ? media::g711_law::alaw
                                                                        : media::g711_law::ulaw;
  config.format.telephone_event = negotiated.telephone_event_payload_type;
  config.ptime_ms = negotiated.ptime;
  config.sends = negotiated.sends();
  config.receives = negotiated.receives();
  return config;
}

// What the whole factory shares with its sessions.
struct shared_state {
  media::media_engine& engine;
  anchored_media_settings settings;
  recording::recording_writer* recorder;
  std::function<void(recording_entry)> on_recorded;
};

// The SDP state of one leg.
struct leg_sdp {
  std::optional<sdp::session> our_last;   // our last offer or answer on this leg
  std::optional<sdp::session> our_offer;  // our offer it has not answered yet
  std::optional<sdp::session> their_offer;
  std::string their_offer_text;           // to tell the same offer, sent again, from a new one
  std::optional<std::string> our_answer;  // our answer to their_offer, once made
  bool confirmed = false;                 // it answered us or we answered it
};

class anchored_session final : public media_session, media::call_media_listener, media::audio_tap {
 public:
  anchored_session(std::shared_ptr<shared_state> shared, const media_factory::strand_type& strand,
                   media_call_info info)
      : shared_(std::move(shared)),
        info_(std::move(info)),
        media_(call_media::create(strand, shared_->engine)),
        drain_timer_(strand) {
    media_->set_listener(this);
  }
  ~anchored_session() override { close(); }
  anchored_session(const anchored_session&) = delete;
  anchored_session& operator=(const anchored_session&) = delete;

  boost::system::result<std::string> answer_locally(leg_side side,
                                                    std::string_view offer) override {
    const auto port = media_->open_leg(index(side));
    if (!port) return port.error();
    auto& leg = sdp_[index(side)];
    if (offer.empty()) return offer_to(side);
    auto parsed = sdp::parse_sdp(offer);
    if (!parsed) return parsed.error();
    leg.their_offer = std::move(*parsed);
    leg.their_offer_text = std::string(offer);
    leg.our_answer.reset();
    return answer_their_offer(side);
  }

  boost::system::result<std::string> relay_offer(leg_side from, std::string_view offer) override {
    const auto to = other(from);
    if (auto port = media_->open_leg(index(from)); !port) return port.error();
    if (auto port = media_->open_leg(index(to)); !port) return port.error();
    auto& leg = sdp_[index(from)];
    if (offer.empty()) {
      leg.their_offer.reset();
      leg.their_offer_text.clear();
    } else if (offer != leg.their_offer_text) {
      auto parsed = sdp::parse_sdp(offer);
      if (!parsed) return parsed.error();
      leg.their_offer = std::move(*parsed);
      leg.their_offer_text = std::string(offer);
      leg.our_answer.reset();
    }
    // A leg that answered us before gets the next version of our session; a new one (the
    // first callee, a redirect's target) a new session on the same port.
    auto ours = offer_to(to);
    // A caller we answered ourselves hears ringback while the other side rings.
    const auto waiting = index(from);
    if (ours && leg.confirmed && !media_->partner(waiting) && !media_->playing(waiting) &&
        shared_->settings.ringback) {
      media_->play(waiting, shared_->settings.ringback, true, false);
    }
    return ours;
  }

  boost::system::result<std::string> relay_answer(leg_side from, std::string_view answer) override {
    const auto to = other(from);
    if (auto applied = take_answer(to, answer); !applied) return applied.error();
    auto& leg = sdp_[index(from)];
    boost::system::result<std::string> result = std::string();
    if (leg.their_offer) {
      result = answer_their_offer(from);
    } else if (!leg.confirmed || leg.our_offer) {
      result = offer_to(from);  // it sent no offer: ours goes in the 2xx, its answer in the ACK
    }
    bridge_if_ready();
    return result;
  }

  void accept_answer(leg_side side, std::string_view answer) override {
    if (!sdp_[index(side)].our_offer) return;
    if (auto applied = take_answer(side, answer); !applied) {
      spdlog::warn("call {}: the answer in the ACK is unusable: {}", info_.sip_call_id,
                   applied.error().message());
      return;
    }
    bridge_if_ready();
  }

  void set_party(leg_side side, std::string_view who) override {
    parties_[index(side)] = std::string(who);
  }

  void set_listener(media_session_listener* listener) override { listener_ = listener; }

  void swap_sides() override { std::swap(index_of_[0], index_of_[1]); }

  bool play(leg_side side, const std::shared_ptr<const media::prompt>& audio, bool loop,
            bool stop_on_key) override {
    const auto leg = index(side);
    if (closed_ || !audio || !media_->configured(leg)) return false;
    media_->detect_inband_dtmf(leg, stop_on_key);
    media_->play(leg, audio, loop, stop_on_key);
    return true;
  }

  void stop_playing(leg_side side) override { media_->stop_playing(index(side)); }

  [[nodiscard]] std::shared_ptr<const media::prompt> hold_music() const override {
    return info_.hold_music;
  }

  bool on_info(leg_side side, std::string_view content_type, std::string_view body) override {
    const auto key = media::parse_dtmf_info(content_type, body);
    if (!key) return false;
    media_->on_info_dtmf(index(side), key->key);
    return true;
  }

  void set_recorded(bool record) override { info_.record = record; }

  bool pause_recording() override {
    if (!timeline_ || !file_) return false;
    timeline_->pause(std::chrono::steady_clock::now());
    return true;
  }

  bool resume_recording() override {
    if (!timeline_ || !file_) return false;
    timeline_->resume(std::chrono::steady_clock::now());
    return true;
  }

  bool hold_other(leg_side holder, bool on) override {
    if (closed_) return false;
    requested_hold_[index(holder)] = on;
    apply_hold();
    return true;
  }

  bool send_dtmf(leg_side side, char key) override {
    const auto event = media::dtmf_key_from_char(key);
    return !closed_ && event && media_->send_dtmf(index(side), *event);
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    drain_timer_.cancel();
    finish_recording();
    media_->close();
    listener_ = nullptr;
  }

 private:
  // The media leg of each side. Media legs keep their ports, SDP state and recording channel
  // for the call's life; a transfer that makes the callee the caller swaps the sides.
  std::size_t index(leg_side side) const { return index_of_[side == leg_side::caller ? 0 : 1]; }
  leg_side side_of(std::size_t leg) const {
    return index_of_[0] == leg ? leg_side::caller : leg_side::callee;
  }

  // Our offer to `side`: the next version of our session once it answered one, else new.
  boost::system::result<std::string> offer_to(leg_side side) {
    auto& leg = sdp_[index(side)];
    const auto port = media_->open_leg(index(side));
    if (!port) return port.error();
    auto offer = leg.confirmed && leg.our_last
                     ? sdp::make_reoffer(*leg.our_last, sdp::media_direction::sendrecv)
                     : sdp::make_offer(shared_->settings.capabilities, *port);
    leg.our_offer = offer;
    leg.our_last = offer;
    return sdp::to_string(offer);
  }

  // The answer from `side` to our offer: configures its leg.
  boost::system::result<void> take_answer(leg_side side, std::string_view answer) {
    auto& leg = sdp_[index(side)];
    if (!leg.our_offer) return sdp::make_error_code(sdp::sdp_errc::answer_mismatch);
    auto parsed = sdp::parse_sdp(answer);
    if (!parsed) return parsed.error();
    auto negotiated = sdp::apply_answer(*leg.our_offer, *parsed);
    if (!negotiated) return negotiated.error();
    configure(side, negotiated->front());
    leg.confirmed = true;
    return {};
  }

  // Our answer to the offer `side` made; the same text again for the same offer (a 183 and
  // then the 2xx carry one answer).
  boost::system::result<std::string> answer_their_offer(leg_side side) {
    auto& leg = sdp_[index(side)];
    if (leg.our_answer) return *leg.our_answer;
    const auto port = media_->open_leg(index(side));
    if (!port) return port.error();
    const std::array<std::uint16_t, 1> ports{*port};
    sdp::answer_options options;
    if (leg.our_last) options.previous_origin = leg.our_last->orig;
    auto answer =
        sdp::answer_offer(*leg.their_offer, shared_->settings.capabilities, ports, options);
    if (!answer) return answer.error();
    configure(side, answer->media.front());
    leg.our_last = answer->answer;
    leg.our_offer.reset();
    leg.confirmed = true;
    leg.our_answer = sdp::to_string(answer->answer);
    return *leg.our_answer;
  }

  void configure(leg_side side, const sdp::negotiated_media& negotiated) {
    const auto config = to_leg_config(negotiated);
    media_->configure_leg(index(side), config);
    // A leg that will not hear us put the call on hold: the other side hears music.
    holding_[index(side)] = !config.sends;
    apply_hold();
  }

  void bridge_if_ready() {
    if (closed_ || !media_->configured(0) || !media_->configured(1)) return;
    if (media_->partner(0) == std::size_t{1}) return;
    for (std::size_t leg = 0; leg < 2; ++leg) {
      if (media_->playing(leg)) media_->stop_playing(leg);
    }
    media_->connect(0, 1);
    apply_hold();
    start_recording();
  }

  void apply_hold() {
    if (media_->partner(0) != std::size_t{1}) return;
    for (std::size_t leg = 0; leg < 2; ++leg) {
      const auto held = 1 - leg;  // the party left alone while `leg` holds
      const bool holds = holding_[leg] || requested_hold_[leg];
      // A hold we were asked for must not let the held party hear the holder: without music,
      // silence.
      auto music = info_.hold_music;
      if (!music && requested_hold_[leg]) music = silence();
      if (holds && !music_[held] && music) {
        music_[held] = true;
        media_->play(held, music, true, false);
      } else if (!holds && music_[held]) {
        music_[held] = false;
        media_->stop_playing(held);
      }
    }
    // Whoever asked for a hold hears nothing of the party they hold (unless held themself).
    for (std::size_t leg = 0; leg < 2; ++leg) {
      const bool wanted = requested_hold_[leg] && !music_[leg];
      if (wanted && !silenced_[leg]) {
        silenced_[leg] = true;
        media_->play(leg, silence(), true, false);
      } else if (!wanted && silenced_[leg]) {
        silenced_[leg] = false;
        if (!music_[leg]) media_->stop_playing(leg);
      }
    }
  }

  /// 20 ms of silence, looped where a party must hear nothing.
  static std::shared_ptr<const media::prompt> silence() {
    static const auto quiet = media::prompt::from_samples(std::vector<std::int16_t>(160, 0));
    return quiet;
  }

  // media::call_media_listener
  void on_dtmf(std::size_t leg, media::dtmf_key key, media::dtmf_source /*source*/) override {
    if (listener_ != nullptr) listener_->on_dtmf(side_of(leg), media::to_char(key));
  }

  void on_playback_done(std::size_t leg, bool interrupted) override {
    if (music_[leg] || silenced_[leg]) return;  // these stop only when the hold ends
    if (listener_ != nullptr) listener_->on_playback_done(side_of(leg), interrupted);
  }

  // media::audio_tap: the caller on the left, whoever answered on the right.
  void on_audio(std::size_t leg, std::span<const std::int16_t> samples,
                std::chrono::steady_clock::time_point arrival) override {
    if (!timeline_ || leg > 1) return;
    timeline_->push(leg == 0 ? recording::channel::caller : recording::channel::agent, samples,
                    arrival);
  }

  void start_recording() {
    if (!info_.record || shared_->recorder == nullptr || file_) return;
    timeline_.emplace(std::chrono::steady_clock::now());
    file_ = shared_->recorder->open(info_.call_uuid, std::chrono::system_clock::now());
    media_->set_tap(this);
    arm_drain();
  }

  void arm_drain() {
    drain_timer_.expires_after(shared_->settings.recording_block);
    // The session dies with its call, possibly while a wait completes: the token tells.
    drain_timer_.async_wait(
        [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
          if (ec || alive.expired() || closed_ || !timeline_) return;
          std::vector<std::int16_t> block;
          timeline_->drain(std::chrono::steady_clock::now(), block);
          if (!block.empty()) file_->write(std::move(block));
          arm_drain();
        });
  }

  void finish_recording() {
    if (!timeline_ || !file_) return;
    media_->set_tap(nullptr);
    std::vector<std::int16_t> block;
    timeline_->finish(std::chrono::steady_clock::now(), block);
    if (!block.empty()) file_->write(std::move(block));
    recording_entry entry;
    entry.sip_call_id = info_.sip_call_id;
    entry.caller = parties_[0];
    entry.agent = parties_[1];
    for (const auto& pause : timeline_->pauses()) {
      entry.pauses.emplace_back(pause.offset, pause.length);
    }
    entry.quality = {media_->quality(0), media_->quality(1)};
    file_->close([entry = std::move(entry),
                  shared = shared_](const recording::recording_result& result) mutable {
      entry.result = result;
      if (shared->on_recorded) shared->on_recorded(std::move(entry));
    });
    file_.reset();
    timeline_.reset();
  }

  std::shared_ptr<shared_state> shared_;
  media_call_info info_;
  std::shared_ptr<call_media> media_;
  std::array<std::size_t, 2> index_of_{0, 1};
  std::array<leg_sdp, 2> sdp_;  // by media leg, as the arrays below
  std::array<bool, 2> holding_{};
  std::array<bool, 2> requested_hold_{};  // hold_other(): the leg holds the other
  std::array<bool, 2> music_{};           // the leg hears hold music
  std::array<bool, 2> silenced_{};        // the leg holds the other and hears silence
  std::array<std::string, 2> parties_;
  media_session_listener* listener_ = nullptr;
  bool closed_ = false;

  std::optional<recording::stereo_timeline> timeline_;
  std::shared_ptr<recording::recording_file> file_;
  boost::asio::steady_timer drain_timer_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

class anchored_factory final : public media_factory {
 public:
  explicit anchored_factory(std::shared_ptr<shared_state> shared) : shared_(std::move(shared)) {}
  std::unique_ptr<media_session> create(strand_type strand, const media_call_info& info) override {
    auto session_info = info;
    if (!session_info.hold_music) session_info.hold_music = shared_->settings.hold_music;
    return std::make_unique<anchored_session>(shared_, strand, std::move(session_info));
  }

 private:
  std::shared_ptr<shared_state> shared_;
};

}  // namespace

std::unique_ptr<media_factory> make_anchored_media_factory(
    media::media_engine& engine, anchored_media_settings settings,
    recording::recording_writer* recorder, std::function<void(recording_entry)> on_recorded) {
  settings.capabilities.rtcp_mux = false;
  auto shared = std::make_shared<shared_state>(
      shared_state{engine, std::move(settings), recorder, std::move(on_recorded)});
  return std::make_unique<anchored_factory>(std::move(shared));
}

}  // namespace callcenterd::call
