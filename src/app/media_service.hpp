#pragma once

#include <memory>
#include <string>
#include <vector>

#include "callcenterd/call/anchored_media.hpp"
#include "callcenterd/call/dial_plan.hpp"
#include "callcenterd/config/settings.hpp"
#include "callcenterd/core/metrics.hpp"
#include "callcenterd/media/call_media.hpp"
#include "callcenterd/media/speech.hpp"
#include "callcenterd/recording/recording_writer.hpp"
#include "callcenterd/store/event_log.hpp"

namespace callcenterd::app {

/// The media engine as the daemon runs it: the RTP port range, the prompts made at start
/// (greetings, music on hold, ringback), the recording writer and the anchored media factory
/// every call gets its session from. A finished recording becomes a "recording.completed" or
/// "recording.failed" event, which the database turns into the recording's index row.
/// Built and stopped on the main thread.
class media_service {
 public:
  /// Renders and loads what calls will play (greetings, music on hold, its classes). Throws
  /// std::runtime_error naming the file or DID and the reason when a prompt cannot be loaded or
  /// said: the daemon does not start with a greeting it cannot play.
  media_service(const config::daemon_settings& settings, store::event_log& events,
                core::metrics_registry& metrics);
  ~media_service();
  media_service(const media_service&) = delete;
  media_service& operator=(const media_service&) = delete;

  call::media_factory& factory() { return *factory_; }
  /// Says what flows only know during a call; any thread.
  media::speech_service& speech() { return *speech_service_; }
  /// What a caller on the blocklist gets: a refusal, or the blocklist's greeting.
  [[nodiscard]] const call::call_target& blocked_treatment() const { return blocked_; }
  /// What a caller hears while a phone rings for it.
  [[nodiscard]] std::shared_ptr<const media::prompt> ringback() const { return ringback_; }
  /// The music of hold class `name` (media.hold_classes); null for "" or an unknown name.
  [[nodiscard]] std::shared_ptr<const media::prompt> hold_class(const std::string& name) const;
  /// The DIDs' routes, each with its greeting, its music on hold and whether it is recorded.
  std::vector<call::number_route> number_routes() const;
  /// Closes the recordings still open and waits for the writer. Idempotent; main thread,
  /// after the calls ended.
  void stop();

 private:
  /// The recorded prompt, or else `text` said in `language`; null when neither is given.
  /// Throws naming `owner` when it cannot be loaded or said.
  std::shared_ptr<const media::prompt> load_greeting(const std::string& text,
                                                     const std::string& language,
                                                     const std::filesystem::path& recorded,
                                                     const std::string& owner);
  void register_metrics(core::metrics_registry& metrics);

  config::daemon_settings settings_;
  store::event_log& events_;
  media::media_engine engine_;
  std::unique_ptr<media::speech_synthesizer> speech_;
  std::unique_ptr<media::speech_service> speech_service_;
  std::shared_ptr<const media::prompt> ringback_;
  call::call_target blocked_;
  recording::recording_writer recorder_;
  std::vector<std::pair<std::string, std::shared_ptr<const media::prompt>>> greetings_;
  /// media.hold_classes by name, each loaded once and shared by every call that holds.
  std::vector<std::pair<std::string, std::shared_ptr<const media::prompt>>> hold_classes_;
  std::unique_ptr<call::media_factory> factory_;
  std::vector<core::callback_registration> metrics_;
};

}  // namespace callcenterd::app
