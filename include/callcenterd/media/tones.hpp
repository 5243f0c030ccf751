#pragma once

// Audio the engine makes itself rather than reads from a file: the ringback a caller we
// answered hears while the callee rings, and a tune for music on hold when an admin gave no
// file. Made once at start-up and shared like any prompt.

#include <memory>

#include "callcenterd/media/prompt.hpp"

namespace callcenterd::media {

/// One ringback cadence, 440 + 480 Hz for 2 s then 4 s of silence (the North American
/// ringback most softphones imitate), to be played looped. Any thread.
std::shared_ptr<const prompt> make_ringback();

/// A calm arpeggio of about 8 s with soft note edges, to be played looped as music on hold.
/// Any thread.
std::shared_ptr<const prompt> make_hold_tune();

}  // namespace callcenterd::media
