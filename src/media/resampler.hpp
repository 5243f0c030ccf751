#pragma once

// Sample-rate conversion to the 8 kHz the media engine plays, for audio made at other rates
// (espeak-ng renders at 22050 Hz). A windowed-sinc low-pass runs first: it keeps the
// telephone band up to 3.4 kHz and removes everything from 4 kHz up, which would otherwise
// fold back into the band as a metallic whistle. Pure; any thread.

#include <cstdint>
#include <span>
#include <vector>

namespace callcenterd::media {

// `input`, sampled at `input_rate` Hz, as samples at 8000 Hz: input.size() * 8000 / input_rate
// of them (rounded down), the first aligned with the first input sample. Works both ways
// (from 6 kHz it interpolates, with the cut-off at the input's own Nyquist frequency); 8000
// copies; 0 gives nothing. Beyond 4 kHz the filter attenuates by at least 80 dB; overshoot
// from the filter is clipped to the 16-bit range.
std::vector<std::int16_t> resample_to_8000(std::span<const std::int16_t> input,
                                           std::uint32_t input_rate);

}  // namespace callcenterd::media
