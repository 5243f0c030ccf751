#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "callcenterd/core/blocking_file.hpp"
#include "callcenterd/media/wav.hpp"

namespace callcenterd::media {
namespace {

namespace errc = boost::system::errc;

constexpr std::size_t header_size = 44;

void put_u16(std::uint8_t* out, std::uint16_t value) {
  out[0] = static_cast<std::uint8_t>(value & 0xFFU);
  out[1] = static_cast<std::uint8_t>(value >> 8);
}

void put_u32(std::uint8_t* out, std::uint32_t value) {
  put_u16(out, static_cast<std::uint16_t>(value & 0xFFFFU));
  put_u16(out + 2, static_cast<std::uint16_t>(value >> 16));
}

void put_id(std::uint8_t* out, std::string_view id) { std::copy(id.begin(), id.end(), out); }

// Whole frames only, so a block written when the buffer fills never splits a frame.
std::size_t buffer_size_for(std::size_t requested) {
  constexpr auto frame = blocking_wav_writer::frame_bytes;
  return std::max<std::size_t>(1, (requested + frame - 1) / frame) * frame;
}

}  // namespace

std::array<std::uint8_t, 44> make_wav_header(std::uint16_t channels, std::uint32_t sample_rate,
                                             std::uint16_t bits_per_sample,
                                             std::uint32_t data_bytes) {
  const auto block_align = static_cast<std::uint16_t>(channels * ((bits_per_sample + 7) / 8));
  const auto riff_size =
      std::min<std::uint64_t>(std::uint64_t{data_bytes} + header_size - 8, 0xFFFFFFFF);
  std::array<std::uint8_t, 44> header{};
  auto* out = header.data();
  put_id(out, "RIFF");
  put_u32(out + 4, static_cast<std::uint32_t>(riff_size));
  put_id(out + 8, "WAVE");
  put_id(out + 12, "fmt ");
  put_u32(out + 16, 16);
  put_u16(out + 20, 1);  // PCM
  put_u16(out + 22, channels);
  put_u32(out + 24, sample_rate);
  put_u32(out + 28, sample_rate * block_align);
  put_u16(out + 32, block_align);
  put_u16(out + 34, bits_per_sample);
  put_id(out + 36, "data");
  put_u32(out + 40, data_bytes);
  return header;
}

blocking_wav_writer::blocking_wav_writer(const wav_writer_settings& settings)
    : settings_(settings), buffer_(buffer_size_for(settings.buffer_bytes)) {}

blocking_wav_writer::~blocking_wav_writer() {
  if (is_open()) static_cast<void>(close());
}

boost::system::error_code blocking_wav_writer::fail(int errno_value) {
  error_ = boost::system::error_code(errno_value, boost::system::system_category());
  return error_;
}

boost::system::error_code blocking_wav_writer::open(const std::filesystem::path& path) {
  if (is_open()) return errc::make_error_code(errc::invalid_argument);
  path_ = path;
  buffered_ = 0;
  written_bytes_ = 0;
  header_bytes_ = 0;
  error_ = {};
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return fail(ec.value());
  }
  // O_EXCL: a path that already exists is somebody's recording, or a bug in naming them.
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd_ < 0) return fail(errno);
  const auto header = make_wav_header(channels, wav_sample_rate, bits_per_sample, 0);
  if (!core::blocking_write_at(fd_, header.data(), header.size(), 0)) return fail(errno);
  if (settings_.sync_to_disk) {
    if (::fdatasync(fd_) != 0) return fail(errno);
    core::blocking_sync_parent_directory(path);
  }
  return {};
}

boost::system::error_code blocking_wav_writer::write_buffer() {
  if (buffered_ == 0) return {};
  if (!core::blocking_write_at(fd_, buffer_.data(), buffered_, header_size + written_bytes_))
    return fail(errno);
  written_bytes_ += buffered_;
  buffered_ = 0;
  return {};
}

boost::system::error_code blocking_wav_writer::append(std::span<const std::int16_t> interleaved) {
  if (error_) return error_;
  if (!is_open()) return errc::make_error_code(errc::bad_file_descriptor);
  if (interleaved.size() % channels != 0) return errc::make_error_code(errc::invalid_argument);
  if (interleaved.size() * 2 > max_data_bytes - data_bytes()) {
    return errc::make_error_code(errc::file_too_large);
  }
  while (!interleaved.empty()) {
    const std::size_t count = std::min((buffer_.size() - buffered_) / 2, interleaved.size());
    for (std::size_t i = 0; i < count; ++i) {
      put_u16(buffer_.data() + buffered_ + 2 * i, static_cast<std::uint16_t>(interleaved[i]));
    }
    buffered_ += 2 * count;
    interleaved = interleaved.subspan(count);
    if (buffered_ == buffer_.size()) {
      if (auto ec = write_buffer()) return ec;
    }
  }
  return {};
}

boost::system::error_code blocking_wav_writer::flush() {
  if (error_) return error_;
  if (!is_open()) return errc::make_error_code(errc::bad_file_descriptor);
  if (auto ec = write_buffer()) return ec;
  if (written_bytes_ == header_bytes_) return {};
  // The samples must be on disk before the header that claims them, or a power cut could
  // leave a header pointing at bytes that never arrived.
  if (settings_.sync_to_disk && ::fdatasync(fd_) != 0) return fail(errno);
  const auto header = make_wav_header(channels, wav_sample_rate, bits_per_sample,
                                      static_cast<std::uint32_t>(written_bytes_));
  if (!core::blocking_write_at(fd_, header.data(), header.size(), 0)) return fail(errno);
  header_bytes_ = written_bytes_;
  // No sync of the header here: the next flush's sync carries it with that flush's data, and
  // close() syncs the last one. A power cut in between leaves the previous header, which is
  // just as valid. Half the syncs: at 1,000 recorded calls that is 1,000 fewer a second.
  return {};
}

boost::system::error_code blocking_wav_writer::close() {
  if (!is_open()) return error_;
  auto ec = flush();
  if (!ec && settings_.sync_to_disk && ::fdatasync(fd_) != 0) ec = fail(errno);
  // Some file systems (NFS) report a failed write only when the file is closed.
  if (::close(fd_) != 0 && !ec) ec = fail(errno);
  fd_ = -1;
  return ec;
}

}  // namespace callcenterd::media
