#include "callcenterd/recording/recording_writer.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <future>
#include <iterator>
#include <thread>
#include <vector>

#include "support/file_size_limit.hpp"
#include "support/temp_dir.hpp"

namespace callcenterd::recording {
namespace {

using bytes = std::vector<std::uint8_t>;
using callcenterd::testing::file_size_limit;
using callcenterd::testing::temp_dir;
using namespace std::chrono_literals;

constexpr auto wait_limit = 10s;

// ---- files ----

bytes read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t get_u32(const bytes& in, std::size_t at) {
  return static_cast<std::uint32_t>(in.at(at)) | (static_cast<std::uint32_t>(in.at(at + 1)) << 8) |
         (static_cast<std::uint32_t>(in.at(at + 2)) << 16) |
         (static_cast<std::uint32_t>(in.at(at + 3)) << 24);
}

std::uint16_t get_u16(const bytes& in, std::size_t at) {
  return static_cast<std::uint16_t>(in.at(at) | (in.at(at + 1) << 8));
}

// What the header on disk declares; 0 while there is no header yet.
std::uint32_t declared_data_bytes(const std::filesystem::path& path) {
  const auto content = read_file(path);
  return content.size() < 44 ? 0 : get_u32(content, 40);
}

std::string sha256_hex(const bytes& content) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EXPECT_EQ(EVP_Digest(content.data(), content.size(), digest.data(), &size, EVP_sha256(), nullptr),
            1);
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    static constexpr char digits[] = "0123456789abcdef";
    out.push_back(digits[digest[i] >> 4U]);
    out.push_back(digits[digest[i] & 0xFU]);
  }
  return out;
}

// Frames first .. first+count-1 with caller = i and agent = -i, as 16-bit values.
std::vector<std::int16_t> frames(int first, int count) {
  std::vector<std::int16_t> out;
  for (int i = first; i < first + count; ++i) {
    out.push_back(static_cast<std::int16_t>(i % 30000));
    out.push_back(static_cast<std::int16_t>(-(i % 30000)));
  }
  return out;
}

bytes pcm_bytes(const std::vector<std::int16_t>& samples) {
  bytes out;
  for (auto s : samples) {
    const auto u = static_cast<std::uint16_t>(s);
    out.push_back(static_cast<std::uint8_t>(u & 0xFFU));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
  }
  return out;
}

// A stereo 8000 Hz 16-bit header declaring `frames` frames, followed by at least those.
void expect_recording(const bytes& file, std::uint32_t header_frames,
                      const std::vector<std::int16_t>& expected) {
  ASSERT_GE(file.size(), 44U);
  EXPECT_EQ(std::string(file.begin(), file.begin() + 4), "RIFF");
  EXPECT_EQ(std::string(file.begin() + 8, file.begin() + 16), "WAVEfmt ");
  EXPECT_EQ(get_u16(file, 20), 1U);
  EXPECT_EQ(get_u16(file, 22), 2U);
  EXPECT_EQ(get_u32(file, 24), 8000U);
  EXPECT_EQ(get_u16(file, 34), 16U);
  EXPECT_EQ(std::string(file.begin() + 36, file.begin() + 40), "data");
  EXPECT_EQ(get_u32(file, 40), header_frames * 4);
  EXPECT_EQ(get_u32(file, 4), 36 + header_frames * 4);
  ASSERT_GE(file.size(), 44U + header_frames * 4);
  const auto data_begin = file.begin() + 44;
  const bytes data(data_begin, data_begin + static_cast<std::ptrdiff_t>(header_frames) * 4);
  EXPECT_EQ(data, pcm_bytes(expected));
}

// ---- waiting for the writer thread ----

recording_result close_and_wait(recording_file& file) {
  std::promise<recording_result> promise;
  auto future = promise.get_future();
  file.close([&promise](const recording_result& result) { promise.set_value(result); });
  if (future.wait_for(wait_limit) != std::future_status::ready) {
    ADD_FAILURE() << "close() never called back";
    return {};
  }
  return future.get();
}

template <class Condition>
bool eventually(Condition condition) {
  const auto limit = std::chrono::steady_clock::now() + wait_limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > limit) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

using sys_days = std::chrono::sys_days;
using std::chrono::May;

const auto may_first = sys_days{2024y / May / 1} + 23h + 59min + 58s;
const std::string uuid_a = "3f2b8c1e-6d4a-4f0e-9b7a-1c2d3e4f5a6b";
const std::string uuid_b = "9a1d2c3b-0000-4000-8000-00000000000b";

// ---- paths ----

TEST(recording_path, files_recordings_under_the_utc_date_of_the_start) {
  EXPECT_EQ(recording_path("/var/rec", uuid_a, may_first),
            std::filesystem::path("/var/rec/2024/05/01/" + uuid_a + ".wav"));
  EXPECT_EQ(recording_path("r", "x", sys_days{2024y / std::chrono::February / 29}),
            std::filesystem::path("r/2024/02/29/x.wav"));
  EXPECT_EQ(recording_path("r", "x", sys_days{2000y / std::chrono::January / 1} - 1s),
            std::filesystem::path("r/1999/12/31/x.wav"));
}

// ---- writing ----

TEST(recording_writer, writes_a_stereo_wav_whose_checksum_and_length_match) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path() / "rec", .buffer_bytes = 4096});
  auto file = writer.open(uuid_a, may_first);
  EXPECT_EQ(file->path(), dir.path() / "rec/2024/05/01" / (uuid_a + ".wav"));
  EXPECT_EQ(file->call_uuid(), uuid_a);
  EXPECT_EQ(writer.stats().active_recordings.load(), 1);
  for (int first = 0; first < 8000; first += 400) file->write(frames(first, 400));
  const auto result = close_and_wait(*file);

  EXPECT_FALSE(result.failed) << result.failure;
  EXPECT_EQ(result.failure, "");
  EXPECT_FALSE(file->failed());
  EXPECT_EQ(result.call_uuid, uuid_a);
  EXPECT_EQ(result.path, file->path());
  EXPECT_EQ(result.start, may_first);
  EXPECT_EQ(result.duration, 1000ms);
  const auto content = read_file(result.path);
  EXPECT_EQ(result.size_bytes, 44U + 32000U);
  EXPECT_EQ(content.size(), result.size_bytes);
  EXPECT_EQ(result.sha256, sha256_hex(content));
  EXPECT_EQ(result.sha256.size(), 64U);
  expect_recording(content, 8000, frames(0, 8000));

  EXPECT_EQ(writer.stats().active_recordings.load(), 0);
  EXPECT_EQ(writer.stats().recordings_completed_total.load(), 1U);
  EXPECT_EQ(writer.stats().recordings_failed_total.load(), 0U);
  EXPECT_EQ(writer.stats().bytes_written_total.load(), 32000U);
  EXPECT_EQ(writer.stats().queued_bytes.load(), 0U);

  // A second close() answers with the same result and closes nothing.
  const auto again = close_and_wait(*file);
  EXPECT_EQ(again.sha256, result.sha256);
  EXPECT_EQ(writer.stats().recordings_completed_total.load(), 1U);
}

TEST(recording_writer, hashes_files_larger_than_one_read_back_step) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path(), .sync_to_disk = false});
  auto file = writer.open(uuid_a, may_first);
  for (int second = 0; second < 40; ++second) file->write(frames(second * 8000, 8000));
  const auto result = close_and_wait(*file);
  ASSERT_FALSE(result.failed) << result.failure;
  EXPECT_EQ(result.duration, 40s);
  const auto content = read_file(result.path);
  EXPECT_EQ(result.size_bytes, 44U + 40U * 32000U);
  EXPECT_EQ(result.sha256, sha256_hex(content));
}

TEST(recording_writer, the_file_is_a_valid_wav_up_to_the_last_flush_while_recording) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path(), .flush_interval = 20ms});
  auto file = writer.open(uuid_a, may_first);
  file->write(frames(0, 800));
  // No more blocks: the flush comes from the writer's own deadline.
  EXPECT_TRUE(eventually([&] { return declared_data_bytes(file->path()) == 3200; }));
  expect_recording(read_file(file->path()), 800, frames(0, 800));
  file->write(frames(800, 200));
  EXPECT_TRUE(eventually([&] { return declared_data_bytes(file->path()) == 4000; }));
  expect_recording(read_file(file->path()), 1000, frames(0, 1000));
  EXPECT_FALSE(close_and_wait(*file).failed);
}

TEST(recording_writer, an_unwritable_directory_fails_that_recording_and_no_other) {
  const temp_dir dir;
  // A regular file where the directory of May 1st should be.
  std::filesystem::create_directories(dir.path() / "2024/05");
  std::ofstream(dir.path() / "2024/05/01") << "not a directory";
  recording_writer writer({.root = dir.path()});
  auto broken = writer.open(uuid_a, may_first);
  auto fine = writer.open(uuid_b, may_first + 3s);  // May 2nd
  for (int first = 0; first < 4000; first += 400) {
    broken->write(frames(first, 400));
    fine->write(frames(first, 400));
  }
  const auto failed = close_and_wait(*broken);
  EXPECT_TRUE(failed.failed);
  EXPECT_TRUE(broken->failed());
  EXPECT_EQ(failed.failure, "creating " + broken->path().string() + ": Not a directory (ENOTDIR)");
  EXPECT_EQ(failed.size_bytes, 0U);
  EXPECT_EQ(failed.sha256, "");
  EXPECT_EQ(failed.duration, 0ms);

  const auto ok = close_and_wait(*fine);
  ASSERT_FALSE(ok.failed) << ok.failure;
  EXPECT_EQ(ok.path, dir.path() / "2024/05/02" / (uuid_b + ".wav"));
  expect_recording(read_file(ok.path), 4000, frames(0, 4000));
  EXPECT_EQ(writer.stats().recordings_failed_total.load(), 1U);
  EXPECT_EQ(writer.stats().recordings_completed_total.load(), 1U);
  EXPECT_EQ(writer.stats().bytes_written_total.load(), 16000U);
  EXPECT_EQ(writer.stats().queued_bytes.load(), 0U);
}

TEST(recording_writer, a_root_under_a_regular_file_fails_every_recording_cleanly) {
  const temp_dir dir;
  std::ofstream(dir.path() / "file") << "x";
  recording_writer writer({.root = dir.path() / "file" / "x"});
  auto file = writer.open(uuid_a, may_first);
  file->write(frames(0, 10));
  const auto result = close_and_wait(*file);
  EXPECT_TRUE(result.failed);
  EXPECT_NE(result.failure.find("(ENOTDIR)"), std::string::npos) << result.failure;
}

TEST(recording_writer, a_failed_write_keeps_the_last_flush_and_discards_the_rest) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path(), .buffer_bytes = 4000, .flush_interval = 0ms});
  auto file = writer.open(uuid_a, may_first);
  file->write(frames(0, 1000));
  ASSERT_TRUE(eventually([&] { return declared_data_bytes(file->path()) == 4000; }));
  {
    const file_size_limit limit(44 + 4000 + 2000);  // half of the next block fits
    file->write(frames(1000, 1000));
    ASSERT_TRUE(eventually([&] { return file->failed(); }));
  }
  file->write(frames(2000, 1000));  // discarded
  const auto result = close_and_wait(*file);
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.failure, "writing " + file->path().string() + ": File too large (EFBIG)");
  EXPECT_EQ(result.duration, 125ms);
  const auto content = read_file(file->path());
  EXPECT_EQ(content.size(), 44U + 4000U + 2000U);  // the partial block lies past the header
  EXPECT_EQ(result.size_bytes, content.size());
  EXPECT_EQ(result.sha256, sha256_hex(content));
  expect_recording(content, 1000, frames(0, 1000));

  // The writer goes on for the next call.
  auto next = writer.open(uuid_b, may_first);
  next->write(frames(0, 10));
  const auto ok = close_and_wait(*next);
  EXPECT_FALSE(ok.failed) << ok.failure;
  expect_recording(read_file(ok.path), 10, frames(0, 10));
}

TEST(recording_writer, a_full_queue_fails_the_recording_instead_of_growing) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path(), .max_queued_bytes = 8000});
  // Hold the writer thread inside a close() callback so that blocks pile up behind it.
  std::promise<void> release;
  std::promise<void> holding;
  auto blocker = writer.open("blocker", may_first);
  blocker->close([&](const recording_result&) {
    holding.set_value();
    release.get_future().wait();
  });
  ASSERT_EQ(holding.get_future().wait_for(wait_limit), std::future_status::ready);

  auto file = writer.open(uuid_a, may_first);
  file->write(frames(0, 1000));  // 4000 bytes
  file->write(frames(1000, 1000));
  EXPECT_EQ(writer.stats().queued_bytes.load(), 8000U);
  EXPECT_FALSE(file->failed());
  file->write(frames(2000, 1));  // one frame too many
  EXPECT_TRUE(file->failed());
  EXPECT_EQ(writer.stats().queued_bytes.load(), 8000U);
  file->write(frames(2001, 1));  // discarded at once
  release.set_value();

  const auto result = close_and_wait(*file);
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.failure,
            "recording queue full: 8000 bytes waiting for the disk, over the limit of 8000 "
            "bytes; the rest of the call is not recorded");
  // What was queued before the limit was written.
  EXPECT_EQ(result.duration, 250ms);
  expect_recording(read_file(result.path), 2000, frames(0, 2000));
  EXPECT_EQ(writer.stats().queued_bytes.load(), 0U);

  auto next = writer.open(uuid_b, may_first);
  next->write(frames(0, 1000));
  EXPECT_FALSE(close_and_wait(*next).failed);
}

TEST(recording_writer, a_block_that_is_not_whole_frames_fails_the_recording) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path()});
  auto file = writer.open(uuid_a, may_first);
  file->write(frames(0, 10));
  file->write({1, 2, 3});
  file->write(frames(10, 10));
  const auto result = close_and_wait(*file);
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.failure,
            "a block of 3 samples is not whole stereo frames (a bug in the caller)");
  expect_recording(read_file(result.path), 10, frames(0, 10));
}

TEST(recording_writer, refuses_call_ids_that_cannot_name_a_file) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path() / "rec"});
  for (const std::string id : {"", "../../etc/passwd", ".hidden", "a/b", "a b"}) {
    SCOPED_TRACE(id);
    auto file = writer.open(id, may_first);
    EXPECT_TRUE(file->failed());
    file->write(frames(0, 10));
    const auto result = close_and_wait(*file);
    EXPECT_TRUE(result.failed);
    EXPECT_EQ(result.failure, "call id \"" + id + "\" cannot name a recording file");
    EXPECT_EQ(result.path, std::filesystem::path());
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "rec"));
  EXPECT_EQ(writer.stats().recordings_failed_total.load(), 5U);
  EXPECT_EQ(writer.stats().active_recordings.load(), 0);
}

TEST(recording_writer, never_overwrites_an_existing_recording_nor_reports_it_as_its_own) {
  const temp_dir dir;
  const auto path = recording_path(dir.path(), uuid_a, may_first);
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << "someone else's";
  recording_writer writer({.root = dir.path()});
  auto file = writer.open(uuid_a, may_first);
  const auto result = close_and_wait(*file);
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.failure, "creating " + path.string() + ": File exists (EEXIST)");
  EXPECT_EQ(result.sha256, "");
  EXPECT_EQ(result.size_bytes, 0U);
  const auto content = read_file(path);
  EXPECT_EQ(std::string(content.begin(), content.end()), "someone else's");
}

TEST(recording_writer, dropping_a_file_without_close_still_finishes_it) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path()});
  std::filesystem::path path;
  {
    auto file = writer.open(uuid_a, may_first);
    path = file->path();
    file->write(frames(0, 80));
  }
  ASSERT_TRUE(eventually([&] { return writer.stats().recordings_completed_total.load() == 1; }));
  expect_recording(read_file(path), 80, frames(0, 80));
  EXPECT_EQ(writer.stats().active_recordings.load(), 0);
}

TEST(recording_writer, stop_closes_open_recordings_as_failed_and_still_answers_afterwards) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path()});
  auto file = writer.open(uuid_a, may_first);
  file->write(frames(0, 160));
  writer.stop();
  writer.stop();  // idempotent
  EXPECT_EQ(writer.stats().active_recordings.load(), 0);
  EXPECT_EQ(writer.stats().recordings_failed_total.load(), 1U);
  EXPECT_TRUE(file->failed());

  // After stop(), close() answers at once on the calling thread.
  const auto caller = std::this_thread::get_id();
  std::thread::id answered_on;
  recording_result result;
  file->close([&](const recording_result& r) {
    answered_on = std::this_thread::get_id();
    result = r;
  });
  EXPECT_EQ(answered_on, caller);
  EXPECT_TRUE(result.failed);
  EXPECT_EQ(result.failure, "the recording writer stopped before the recording was closed");
  EXPECT_EQ(result.duration, 20ms);
  const auto content = read_file(result.path);
  expect_recording(content, 160, frames(0, 160));
  EXPECT_EQ(result.sha256, sha256_hex(content));

  auto late = writer.open(uuid_b, may_first);
  EXPECT_TRUE(late->failed());
  late->write(frames(0, 10));
  bool answered = false;
  late->close([&](const recording_result& r) {
    answered = true;
    EXPECT_TRUE(r.failed);
    EXPECT_EQ(r.failure, "the recording writer is stopped");
  });
  EXPECT_TRUE(answered);
  EXPECT_FALSE(std::filesystem::exists(late->path()));
  EXPECT_EQ(writer.stats().recordings_failed_total.load(), 2U);
  EXPECT_EQ(writer.stats().active_recordings.load(), 0);
}

TEST(recording_writer, many_producers_at_once_each_get_their_own_complete_file) {
  const temp_dir dir;
  recording_writer writer({.root = dir.path(), .buffer_bytes = 8192, .flush_interval = 5ms});
  constexpr int calls = 8;
  std::vector<std::thread> producers;
  producers.reserve(calls);
  std::vector<recording_result> results(calls);
  for (int c = 0; c < calls; ++c) {
    producers.emplace_back([&, c] {
      auto file = writer.open("call-" + std::to_string(c), may_first);
      for (int block = 0; block < 100; ++block) file->write(frames(c * 1000 + block * 40, 40));
      results[static_cast<std::size_t>(c)] = close_and_wait(*file);
    });
  }
  for (auto& producer : producers) producer.join();
  for (int c = 0; c < calls; ++c) {
    const auto& result = results[static_cast<std::size_t>(c)];
    ASSERT_FALSE(result.failed) << result.failure;
    const auto content = read_file(result.path);
    expect_recording(content, 4000, frames(c * 1000, 4000));
    EXPECT_EQ(result.sha256, sha256_hex(content));
  }
  EXPECT_EQ(writer.stats().recordings_completed_total.load(), std::uint64_t{calls});
  EXPECT_EQ(writer.stats().queued_bytes.load(), 0U);
}

}  // namespace
}  // namespace callcenterd::recording
