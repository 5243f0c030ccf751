#pragma once

// WAV files at the edge of the media engine: prompts come in as 8 kHz mono (16-bit PCM, µ-law
// or A-law) and leave as linear PCM; call recordings go out as 8 kHz stereo 16-bit PCM.
// Parsing and header building are pure; everything that touches a file blocks and says so,
// and belongs on the file executor, never on an io_context thread.

#include <array>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callcenterd::media {

/// The one sample rate prompts and recordings use.
inline constexpr std::uint32_t wav_sample_rate = 8000;

/// Prompt files larger than this are refused unless the caller chooses another limit: a
/// minute of 16-bit PCM is under 1 MiB, so 64 MiB is generous and still bounds memory.
inline constexpr std::size_t wav_default_max_bytes = std::size_t{64} * 1024 * 1024;

/// How the samples of a prompt were stored in the file.
enum class wav_format : std::uint8_t { pcm16, ulaw, alaw };

/// Why a prompt file was refused.
enum class wav_read_errc : std::uint8_t {
  none = 0,
  unreadable,   ///< the file could not be opened or read, or is not a regular file
  too_large,    ///< bigger than the caller's limit
  not_wav,      ///< no RIFF/WAVE header
  malformed,    ///< no fmt chunk, or one that is cut short or inconsistent
  unsupported,  ///< a valid WAV, but not 8000 Hz mono 16-bit PCM, µ-law or A-law
  no_data,      ///< no data chunk
  truncated,    ///< the data chunk declares more bytes than the file holds
};

/// A decoded prompt, or why there is none. `reason` names the file and what is wrong with
/// it, in words an operator can act on; it is empty on success.
struct wav_read_result {
  wav_read_errc error = wav_read_errc::none;
  std::string reason;
  wav_format format = wav_format::pcm16;
  std::vector<std::int16_t> samples;      ///< mono linear PCM at wav_sample_rate
  std::chrono::microseconds duration{0};  ///< exact: one sample is 125 µs

  bool ok() const noexcept { return error == wav_read_errc::none; }
  explicit operator bool() const noexcept { return ok(); }
};

/// Decodes a prompt held in memory. Accepts RIFF/WAVE with a fmt chunk for 8000 Hz mono
/// 16-bit PCM (format 1), 8-bit µ-law (7) or 8-bit A-law (6), plain or as
/// WAVE_FORMAT_EXTENSIBLE with the matching subformat. Other chunks are skipped (with their
/// pad byte when odd-sized). The RIFF size is not trusted. A data chunk that declares more
/// bytes than follow is refused as truncated. A data size of 0 or 0xFFFFFFFF is the mark of
/// a writer that never went back to fill it in: the rest of the file is taken as the data.
/// A partial last sample is dropped. `name_for_errors` starts every reason. Never throws on
/// bad input. Pure; any thread.
wav_read_result parse_wav(std::span<const std::uint8_t> bytes, std::string_view name_for_errors,
                          std::size_t max_bytes = wav_default_max_bytes);

/// Blocking: reads `path` (refusing it unread when larger than `max_bytes`) and parses it as
/// parse_wav() does, with the path as given in every reason. Run it on the file executor.
wav_read_result blocking_read_wav(const std::filesystem::path& path,
                                  std::size_t max_bytes = wav_default_max_bytes);

/// The canonical 44-byte header of a PCM (format 1) WAV file: RIFF, fmt and data chunk
/// headers, all little-endian. A RIFF size that would pass 0xFFFFFFFF is written as
/// 0xFFFFFFFF. Pure; any thread.
std::array<std::uint8_t, 44> make_wav_header(std::uint16_t channels, std::uint32_t sample_rate,
                                             std::uint16_t bits_per_sample,
                                             std::uint32_t data_bytes);

/// Settings of a blocking_wav_writer.
struct wav_writer_settings {
  /// Samples are gathered here and written in blocks of this size; fixed for the writer's
  /// life. Rounded up to a whole number of frames.
  std::size_t buffer_bytes = std::size_t{64} * 1024;
  /// When true, flush() makes the data durable before the header claims it, so that even a
  /// power cut leaves a valid file. The header it then writes becomes durable with the next
  /// flush's data (one sync per flush, not two) and at close(): after a power cut the file
  /// reads up to the flush before the last one. When false, only a crash of the process is
  /// covered (the file reads up to the last flush).
  bool sync_to_disk = true;
};

/// Writes a call recording: 8000 Hz, 16-bit PCM, two channels, left the caller and right the
/// agent. Every member blocks on file I/O; the object is not thread-safe and belongs to one
/// file-executor job at a time.
///
/// The file on disk is always a valid WAV up to the last successful flush(): flush() first
/// writes the buffered samples after what is already there and only then rewrites the RIFF
/// and data sizes in the header. Samples written since (when the buffer filled) lie past the
/// size the header declares and readers ignore them, so a crash at any moment loses at most
/// what came after the last flush.
///
/// Errors are returned, never thrown. A failed open, write or sync is remembered: every later
/// call returns the same error (close() too, after releasing the file) until open() starts a
/// new file, and the counters stay where the error left them.
class blocking_wav_writer {
 public:
  static constexpr std::uint16_t channels = 2;
  static constexpr std::uint16_t bits_per_sample = 16;
  static constexpr std::size_t frame_bytes = std::size_t{channels} * (bits_per_sample / 8);
  /// The most sample bytes one file can hold: the RIFF size (36 + data) must fit 32 bits.
  static constexpr std::uint64_t max_data_bytes =
      (std::uint64_t{0xFFFFFFFF} - 36) / frame_bytes * frame_bytes;

  explicit blocking_wav_writer(const wav_writer_settings& settings = {});
  blocking_wav_writer(const blocking_wav_writer&) = delete;
  blocking_wav_writer& operator=(const blocking_wav_writer&) = delete;
  /// Closes an open file as close() does; call close() first to learn whether that worked.
  ~blocking_wav_writer();

  /// Creates `path` (and its missing parent directories) and writes a header for no data.
  /// An existing file is never overwritten: that is errc::file_exists. A writer that is
  /// already open refuses with errc::invalid_argument; a closed one may open a new file.
  boost::system::error_code open(const std::filesystem::path& path);

  /// Adds interleaved frames (caller, agent, caller, agent, ...), writing the buffer out
  /// whenever it fills. A sample count that is not a whole number of frames is refused with
  /// errc::invalid_argument and one that would take the file past max_data_bytes with
  /// errc::file_too_large; both leave the writer as it was, so the caller may close the file
  /// and go on in a new one. errc::bad_file_descriptor when not open.
  boost::system::error_code append(std::span<const std::int16_t> interleaved);

  /// Writes the buffer, then updates the header sizes to cover everything written (see the
  /// class comment for the order and for sync_to_disk).
  boost::system::error_code flush();

  /// Flushes and releases the file. Returns the first error of this file, if any; the file
  /// is released either way and the writer may open another. Closing a writer that is not
  /// open only returns the remembered error.
  boost::system::error_code close();

  bool is_open() const noexcept { return fd_ >= 0; }
  const std::filesystem::path& path() const noexcept { return path_; }
  /// Sample bytes accepted by append() for this file, buffered or written.
  std::uint64_t data_bytes() const noexcept { return written_bytes_ + buffered_; }
  /// Sample bytes the header on disk declares: what a reader sees after a crash.
  std::uint64_t flushed_data_bytes() const noexcept { return header_bytes_; }
  /// Frames accepted by append() for this file.
  std::uint64_t frames() const noexcept { return data_bytes() / frame_bytes; }
  /// The remembered error, if any.
  boost::system::error_code error() const noexcept { return error_; }

 private:
  boost::system::error_code fail(int errno_value);
  boost::system::error_code write_buffer();

  wav_writer_settings settings_;
  std::vector<std::uint8_t> buffer_;  // sized once; buffered_ says how much is in use
  std::size_t buffered_ = 0;
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t written_bytes_ = 0;  // sample bytes handed to the file after the header
  std::uint64_t header_bytes_ = 0;   // data size the header on disk declares
  boost::system::error_code error_;
};

}  // namespace callcenterd::media
