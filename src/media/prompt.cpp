#include "callcenterd/media/prompt.hpp"

#include <algorithm>
#include <cassert>

namespace callcenterd::media {

std::shared_ptr<const prompt> prompt::from_samples(std::vector<std::int16_t> samples) {
  std::shared_ptr<prompt> made(new prompt());
  made->ulaw_.resize(samples.size());
  made->alaw_.resize(samples.size());
  encode(g711_law::ulaw, samples, made->ulaw_);
  encode(g711_law::alaw, samples, made->alaw_);
  return made;
}

prompt_player::prompt_player(std::shared_ptr<const prompt> audio, g711_law law, bool loop)
    : audio_(std::move(audio)), law_(law), loop_(loop) {}

bool prompt_player::done() const {
  return stopped_ || audio_ == nullptr || audio_->samples() == 0 ||
         (!loop_ && position_ >= audio_->samples());
}

std::optional<std::span<const std::uint8_t>> prompt_player::next_frame(std::size_t samples) {
  assert(samples > 0 && samples <= max_frame_samples);
  if (done()) return std::nullopt;
  const auto source = audio_->encoded(law_);
  const auto frame = std::span(frame_).first(samples);
  std::size_t filled = 0;
  while (filled < samples) {
    if (position_ >= source.size()) {
      if (!loop_) break;
      position_ = 0;  // music on hold: start over within the same frame
    }
    const auto take = std::min(samples - filled, source.size() - position_);
    std::copy_n(source.begin() + static_cast<std::ptrdiff_t>(position_), take,
                frame.begin() + static_cast<std::ptrdiff_t>(filled));
    filled += take;
    position_ += take;
  }
  std::fill(frame.begin() + static_cast<std::ptrdiff_t>(filled), frame.end(), silence_byte(law_));
  return frame;
}

}  // namespace callcenterd::media
