#include "callcenterd/media/wav.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/file_size_limit.hpp"
#include "support/temp_dir.hpp"

namespace callcenterd::media {
namespace {

using bytes = std::vector<std::uint8_t>;
namespace errc = boost::system::errc;

constexpr std::uint16_t pcm = 1;
constexpr std::uint16_t alaw = 6;
constexpr std::uint16_t ulaw = 7;
constexpr std::string_view requirement =
    "; prompts must be 8000 Hz mono (16-bit PCM, µ-law or A-law)";

// ---- building files in memory ----

void put_u16(bytes& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value & 0xFFU));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
}

void put_u32(bytes& out, std::uint32_t value) {
  put_u16(out, static_cast<std::uint16_t>(value & 0xFFFFU));
  put_u16(out, static_cast<std::uint16_t>(value >> 16));
}

void put_id(bytes& out, std::string_view id) { out.insert(out.end(), id.begin(), id.end()); }

std::uint16_t get_u16(const bytes& in, std::size_t at) {
  return static_cast<std::uint16_t>(in.at(at) | (in.at(at + 1) << 8));
}

std::uint32_t get_u32(const bytes& in, std::size_t at) {
  return get_u16(in, at) | (static_cast<std::uint32_t>(get_u16(in, at + 2)) << 16);
}

std::string get_id(const bytes& in, std::size_t at) {
  return {in.begin() + static_cast<std::ptrdiff_t>(at),
          in.begin() + static_cast<std::ptrdiff_t>(at + 4)};
}

// A chunk with its pad byte; `declared` replaces the true size in the chunk header.
bytes chunk(std::string_view id, const bytes& body, std::optional<std::uint32_t> declared = {}) {
  bytes out;
  put_id(out, id);
  put_u32(out, declared.value_or(static_cast<std::uint32_t>(body.size())));
  out.insert(out.end(), body.begin(), body.end());
  if (body.size() % 2 == 1) out.push_back(0);
  return out;
}

bytes fmt(std::uint16_t tag, std::uint16_t channels = 1, std::uint32_t rate = 8000,
          std::uint16_t bits = 16) {
  const auto align = static_cast<std::uint16_t>(channels * (bits / 8));
  bytes body;
  put_u16(body, tag);
  put_u16(body, channels);
  put_u32(body, rate);
  put_u32(body, rate * align);
  put_u16(body, align);
  put_u16(body, bits);
  return chunk("fmt ", body);
}

// WAVE_FORMAT_EXTENSIBLE whose subformat GUID is `sub_tag` on the standard base GUID.
bytes extensible_fmt(std::uint16_t sub_tag, std::uint16_t bits, bool standard_guid = true,
                     std::uint16_t cb_size = 22) {
  auto out = fmt(0xFFFE, 1, 8000, bits);
  bytes body(out.begin() + 8, out.end());
  put_u16(body, cb_size);
  put_u16(body, bits);  // valid bits
  put_u32(body, 0x4);   // front centre
  put_u32(body, sub_tag);
  const bytes tail = {0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
  body.insert(body.end(), tail.begin(), tail.end());
  if (!standard_guid) body.back() = 0x72;
  return chunk("fmt ", body);
}

bytes wave(std::initializer_list<bytes> chunks) {
  bytes body;
  put_id(body, "WAVE");
  for (const auto& c : chunks) body.insert(body.end(), c.begin(), c.end());
  bytes out;
  put_id(out, "RIFF");
  put_u32(out, static_cast<std::uint32_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

bytes pcm_bytes(const std::vector<std::int16_t>& samples) {
  bytes out;
  for (auto s : samples) put_u16(out, static_cast<std::uint16_t>(s));
  return out;
}

wav_read_result parse(const bytes& file) { return parse_wav(file, "prompts/hello.wav"); }

void expect_refused(const bytes& file, wav_read_errc error, std::string_view reason) {
  const auto result = parse(file);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, error);
  EXPECT_EQ(result.reason, "prompts/hello.wav: " + std::string(reason));
  EXPECT_TRUE(result.samples.empty());
}

// ---- files on disk ----

using callcenterd::testing::file_size_limit;
using callcenterd::testing::temp_dir;

bytes read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::filesystem::path& path, const bytes& content) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(content.data()),
            static_cast<std::streamsize>(content.size()));
}

// ---- reading ----

TEST(wav_reader, reads_16_bit_pcm) {
  const std::vector<std::int16_t> samples = {0, 1, -1, 32767, -32768, 1234};
  const auto result = parse(wave({fmt(pcm), chunk("data", pcm_bytes(samples))}));
  ASSERT_TRUE(result.ok()) << result.reason;
  EXPECT_TRUE(result.reason.empty());
  EXPECT_EQ(result.format, wav_format::pcm16);
  EXPECT_EQ(result.samples, samples);
  EXPECT_EQ(result.duration, std::chrono::microseconds(750));
}

TEST(wav_reader, decodes_ulaw_as_g711_says) {
  const auto result = parse(wave({fmt(ulaw, 1, 8000, 8), chunk("data", {0xFF, 0x7F, 0x00, 0x80})}));
  ASSERT_TRUE(result.ok()) << result.reason;
  EXPECT_EQ(result.format, wav_format::ulaw);
  EXPECT_EQ(result.samples, (std::vector<std::int16_t>{0, 0, -32124, 32124}));
  EXPECT_EQ(result.duration, std::chrono::microseconds(500));
}

TEST(wav_reader, decodes_alaw_as_g711_says) {
  const auto result = parse(wave({fmt(alaw, 1, 8000, 8), chunk("data", {0xD5, 0x55, 0xAA, 0x2A})}));
  ASSERT_TRUE(result.ok()) << result.reason;
  EXPECT_EQ(result.format, wav_format::alaw);
  EXPECT_EQ(result.samples, (std::vector<std::int16_t>{8, -8, 32256, -32256}));
}

TEST(wav_reader, reads_extensible_pcm_ulaw_and_alaw) {
  const auto pcm16 = parse(wave({extensible_fmt(pcm, 16), chunk("data", pcm_bytes({-2, 7}))}));
  ASSERT_TRUE(pcm16.ok()) << pcm16.reason;
  EXPECT_EQ(pcm16.format, wav_format::pcm16);
  EXPECT_EQ(pcm16.samples, (std::vector<std::int16_t>{-2, 7}));

  const auto mu = parse(wave({extensible_fmt(ulaw, 8), chunk("data", {0x00})}));
  ASSERT_TRUE(mu.ok()) << mu.reason;
  EXPECT_EQ(mu.format, wav_format::ulaw);
  EXPECT_EQ(mu.samples, (std::vector<std::int16_t>{-32124}));

  const auto a = parse(wave({extensible_fmt(alaw, 8), chunk("data", {0xAA})}));
  ASSERT_TRUE(a.ok()) << a.reason;
  EXPECT_EQ(a.format, wav_format::alaw);
  EXPECT_EQ(a.samples, (std::vector<std::int16_t>{32256}));
}

TEST(wav_reader, refuses_extensible_with_other_subformats_or_short_fmt) {
  expect_refused(wave({extensible_fmt(pcm, 16, false), chunk("data", pcm_bytes({1}))}),
                 wav_read_errc::unsupported,
                 "extensible format with an unknown subformat" + std::string(requirement));
  expect_refused(wave({extensible_fmt(3, 32), chunk("data", bytes(8))}), wav_read_errc::unsupported,
                 "32-bit float" + std::string(requirement));
  expect_refused(wave({extensible_fmt(pcm, 16, true, 0), chunk("data", pcm_bytes({1}))}),
                 wav_read_errc::malformed, "extensible fmt chunk is too short");
  auto plain = fmt(0xFFFE);  // the tag without the extension
  expect_refused(wave({plain, chunk("data", pcm_bytes({1}))}), wav_read_errc::malformed,
                 "extensible fmt chunk is too short");
}

TEST(wav_reader, skips_unknown_chunks_and_their_pad_bytes) {
  const auto file = wave({chunk("LIST", {'a', 'b', 'c'}), fmt(pcm), chunk("fact", {1, 0, 0, 0}),
                          chunk("junk", {9}), chunk("data", pcm_bytes({5, -5}))});
  const auto result = parse(file);
  ASSERT_TRUE(result.ok()) << result.reason;
  EXPECT_EQ(result.samples, (std::vector<std::int16_t>{5, -5}));
}

TEST(wav_reader, finds_fmt_after_data) {
  const auto result = parse(wave({chunk("data", pcm_bytes({3})), fmt(pcm)}));
  ASSERT_TRUE(result.ok()) << result.reason;
  EXPECT_EQ(result.samples, (std::vector<std::int16_t>{3}));
}

TEST(wav_reader, refuses_what_prompts_cannot_be_and_names_every_problem) {
  const auto data = chunk("data", bytes(8));
  expect_refused(wave({fmt(pcm, 1, 44100), data}), wav_read_errc::unsupported,
                 "44100 Hz" + std::string(requirement));
  expect_refused(wave({fmt(pcm, 2), data}), wav_read_errc::unsupported,
                 "stereo" + std::string(requirement));
  expect_refused(wave({fmt(pcm, 1, 8000, 24), data}), wav_read_errc::unsupported,
                 "24-bit PCM" + std::string(requirement));
  expect_refused(wave({fmt(pcm, 1, 8000, 8), data}), wav_read_errc::unsupported,
                 "8-bit PCM" + std::string(requirement));
  expect_refused(wave({fmt(ulaw, 1, 8000, 16), data}), wav_read_errc::unsupported,
                 "16-bit µ-law" + std::string(requirement));
  expect_refused(wave({fmt(0x55, 6), data}), wav_read_errc::unsupported,
                 "6 channels, MP3" + std::string(requirement));
  expect_refused(wave({fmt(0x1234, 1, 16000), data}), wav_read_errc::unsupported,
                 "16000 Hz, format tag 0x1234" + std::string(requirement));
  expect_refused(wave({fmt(alaw, 2, 48000, 8), data}), wav_read_errc::unsupported,
                 "48000 Hz, stereo" + std::string(requirement));
}

TEST(wav_reader, refuses_what_is_not_riff_wave) {
  const auto valid = wave({fmt(pcm), chunk("data", pcm_bytes({1}))});
  auto rifx = valid;
  rifx[3] = 'X';
  auto avi = valid;
  avi[8] = 'A';
  avi[9] = 'V';
  avi[10] = 'I';
  avi[11] = ' ';
  for (const auto& file : {bytes{}, bytes(valid.begin(), valid.begin() + 11), rifx, avi}) {
    expect_refused(file, wav_read_errc::not_wav, "not a RIFF/WAVE file");
  }
}

TEST(wav_reader, refuses_missing_or_broken_chunks) {
  expect_refused(wave({fmt(pcm), chunk("LIST", {1, 2})}), wav_read_errc::no_data, "no data chunk");
  expect_refused(wave({fmt(pcm)}), wav_read_errc::no_data, "no data chunk");
  expect_refused(wave({chunk("data", pcm_bytes({1}))}), wav_read_errc::malformed, "no fmt chunk");
  auto cut_fmt = wave({fmt(pcm)});
  cut_fmt.erase(cut_fmt.end() - 2, cut_fmt.end());
  expect_refused(cut_fmt, wav_read_errc::malformed, "truncated fmt chunk");
  expect_refused(wave({chunk("fmt ", bytes(14)), chunk("data", pcm_bytes({1}))}),
                 wav_read_errc::malformed, "fmt chunk of 14 bytes is too short");
  // An unknown chunk that runs off the end hides whatever was meant to follow it.
  expect_refused(wave({fmt(pcm), chunk("LIST", {1, 2}, 1000)}), wav_read_errc::no_data,
                 "no data chunk");
  bytes odd_align = fmt(pcm);
  odd_align[8 + 12] = 4;
  expect_refused(wave({odd_align, chunk("data", pcm_bytes({1}))}), wav_read_errc::malformed,
                 "fmt chunk gives block align 4 for 16-bit mono");
}

TEST(wav_reader, refuses_a_data_chunk_that_declares_more_than_the_file_holds) {
  expect_refused(wave({fmt(pcm), chunk("data", bytes(10), 100)}), wav_read_errc::truncated,
                 "truncated data chunk (declares 100 bytes, the file holds 10)");
}

TEST(wav_reader, takes_the_rest_of_the_file_when_the_data_size_was_never_filled_in) {
  for (std::uint32_t declared : {0U, 0xFFFFFFFFU}) {
    SCOPED_TRACE(declared);
    auto file = wave({fmt(pcm), chunk("data", {}, declared)});
    const auto body = pcm_bytes({10, 20});
    file.insert(file.end(), body.begin(), body.end());
    file.push_back(0x7F);  // a partial sample: dropped
    const auto result = parse(file);
    ASSERT_TRUE(result.ok()) << result.reason;
    EXPECT_EQ(result.samples, (std::vector<std::int16_t>{10, 20}));
  }
}

TEST(wav_reader, reads_only_the_declared_data_when_more_follows) {
  // What a recording looks like after a crash between two flushes, and a trailing chunk.
  auto file = wave({fmt(pcm), chunk("data", pcm_bytes({1, 2}))});
  const auto tail = pcm_bytes({3, 4, 5});
  file.insert(file.end(), tail.begin(), tail.end());
  const auto result = parse(file);
  ASSERT_TRUE(result.ok()) << result.reason;
  EXPECT_EQ(result.samples, (std::vector<std::int16_t>{1, 2}));
}

TEST(wav_reader, never_misreads_a_file_cut_at_any_byte) {
  const auto file =
      wave({chunk("LIST", {'x'}), extensible_fmt(ulaw, 8), chunk("data", {0xFF, 0x00, 0x80})});
  ASSERT_TRUE(parse(file).ok());
  // Up to the data chunk's pad byte, whose absence is harmless.
  for (std::size_t size = 0; size < file.size() - 1; ++size) {
    SCOPED_TRACE(size);
    const auto result = parse_wav(std::span(file).first(size), "cut.wav");
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.reason.rfind("cut.wav: ", 0), 0U) << result.reason;
  }
}

TEST(wav_reader, applies_the_size_limit) {
  const auto file = wave({fmt(pcm), chunk("data", pcm_bytes({1, 2, 3}))});
  EXPECT_TRUE(parse_wav(file, "x.wav", file.size()).ok());
  const auto refused = parse_wav(file, "x.wav", file.size() - 1);
  EXPECT_EQ(refused.error, wav_read_errc::too_large);
  EXPECT_EQ(refused.reason, "x.wav: " + std::to_string(file.size()) + " bytes, over the limit of " +
                                std::to_string(file.size() - 1) + " bytes for a prompt");
  EXPECT_EQ(wav_default_max_bytes, 64U * 1024 * 1024);
}

TEST(wav_reader, reads_files_from_disk) {
  const temp_dir dir;
  const auto path = dir.path() / "hello.wav";
  const auto file = wave({fmt(alaw, 1, 8000, 8), chunk("data", {0xD5, 0x55, 0xD5})});
  write_file(path, file);

  const auto result = blocking_read_wav(path);
  ASSERT_TRUE(result.ok()) << result.reason;
  EXPECT_EQ(result.samples, (std::vector<std::int16_t>{8, -8, 8}));

  const auto big = blocking_read_wav(path, file.size() - 1);
  EXPECT_EQ(big.error, wav_read_errc::too_large);
  EXPECT_EQ(big.reason.rfind(path.string() + ": ", 0), 0U) << big.reason;

  const auto missing = blocking_read_wav(dir.path() / "missing.wav");
  EXPECT_EQ(missing.error, wav_read_errc::unreadable);
  EXPECT_EQ(missing.reason,
            (dir.path() / "missing.wav").string() + ": cannot open: No such file or directory");

  const auto directory = blocking_read_wav(dir.path());
  EXPECT_EQ(directory.error, wav_read_errc::unreadable);
  EXPECT_EQ(directory.reason, dir.path().string() + ": not a regular file");
}

// ---- writing ----

TEST(wav_header, lays_out_a_canonical_pcm_header) {
  const auto header = make_wav_header(2, 8000, 16, 400);
  const bytes h(header.begin(), header.end());
  EXPECT_EQ(get_id(h, 0), "RIFF");
  EXPECT_EQ(get_u32(h, 4), 436U);
  EXPECT_EQ(get_id(h, 8), "WAVE");
  EXPECT_EQ(get_id(h, 12), "fmt ");
  EXPECT_EQ(get_u32(h, 16), 16U);
  EXPECT_EQ(get_u16(h, 20), 1U);
  EXPECT_EQ(get_u16(h, 22), 2U);
  EXPECT_EQ(get_u32(h, 24), 8000U);
  EXPECT_EQ(get_u32(h, 28), 32000U);
  EXPECT_EQ(get_u16(h, 32), 4U);
  EXPECT_EQ(get_u16(h, 34), 16U);
  EXPECT_EQ(get_id(h, 36), "data");
  EXPECT_EQ(get_u32(h, 40), 400U);

  const auto huge = make_wav_header(2, 8000, 16, 0xFFFFFFF0);
  EXPECT_EQ(get_u32(bytes(huge.begin(), huge.end()), 4), 0xFFFFFFFFU);

  // The reader agrees on the layout: a mono header parses.
  auto mono_header = make_wav_header(1, 8000, 16, 4);
  bytes mono(mono_header.begin(), mono_header.end());
  const auto samples = pcm_bytes({-100, 100});
  mono.insert(mono.end(), samples.begin(), samples.end());
  const auto parsed = parse(mono);
  ASSERT_TRUE(parsed.ok()) << parsed.reason;
  EXPECT_EQ(parsed.samples, (std::vector<std::int16_t>{-100, 100}));
}

// Frames 0..count-1 with caller = i, agent = -i - 1000.
std::vector<std::int16_t> frames(int first, int count) {
  std::vector<std::int16_t> out;
  for (int i = first; i < first + count; ++i) {
    out.push_back(static_cast<std::int16_t>(i));
    out.push_back(static_cast<std::int16_t>(-i - 1000));
  }
  return out;
}

void expect_recording(const bytes& file, std::uint32_t header_frames,
                      const std::vector<std::int16_t>& expected) {
  ASSERT_GE(file.size(), 44U);
  EXPECT_EQ(get_id(file, 0), "RIFF");
  const std::uint32_t data_bytes = header_frames * 4;
  EXPECT_EQ(get_u32(file, 4), 36 + data_bytes);
  EXPECT_EQ(get_u16(file, 22), 2U);
  EXPECT_EQ(get_u32(file, 24), 8000U);
  EXPECT_EQ(get_u16(file, 34), 16U);
  EXPECT_EQ(get_u32(file, 40), data_bytes);
  ASSERT_GE(file.size(), 44U + data_bytes);
  const auto data_begin = file.begin() + 44;
  const bytes data(data_begin, data_begin + static_cast<std::ptrdiff_t>(data_bytes));
  EXPECT_EQ(data, pcm_bytes(expected));
  // And the reader frames it: it refuses only because recordings are stereo.
  EXPECT_EQ(parse_wav(file, "r.wav").reason, "r.wav: stereo" + std::string(requirement));
}

TEST(wav_writer, writes_interleaved_frames_across_appends_and_flushes) {
  const temp_dir dir;
  const auto path = dir.path() / "rec.wav";
  blocking_wav_writer writer({.buffer_bytes = 16});
  ASSERT_FALSE(writer.open(path));
  EXPECT_TRUE(writer.is_open());
  EXPECT_EQ(writer.path(), path);
  const auto all = frames(0, 23);
  std::span<const std::int16_t> rest(all);
  for (std::size_t count : {1U, 6U, 0U, 3U, 13U}) {
    ASSERT_FALSE(writer.append(rest.first(count * 2)));
    rest = rest.subspan(count * 2);
    if (count == 6) {
      ASSERT_FALSE(writer.flush());
    }
  }
  ASSERT_TRUE(rest.empty());
  EXPECT_EQ(writer.frames(), 23U);
  EXPECT_EQ(writer.data_bytes(), 92U);
  ASSERT_FALSE(writer.close());
  EXPECT_FALSE(writer.is_open());
  EXPECT_EQ(writer.flushed_data_bytes(), 92U);

  const auto file = read_file(path);
  EXPECT_EQ(file.size(), 44U + 92U);
  expect_recording(file, 23, all);
}

TEST(wav_writer, file_on_disk_is_valid_up_to_the_last_flush) {
  const temp_dir dir;
  const auto path = dir.path() / "rec.wav";
  blocking_wav_writer writer({.buffer_bytes = 16});
  ASSERT_FALSE(writer.open(path));
  expect_recording(read_file(path), 0, {});

  ASSERT_FALSE(writer.append(frames(0, 3)));
  ASSERT_FALSE(writer.flush());
  EXPECT_EQ(writer.flushed_data_bytes(), 12U);
  // More than a buffer's worth: some of it reaches the file, but the header does not claim it.
  ASSERT_FALSE(writer.append(frames(3, 9)));
  EXPECT_EQ(writer.flushed_data_bytes(), 12U);

  // A crash now: read what is on disk without closing.
  const auto crashed = read_file(path);
  EXPECT_EQ(crashed.size(), 44U + 12U + 32U);
  expect_recording(crashed, 3, frames(0, 3));

  ASSERT_FALSE(writer.flush());
  expect_recording(read_file(path), 12, frames(0, 12));
}

TEST(wav_writer, writes_out_a_full_buffer_without_waiting_for_flush) {
  const temp_dir dir;
  const auto path = dir.path() / "rec.wav";
  blocking_wav_writer writer({.buffer_bytes = 14, .sync_to_disk = false});  // 16 used
  ASSERT_FALSE(writer.open(path));
  ASSERT_FALSE(writer.append(frames(0, 4)));
  EXPECT_EQ(read_file(path).size(), 44U + 16U);
  ASSERT_FALSE(writer.append(frames(4, 1)));
  EXPECT_EQ(read_file(path).size(), 44U + 16U);
  EXPECT_EQ(writer.data_bytes(), 20U);
  EXPECT_EQ(writer.flushed_data_bytes(), 0U);
}

TEST(wav_writer, destructor_closes_with_a_final_header) {
  const temp_dir dir;
  const auto path = dir.path() / "a" / "b" / "rec.wav";  // parents are created
  {
    blocking_wav_writer writer;
    ASSERT_FALSE(writer.open(path));
    ASSERT_FALSE(writer.append(frames(0, 5)));
  }
  expect_recording(read_file(path), 5, frames(0, 5));
}

TEST(wav_writer, refuses_half_frames_and_stays_usable) {
  const temp_dir dir;
  blocking_wav_writer writer;
  ASSERT_FALSE(writer.open(dir.path() / "rec.wav"));
  const std::vector<std::int16_t> three = {1, 2, 3};
  EXPECT_EQ(writer.append(three), errc::invalid_argument);
  EXPECT_FALSE(writer.error());
  EXPECT_EQ(writer.data_bytes(), 0U);
  ASSERT_FALSE(writer.append(frames(0, 2)));
  ASSERT_FALSE(writer.close());
  expect_recording(read_file(dir.path() / "rec.wav"), 2, frames(0, 2));
}

TEST(wav_writer, calls_without_an_open_file_are_errors) {
  const temp_dir dir;
  blocking_wav_writer writer;
  EXPECT_FALSE(writer.close());
  EXPECT_EQ(writer.append(frames(0, 1)), errc::bad_file_descriptor);
  EXPECT_EQ(writer.flush(), errc::bad_file_descriptor);
  ASSERT_FALSE(writer.open(dir.path() / "one.wav"));
  EXPECT_EQ(writer.open(dir.path() / "two.wav"), errc::invalid_argument);
  ASSERT_FALSE(writer.append(frames(0, 1)));
  ASSERT_FALSE(writer.close());
  EXPECT_EQ(writer.append(frames(0, 1)), errc::bad_file_descriptor);

  // A closed writer starts a new file from scratch.
  ASSERT_FALSE(writer.open(dir.path() / "two.wav"));
  EXPECT_EQ(writer.data_bytes(), 0U);
  ASSERT_FALSE(writer.append(frames(7, 2)));
  ASSERT_FALSE(writer.close());
  expect_recording(read_file(dir.path() / "two.wav"), 2, frames(7, 2));
}

TEST(wav_writer, never_overwrites_an_existing_file) {
  const temp_dir dir;
  const auto path = dir.path() / "rec.wav";
  write_file(path, {1, 2, 3});
  blocking_wav_writer writer;
  EXPECT_EQ(writer.open(path), errc::file_exists);
  EXPECT_EQ(read_file(path), (bytes{1, 2, 3}));
}

TEST(wav_writer, unwritable_paths_are_errors_that_stick) {
  const temp_dir dir;
  std::filesystem::create_directory(dir.path() / "taken.wav");
  for (const auto& path : {dir.path() / "taken.wav", std::filesystem::path("/proc/cc/rec.wav"),
                           std::filesystem::path("/proc/version/rec.wav")}) {
    SCOPED_TRACE(path.string());
    blocking_wav_writer writer;
    boost::system::error_code opened;
    EXPECT_NO_THROW(opened = writer.open(path));
    EXPECT_TRUE(opened);
    EXPECT_FALSE(writer.is_open());
    EXPECT_EQ(writer.error(), opened);
    EXPECT_EQ(writer.append(frames(0, 1)), opened);
    EXPECT_EQ(writer.flush(), opened);
    EXPECT_EQ(writer.close(), opened);
  }
}

TEST(wav_writer, a_failed_write_sticks_and_leaves_the_last_flush_readable) {
  const temp_dir dir;
  const auto path = dir.path() / "rec.wav";
  blocking_wav_writer writer({.buffer_bytes = 32});
  ASSERT_FALSE(writer.open(path));
  ASSERT_FALSE(writer.append(frames(0, 8)));
  ASSERT_FALSE(writer.flush());
  boost::system::error_code failed;
  {
    const file_size_limit limit(44 + 32 + 32);  // room for one more block only
    EXPECT_NO_THROW(failed = writer.append(frames(8, 16)));
    EXPECT_EQ(failed, errc::file_too_large);
    EXPECT_EQ(writer.error(), failed);
    EXPECT_EQ(writer.append(frames(0, 1)), failed);
    EXPECT_EQ(writer.flush(), failed);
    EXPECT_EQ(writer.flushed_data_bytes(), 32U);
    EXPECT_EQ(writer.close(), failed);
  }
  EXPECT_FALSE(writer.is_open());
  EXPECT_EQ(writer.append(frames(0, 1)), failed);
  expect_recording(read_file(path), 8, frames(0, 8));
}

}  // namespace
}  // namespace callcenterd::media
