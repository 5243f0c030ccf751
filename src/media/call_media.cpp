#include "callcenterd/media/call_media.hpp"

#include <boost/asio/error.hpp>
#include <deque>
#include <random>

#include "callcenterd/media/dtmf_detector.hpp"
#include "callcenterd/media/g711.hpp"
#include "callcenterd/media/outgoing_stream.hpp"
#include "callcenterd/media/telephone_event.hpp"

namespace callcenterd::media {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Generated audio goes out in 20 ms frames whatever ptime a leg asked for: a=ptime is a
// preference (RFC 4566 §6), and every G.711 receiver takes 20 ms.
constexpr auto frame_period = 20ms;
constexpr std::size_t frame_samples = 160;
// The same key from another path (INFO after RFC 4733, a tone the events also carried) within
// this time is the same press, reported once.
constexpr auto same_press_window = 300ms;
// How long a key we send lasts before its end packets: 100 ms, in RTP timestamp units.
constexpr std::uint32_t sent_key_duration = 800;

std::uint32_t random_32() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return static_cast<std::uint32_t>(generator());
}

}  // namespace

media_engine::media_engine(const media_engine_settings& settings)
    : settings_(settings), ports_(settings.first_port, settings.last_port) {}

struct call_media::leg_state final : rtp_endpoint_listener,
                                     telephone_event_listener,
                                     dtmf_detector_listener {
  leg_state(call_media& owner, std::size_t which)
      : owner_(owner),
        index(which),
        out(random_32(), static_cast<std::uint16_t>(random_32()), random_32()),
        events(*this) {}

  void on_rtp(const rtp_header& packet, time_point arrival) override {
    owner_.on_rtp(*this, packet, arrival);
  }
  void on_key_pressed(dtmf_key key, std::uint32_t /*rtp_timestamp*/) override {
    owner_.on_key(*this, key, dtmf_source::rfc4733);
  }
  void on_dtmf(dtmf_key key) override { owner_.on_key(*this, key, dtmf_source::inband); }

  call_media& owner_;
  std::size_t index;
  std::shared_ptr<rtp_endpoint> endpoint;
  leg_config config;
  bool configured = false;
  outgoing_stream out;
  std::optional<std::size_t> partner;
  // What the partner sends, made fit for this leg.
  std::optional<payload_relay> relay_in;

  std::optional<prompt_player> player;
  bool stop_on_key = false;

  telephone_event_receiver events;
  std::uint32_t events_ssrc = 0;
  bool saw_events = false;  // the peer sends RFC 4733: its tones in the audio are not keys
  std::optional<dtmf_detector> inband;
  std::optional<dtmf_key> last_key;
  dtmf_source last_source = dtmf_source::rfc4733;
  time_point last_key_at{};
  // Keys we send this leg as RFC 4733 events: the one going out, and those waiting.
  std::optional<telephone_event_sender> key_out;
  std::deque<dtmf_key> keys_waiting;

  std::uint64_t relayed = 0;
  std::uint64_t generated = 0;
};

std::shared_ptr<call_media> call_media::create(strand_type strand, media_engine& engine) {
  return std::shared_ptr<call_media>(new call_media(std::move(strand), engine));
}

call_media::call_media(strand_type strand, media_engine& engine)
    : strand_(std::move(strand)), engine_(engine), clock_timer_(strand_) {}

call_media::~call_media() {
  // Normally close() ran on the strand; ports must go back in any case, which each
  // endpoint's destructor sees to.
}

call_media::leg_state& call_media::at(std::size_t leg) {
  auto& slot = legs_.at(leg);
  if (!slot) slot = std::make_unique<leg_state>(*this, leg);
  return *slot;
}

const call_media::leg_state* call_media::find(std::size_t leg) const {
  return leg < legs_.size() ? legs_[leg].get() : nullptr;
}

call_media::leg_state* call_media::find(std::size_t leg) {
  return leg < legs_.size() ? legs_[leg].get() : nullptr;
}

boost::system::result<std::uint16_t> call_media::open_leg(std::size_t leg) {
  if (closed_) return boost::system::error_code(asio::error::operation_aborted);
  auto& state = at(leg);
  if (state.endpoint) return state.endpoint->port();
  boost::system::error_code ec;
  const auto& settings = engine_.settings();
  state.endpoint =
      rtp_endpoint::open(strand_, settings.address, engine_.ports(), settings.endpoint, ec);
  if (!state.endpoint) {
    engine_.counters().legs_refused.fetch_add(1, std::memory_order_relaxed);
    return ec;
  }
  engine_.counters().legs_opened.fetch_add(1, std::memory_order_relaxed);
  state.endpoint->start(state);
  return state.endpoint->port();
}

void call_media::configure_leg(std::size_t leg, const leg_config& config) {
  auto& state = at(leg);
  if (!state.endpoint) return;
  const bool moved = state.configured && config.remote != state.config.remote;
  state.config = config;
  state.configured = true;
  if (config.remote) state.endpoint->set_remote(*config.remote);
  if (moved) state.endpoint->unlatch();
  rebuild_relays();
}

bool call_media::configured(std::size_t leg) const {
  const auto* state = find(leg);
  return state != nullptr && state->configured;
}

void call_media::connect(std::size_t a, std::size_t b) {
  if (a == b) return;
  leave_mix(a);
  leave_mix(b);
  disconnect(a);
  disconnect(b);
  at(a).partner = b;
  at(b).partner = a;
  rebuild_relays();
}

bool call_media::join_mix(std::size_t leg, party_role role, std::optional<std::size_t> whisper_to) {
  if (closed_ || !configured(leg)) return false;
  if (!mixer_) mixer_ = std::make_unique<audio_mixer>();
  // The mixer judges the role (a whisper needs another party in the mix); a leg that was not
  // in the mix and cannot take the role leaves it as it came.
  const bool joined = mixer_->add(leg);
  if (!mixer_->set_role(leg, role, whisper_to)) {
    if (joined) mixer_->remove(leg);
    return false;
  }
  disconnect(leg);
  arm_clock();
  return true;
}

void call_media::leave_mix(std::size_t leg) {
  if (mixer_) mixer_->remove(leg);
}

bool call_media::mixing(std::size_t leg) const { return mixer_ && mixer_->present(leg); }

bool call_media::any_mixing() const {
  for (std::size_t leg = 0; leg < max_legs; ++leg) {
    if (mixing(leg)) return true;
  }
  return false;
}

void call_media::send_mix(std::chrono::steady_clock::time_point now) {
  mixer_->mix(frame_samples);
  for (auto& slot : legs_) {
    if (!slot || !mixer_->present(slot->index) || slot->player || !slot->endpoint ||
        !slot->config.sends) {
      continue;
    }
    const auto law = slot->config.format.law;
    const auto header = slot->out.generated(payload_type(law), frame_samples, now);
    slot->endpoint->send(header, mixer_->encoded(slot->index, law));
    ++slot->generated;
  }
}

void call_media::disconnect(std::size_t leg) {
  auto* state = find(leg);
  if (state == nullptr || !state->partner) return;
  auto& other = at(*state->partner);
  other.partner.reset();
  other.relay_in.reset();
  state->partner.reset();
  state->relay_in.reset();
}

std::optional<std::size_t> call_media::partner(std::size_t leg) const {
  const auto* state = find(leg);
  return state != nullptr ? state->partner : std::nullopt;
}

void call_media::rebuild_relays() {
  for (auto& slot : legs_) {
    if (!slot) continue;
    slot->relay_in.reset();
    if (!slot->partner || !slot->configured) continue;
    const auto& from = at(*slot->partner);
    if (from.configured) slot->relay_in.emplace(from.config.format, slot->config.format, slot->out);
  }
}

void call_media::on_rtp(leg_state& from, const rtp_header& packet, time_point arrival) {
  if (closed_ || !from.configured) return;
  const auto& format = from.config.format;
  if (format.telephone_event && packet.payload_type == *format.telephone_event) {
    if (!from.saw_events || packet.ssrc != from.events_ssrc) from.events.reset();
    from.saw_events = true;
    from.events_ssrc = packet.ssrc;
    from.events.on_packet(packet.timestamp, packet.marker, packet.payload);
  } else if (packet.payload_type == payload_type(format.law)) {
    const bool mixed = mixing(from.index);
    if ((tap_ != nullptr || from.inband || mixed) && packet.payload.size() <= decoded_.size()) {
      const auto samples = std::span(decoded_).first(packet.payload.size());
      decode(format.law, packet.payload, samples);
      if (tap_ != nullptr) tap_->on_audio(from.index, samples, arrival);
      if (from.inband && !from.saw_events) from.inband->feed(samples);
      if (mixed) mixer_->push(from.index, samples);
    }
  } else {
    return;  // nothing anyone agreed on
  }
  if (!from.partner) return;
  auto& to = at(*from.partner);
  if (!to.relay_in || to.player || !to.config.sends || !to.endpoint) return;
  if (auto out = to.relay_in->relay(packet, arrival)) {
    to.endpoint->send(out->header, out->payload);
    ++to.relayed;
  }
}

void call_media::on_key(leg_state& from, dtmf_key key, dtmf_source source) {
  const auto now = std::chrono::steady_clock::now();
  // Each path reports a press once already (RFC 4733 by timestamp, tones by key down, INFO
  // by request): only the same key by another path so soon after is the same press again.
  if (from.last_key == key && from.last_source != source &&
      now - from.last_key_at < same_press_window) {
    return;
  }
  from.last_key = key;
  from.last_source = source;
  from.last_key_at = now;
  engine_.counters()
      .keys.at(static_cast<std::size_t>(source))
      .fetch_add(1, std::memory_order_relaxed);
  if (from.player && from.stop_on_key) end_playback(from, true);
  if (listener_ != nullptr) listener_->on_dtmf(from.index, key, source);
}

void call_media::on_info_dtmf(std::size_t leg, dtmf_key key) {
  if (closed_) return;
  auto& from = at(leg);
  on_key(from, key, dtmf_source::info);
  // Tones and RFC 4733 events cross the bridge with the audio; an INFO would stop here.
  if (from.partner) send_dtmf(*from.partner, key);
}

bool call_media::send_dtmf(std::size_t leg, dtmf_key key) {
  auto* state = find(leg);
  if (closed_ || state == nullptr || !state->configured || !state->config.format.telephone_event ||
      !state->config.sends || !state->endpoint) {
    return false;
  }
  state->keys_waiting.push_back(key);
  arm_clock();
  return true;
}

void call_media::send_event_packet(leg_state& leg, std::chrono::steady_clock::time_point now) {
  if (!leg.key_out) {
    if (leg.keys_waiting.empty()) return;
    leg.key_out.emplace(leg.keys_waiting.front(), leg.out.event_timestamp(now), sent_key_duration);
    leg.keys_waiting.pop_front();
  }
  std::array<std::uint8_t, telephone_event_size> payload{};
  const auto packet = leg.key_out->next(payload);
  if (packet && leg.config.format.telephone_event) {
    leg.endpoint->send(
        leg.out.event(*leg.config.format.telephone_event, packet->marker, packet->rtp_timestamp),
        payload);
  }
  if (!packet || packet->last) leg.key_out.reset();
}

void call_media::detect_inband_dtmf(std::size_t leg, bool on) {
  auto& state = at(leg);
  if (on && !state.inband) state.inband.emplace(state);
  if (!on) state.inband.reset();
}

void call_media::play(std::size_t leg, std::shared_ptr<const prompt> audio, bool loop,
                      bool stop_on_key) {
  if (closed_ || !audio) return;
  auto& state = at(leg);
  if (state.player) end_playback(state, true);
  state.player.emplace(std::move(audio), state.config.format.law, loop);
  state.stop_on_key = stop_on_key;
  arm_clock();
}

void call_media::stop_playing(std::size_t leg) {
  auto* state = find(leg);
  if (state != nullptr && state->player) end_playback(*state, true);
}

bool call_media::playing(std::size_t leg) const {
  const auto* state = find(leg);
  return state != nullptr && state->player.has_value();
}

void call_media::end_playback(leg_state& leg, bool interrupted) {
  leg.player.reset();
  if (listener_ != nullptr) listener_->on_playback_done(leg.index, interrupted);
}

void call_media::arm_clock() {
  if (clock_) return;
  clock_.emplace(std::chrono::steady_clock::now(), frame_period);
  wait_clock();
}

void call_media::wait_clock() {
  clock_timer_.expires_at(clock_->next_deadline());
  clock_timer_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_clock(ec); });
}

void call_media::on_clock(const boost::system::error_code& ec) {
  if (ec || closed_ || !clock_) return;
  const auto skipped_before = clock_->skipped();
  for (auto frames = clock_->due(std::chrono::steady_clock::now()); frames > 0; --frames) {
    on_tick();
  }
  engine_.counters().frames_skipped.fetch_add(clock_->skipped() - skipped_before,
                                              std::memory_order_relaxed);
  bool any = any_mixing();
  for (const auto& leg : legs_) {
    any = any || (leg && (leg->player || leg->key_out || !leg->keys_waiting.empty()));
  }
  if (!any) {
    clock_.reset();  // the next play() starts a new grid
    return;
  }
  wait_clock();
}

void call_media::on_tick() {
  const auto now = std::chrono::steady_clock::now();
  if (any_mixing()) send_mix(now);
  for (auto& slot : legs_) {
    if (slot && slot->endpoint && (slot->key_out || !slot->keys_waiting.empty())) {
      send_event_packet(*slot, now);
    }
    if (!slot || !slot->player) continue;
    auto& leg = *slot;
    auto frame = leg.player->next_frame(frame_samples);
    if (!frame) {
      end_playback(leg, false);
      continue;
    }
    if (!leg.endpoint || !leg.config.sends) continue;
    const auto header = leg.out.generated(payload_type(leg.config.format.law), frame_samples, now);
    leg.endpoint->send(header, *frame);
    ++leg.generated;
  }
}

leg_quality call_media::quality(std::size_t leg) const {
  const auto* state = find(leg);
  if (state == nullptr || !state->endpoint) return {};
  return state->endpoint->quality();
}

std::uint64_t call_media::received(std::size_t leg) const {
  const auto* state = find(leg);
  if (state == nullptr || !state->endpoint) return 0;
  return static_cast<std::uint64_t>(state->endpoint->statistics().received());
}

std::uint64_t call_media::sent(std::size_t leg) const {
  const auto* state = find(leg);
  return state == nullptr || !state->endpoint ? 0 : state->endpoint->sent();
}

void call_media::close() {
  if (closed_) return;
  closed_ = true;
  clock_timer_.cancel();
  auto& counters = engine_.counters();
  for (auto& slot : legs_) {
    if (!slot) continue;
    counters.packets_relayed.fetch_add(slot->relayed, std::memory_order_relaxed);
    counters.packets_generated.fetch_add(slot->generated, std::memory_order_relaxed);
    slot->player.reset();
    if (slot->endpoint) slot->endpoint->close();
  }
  listener_ = nullptr;
  tap_ = nullptr;
}

}  // namespace callcenterd::media
