#include "media_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <stdexcept>

#include "callcenterd/media/tones.hpp"
#include "callcenterd/media/wav.hpp"
#include "sip_settings_mapping.hpp"
#include "time_text.hpp"

namespace callcenterd::app {

namespace {

namespace asio = boost::asio;

media::media_engine_settings to_engine_settings(const config::media_settings& media) {
  media::media_engine_settings out;
  out.address = asio::ip::make_address(media.address);
  out.first_port = media.rtp_port_min;
  out.last_port = media.rtp_port_max;
  out.endpoint.rtcp_interval = media.rtcp_interval;
  return out;
}

recording::recording_writer_settings to_writer_settings(const config::daemon_settings& settings) {
  recording::recording_writer_settings out;
  out.root = settings.paths.recordings;
  // Two seconds of audio: with a flush every second the buffer never fills, and a thousand
  // calls hold 64 MiB rather than 256.
  out.buffer_bytes = std::size_t{64} * 1024;
  out.flush_interval = settings.recording.flush_interval;
  out.sync_to_disk = settings.recording.sync_to_disk;
  return out;
}

// A prompt file's path: relative names live under paths.prompts.
std::filesystem::path prompt_path(const config::daemon_settings& settings,
                                  const std::filesystem::path& name) {
  return name.is_absolute() ? name : settings.paths.prompts / name;
}

std::shared_ptr<const media::prompt> blocking_load_prompt(const std::filesystem::path& path) {
  auto wav = media::blocking_read_wav(path);
  if (!wav) throw std::runtime_error(wav.reason);
  return media::prompt::from_samples(std::move(wav.samples));
}

nlohmann::json quality_json(const media::leg_quality& quality) {
  nlohmann::json out = {
      {"loss", quality.loss_fraction}, {"jitter_ms", quality.jitter_ms}, {"mos", quality.mos}};
  if (quality.round_trip_ms) out["round_trip_ms"] = *quality.round_trip_ms;
  return out;
}

store::event recording_event(const call::recording_entry& entry) {
  const auto& result = entry.result;
  nlohmann::json pauses = nlohmann::json::array();
  for (const auto& [offset, length] : entry.pauses) {
    pauses.push_back({{"offset_ms", offset.count()}, {"length_ms", length.count()}});
  }
  nlohmann::json payload = {
      {"call_uuid", result.call_uuid},
      {"sip_call_id", entry.sip_call_id},
      {"caller", entry.caller},
      {"agent", entry.agent},
      {"started_at", iso_utc(result.start)},
      {"duration_ms", result.duration.count()},
      {"size_bytes", result.size_bytes},
      {"path", result.path.string()},
      {"pauses", std::move(pauses)},
      {"quality",
       {{"caller", quality_json(entry.quality[0])}, {"agent", quality_json(entry.quality[1])}}},
  };
  if (!result.sha256.empty()) payload["sha256"] = result.sha256;
  if (result.failed) payload["failure"] = result.failure;
  return store::make_event(result.failed ? "recording.failed" : "recording.completed",
                           result.call_uuid, std::move(payload));
}

}  // namespace

media_service::media_service(const config::daemon_settings& settings, store::event_log& events,
                             core::metrics_registry& metrics)
    : settings_(settings),
      events_(events),
      engine_(to_engine_settings(settings.media)),
      recorder_(to_writer_settings(settings)) {
  // Greetings are said once here; flows say what they know only during a call.
  auto made = media::speech_synthesizer::create();
  if (!made) {
    throw std::runtime_error("text-to-speech is unavailable: " + made.error().message());
  }
  speech_ = std::move(*made);
  speech_service_ = std::make_unique<media::speech_service>(*speech_);
  ringback_ = media::make_ringback();
  for (const auto& did : settings_.dids) {
    auto greeting = load_greeting(did.greeting, did.greeting_language, did.greeting_prompt,
                                  "DID " + did.number);
    if (greeting) greetings_.emplace_back(did.number, greeting);
  }
  const auto& blocklist = settings_.blocklist;
  blocked_.greeting = load_greeting(blocklist.greeting, blocklist.greeting_language,
                                    blocklist.greeting_prompt, "blocklist");
  if (blocked_.greeting) {
    blocked_.what = call::call_target::kind::announcement;
    blocked_.record = false;
  } else {
    blocked_.what = call::call_target::kind::reject;
    blocked_.status = blocklist.status;
  }
  for (const auto& hold_class : settings_.media.hold_classes) {
    hold_classes_.emplace_back(hold_class.name,
                               blocking_load_prompt(prompt_path(settings_, hold_class.file)));
  }
  call::anchored_media_settings anchored;
  const auto& advertised = settings_.media.advertised_address.empty()
                               ? settings_.media.address
                               : settings_.media.advertised_address;
  anchored.capabilities.rtp_address = asio::ip::make_address(advertised);
  anchored.hold_music =
      settings_.media.hold_music.empty()
          ? media::make_hold_tune()
          : blocking_load_prompt(prompt_path(settings_, settings_.media.hold_music));
  anchored.ringback = ringback_;
  factory_ = call::make_anchored_media_factory(
      engine_, std::move(anchored), &recorder_, [this](const call::recording_entry& entry) {
        const auto& result = entry.result;
        if (result.failed) {
          spdlog::error("recording of call {} failed: {}", result.call_uuid, result.failure);
        } else {
          spdlog::info("call {} recorded: {} ({} ms, {} bytes)", result.call_uuid,
                       result.path.string(), result.duration.count(), result.size_bytes);
        }
        events_.append(recording_event(entry));
      });
  register_metrics(metrics);
}

media_service::~media_service() { stop(); }

std::shared_ptr<const media::prompt> media_service::load_greeting(
    const std::string& text, const std::string& language_name,
    const std::filesystem::path& recorded, const std::string& owner) {
  if (!recorded.empty()) {
    // A recorded prompt takes precedence over the text; it must be readable all the same.
    return blocking_load_prompt(prompt_path(settings_, recorded));
  }
  if (text.empty()) return nullptr;
  const auto language =
      media::parse_speech_language(language_name).value_or(media::speech_language::english);
  auto samples = speech_->blocking_render(text, language);
  if (!samples) {
    throw std::runtime_error(owner + ": cannot say the greeting: " + samples.error().message());
  }
  return media::prompt::from_samples(std::move(*samples));
}

namespace {

std::shared_ptr<const media::prompt> find_named(
    const std::vector<std::pair<std::string, std::shared_ptr<const media::prompt>>>& named,
    const std::string& name) {
  for (const auto& [key, prompt] : named) {
    if (key == name) return prompt;
  }
  return nullptr;
}

}  // namespace

std::vector<call::number_route> media_service::number_routes() const {
  const auto find = find_named;
  return to_number_routes(
      settings_.dids, settings_.recording.enabled,
      [&](const config::did_settings& did) { return find(greetings_, did.number); },
      [&](const config::did_settings& did) { return find(hold_classes_, did.hold_class); });
}

std::shared_ptr<const media::prompt> media_service::hold_class(const std::string& name) const {
  if (name.empty()) return nullptr;
  return find_named(hold_classes_, name);
}

void media_service::stop() {
  // Renders still queued end with "stopped"; the calls that asked are over by now.
  if (speech_service_) speech_service_->stop();
  recorder_.stop();
}

void media_service::register_metrics(core::metrics_registry& metrics) {
  auto& r = metrics_;
  const auto counter = [&](const char* name, const char* help, auto read) {
    r.push_back(metrics.callback_counter(name, help, {}, read));
  };
  const auto gauge = [&](const char* name, const char* help, auto read) {
    r.push_back(metrics.callback_gauge(name, help, {}, read));
  };
  auto& counters = engine_.counters();
  auto& ports = engine_.ports();
  const auto& stats = recorder_.stats();
  const auto load = [](const auto& atomic) {
    return static_cast<double>(atomic.load(std::memory_order_relaxed));
  };
  gauge("callcenterd_media_port_pairs_in_use", "RTP/RTCP port pairs held by call legs",
        [&ports] { return static_cast<double>(ports.in_use()); });
  gauge("callcenterd_media_port_pairs", "RTP/RTCP port pairs in media.rtp_port_min..max",
        [&ports] { return static_cast<double>(ports.capacity()); });
  counter("callcenterd_media_legs_opened_total", "Call legs given an RTP port pair",
          [&counters, load] { return load(counters.legs_opened); });
  counter("callcenterd_media_legs_refused_total",
          "Call legs refused because every RTP port pair was in use",
          [&counters, load] { return load(counters.legs_refused); });
  counter("callcenterd_media_packets_relayed_total",
          "RTP packets relayed between bridged legs, counted when each call ends",
          [&counters, load] { return load(counters.packets_relayed); });
  counter("callcenterd_media_packets_generated_total",
          "RTP packets of prompts, music and tones sent, counted when each call ends",
          [&counters, load] { return load(counters.packets_generated); });
  for (const auto& [source, index] : {std::pair{"rfc4733", 0}, {"info", 1}, {"inband", 2}}) {
    r.push_back(metrics.callback_counter(
        "callcenterd_media_dtmf_keys_total",
        "DTMF key presses reported to calls (once per press), by how they came",
        {{"source", source}}, [&counters, load, index = index] {
          return load(counters.keys.at(static_cast<std::size_t>(index)));
        }));
  }
  counter("callcenterd_media_frames_skipped_total",
          "Generated 20 ms frames skipped because the pacing clock woke up too late",
          [&counters, load] { return load(counters.frames_skipped); });
  gauge("callcenterd_recordings_active", "Recordings open now",
        [&stats] { return static_cast<double>(stats.active_recordings.load()); });
  counter("callcenterd_recordings_completed_total", "Recordings closed without failure",
          [&stats, load] { return load(stats.recordings_completed_total); });
  counter("callcenterd_recordings_failed_total",
          "Recordings that failed (disk full, unwritable, writer overloaded): an alarm",
          [&stats, load] { return load(stats.recordings_failed_total); });
  counter("callcenterd_recording_bytes_written_total", "Sample bytes written to recordings",
          [&stats, load] { return load(stats.bytes_written_total); });
  gauge("callcenterd_recording_queued_bytes", "Recording audio waiting for the writer thread",
        [&stats, load] { return load(stats.queued_bytes); });
}

}  // namespace callcenterd::app
