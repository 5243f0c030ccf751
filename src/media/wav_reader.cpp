#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "callcenterd/media/g711.hpp"
#include "callcenterd/media/wav.hpp"

namespace callcenterd::media {
namespace {

constexpr std::string_view requirement =
    "prompts must be 8000 Hz mono (16-bit PCM, µ-law or A-law)";

constexpr std::uint16_t tag_pcm = 0x0001;
constexpr std::uint16_t tag_float = 0x0003;
constexpr std::uint16_t tag_alaw = 0x0006;
constexpr std::uint16_t tag_ulaw = 0x0007;
constexpr std::uint16_t tag_extensible = 0xFFFE;

constexpr std::size_t chunk_header_size = 8;
constexpr std::size_t fmt_size = 16;
constexpr std::size_t fmt_extensible_size = 40;

// Every WAVE_FORMAT_EXTENSIBLE subformat GUID that stands for a classic format tag is that tag
// followed by these 14 bytes, in the GUID's little-endian byte order.
constexpr std::array<std::uint8_t, 14> guid_tail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                                    0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

std::uint16_t get_u16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8));
}

std::uint32_t get_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint32_t>(get_u16(bytes, at)) |
         (static_cast<std::uint32_t>(get_u16(bytes, at + 2)) << 16);
}

bool has_id(std::span<const std::uint8_t> bytes, std::size_t at, std::string_view id) {
  return std::equal(id.begin(), id.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; });
}

struct format_fields {
  std::uint16_t tag = 0;  // the subformat's tag for WAVE_FORMAT_EXTENSIBLE
  bool known_subformat = true;
  std::uint16_t channels = 0;
  std::uint32_t sample_rate = 0;
  std::uint16_t block_align = 0;
  std::uint16_t bits = 0;
};

struct chunk {
  std::size_t offset = 0;  // of the body
  std::size_t size = 0;
};

wav_read_result refuse(wav_read_errc error, std::string_view name, std::string_view what) {
  wav_read_result result;
  result.error = error;
  result.reason.reserve(name.size() + what.size() + 2);
  result.reason.append(name).append(": ").append(what);
  return result;
}

std::string describe_encoding(std::uint16_t tag, std::uint16_t bits) {
  const auto sized = [bits](std::string_view what) {
    return std::to_string(bits) + "-bit " + std::string(what);
  };
  switch (tag) {
    case tag_pcm:
      return sized("PCM");
    case tag_ulaw:
      return sized("µ-law");
    case tag_alaw:
      return sized("A-law");
    case tag_float:
      return sized("float");
    case 0x0002:
      return "MS ADPCM";
    case 0x0011:
      return "IMA ADPCM";
    case 0x0031:
      return "GSM 6.10";
    case 0x0055:
      return "MP3";
    default:
      break;
  }
  std::array<char, 24> text{};
  std::snprintf(text.data(), text.size(), "format tag 0x%04X", static_cast<unsigned>(tag));
  return text.data();
}

std::optional<wav_format> supported_encoding(const format_fields& f) {
  if (!f.known_subformat) return std::nullopt;
  if (f.tag == tag_pcm && f.bits == 16) return wav_format::pcm16;
  if (f.tag == tag_ulaw && f.bits == 8) return wav_format::ulaw;
  if (f.tag == tag_alaw && f.bits == 8) return wav_format::alaw;
  return std::nullopt;
}

// Everything wrong with the format in one line, so a prompt is fixed in one pass.
std::string describe_mismatch(const format_fields& f, bool encoding_ok) {
  std::string what;
  const auto add = [&what](const std::string& part) {
    if (!what.empty()) what += ", ";
    what += part;
  };
  if (f.sample_rate != wav_sample_rate) add(std::to_string(f.sample_rate) + " Hz");
  if (f.channels == 2) {
    add("stereo");
  } else if (f.channels != 1) {
    add(std::to_string(f.channels) + " channels");
  }
  if (!f.known_subformat) {
    add("extensible format with an unknown subformat");
  } else if (!encoding_ok) {
    add(describe_encoding(f.tag, f.bits));
  }
  return what;
}

class wav_parser {
 public:
  wav_parser(std::span<const std::uint8_t> bytes, std::string_view name)
      : bytes_(bytes), name_(name) {}

  wav_read_result parse() {
    if (bytes_.size() < 12 || !has_id(bytes_, 0, "RIFF") || !has_id(bytes_, 8, "WAVE")) {
      return refuse(wav_read_errc::not_wav, name_, "not a RIFF/WAVE file");
    }
    auto walked = walk_chunks();
    if (!walked.ok()) return walked;
    if (!fmt_) return refuse(wav_read_errc::malformed, name_, "no fmt chunk");
    if (!data_) return refuse(wav_read_errc::no_data, name_, "no data chunk");

    format_fields f;
    if (auto refused = read_format(f); !refused.ok()) return refused;
    const auto encoding = supported_encoding(f);
    if (f.sample_rate != wav_sample_rate || f.channels != 1 || !encoding) {
      const auto what = describe_mismatch(f, encoding.has_value());
      return refuse(wav_read_errc::unsupported, name_, what + "; " + std::string(requirement));
    }
    const std::size_t sample_bytes = *encoding == wav_format::pcm16 ? 2 : 1;
    if (f.block_align != sample_bytes) {
      return refuse(wav_read_errc::malformed, name_,
                    "fmt chunk gives block align " + std::to_string(f.block_align) + " for " +
                        std::to_string(f.bits) + "-bit mono");
    }
    return decode(*encoding, sample_bytes);
  }

 private:
  // Finds the first fmt and data chunks. A data chunk that runs to the end of the file ends
  // the walk: nothing after it can be framed.
  wav_read_result walk_chunks() {
    std::size_t at = 12;
    while (bytes_.size() - at >= chunk_header_size && !(fmt_ && data_)) {
      const std::uint32_t size = get_u32(bytes_, at + 4);
      const chunk c{at + chunk_header_size, size};
      const bool is_fmt = has_id(bytes_, at, "fmt ");
      const bool is_data = has_id(bytes_, at, "data") && !data_;
      const std::size_t available = bytes_.size() - c.offset;
      if (is_data && (size == 0 || size == 0xFFFFFFFF)) {
        // A streaming writer that could not seek back never filled the size in.
        data_ = chunk{c.offset, available};
        break;
      }
      if (size > available) {
        if (is_data) {
          return refuse(wav_read_errc::truncated, name_,
                        "truncated data chunk (declares " + std::to_string(size) +
                            " bytes, the file holds " + std::to_string(available) + ")");
        }
        if (is_fmt && !fmt_) return refuse(wav_read_errc::malformed, name_, "truncated fmt chunk");
        break;
      }
      if (is_fmt && !fmt_) fmt_ = c;
      if (is_data) data_ = c;
      // Chunks are padded to an even size; a missing pad after the last one is harmless.
      at = c.offset + std::min<std::size_t>(available, c.size + (size & 1U));
    }
    return {};
  }

  wav_read_result read_format(format_fields& f) const {
    if (fmt_->size < fmt_size) {
      return refuse(wav_read_errc::malformed, name_,
                    "fmt chunk of " + std::to_string(fmt_->size) + " bytes is too short");
    }
    const std::size_t at = fmt_->offset;
    f.tag = get_u16(bytes_, at);
    f.channels = get_u16(bytes_, at + 2);
    f.sample_rate = get_u32(bytes_, at + 4);
    f.block_align = get_u16(bytes_, at + 12);
    f.bits = get_u16(bytes_, at + 14);
    if (f.tag != tag_extensible) return {};

    if (fmt_->size < fmt_extensible_size || get_u16(bytes_, at + 16) < 22) {
      return refuse(wav_read_errc::malformed, name_, "extensible fmt chunk is too short");
    }
    // Valid bits may be fewer than the container holds; the samples still fill it.
    const std::uint16_t valid_bits = get_u16(bytes_, at + 18);
    if (valid_bits > f.bits) {
      return refuse(wav_read_errc::malformed, name_,
                    std::to_string(valid_bits) + " valid bits in a " + std::to_string(f.bits) +
                        "-bit container");
    }
    const auto guid = bytes_.subspan(at + 24, 16);
    f.known_subformat = std::equal(guid_tail.begin(), guid_tail.end(), guid.begin() + 2);
    f.tag = get_u16(guid, 0);
    return {};
  }

  wav_read_result decode(wav_format format, std::size_t sample_bytes) const {
    const auto data = bytes_.subspan(data_->offset, data_->size);
    wav_read_result result;
    result.format = format;
    result.samples.resize(data.size() / sample_bytes);
    auto& samples = result.samples;
    switch (format) {
      case wav_format::pcm16:
        for (std::size_t i = 0; i < samples.size(); ++i) {
          samples[i] = static_cast<std::int16_t>(get_u16(data, 2 * i));
        }
        break;
      case wav_format::ulaw:
        std::transform(data.begin(), data.end(), samples.begin(),
                       [](std::uint8_t code) { return decode_ulaw(code); });
        break;
      case wav_format::alaw:
        std::transform(data.begin(), data.end(), samples.begin(),
                       [](std::uint8_t code) { return decode_alaw(code); });
        break;
    }
    result.duration = std::chrono::microseconds(static_cast<std::int64_t>(samples.size()) *
                                                1'000'000 / wav_sample_rate);
    return result;
  }

  std::span<const std::uint8_t> bytes_;
  std::string_view name_;
  std::optional<chunk> fmt_;
  std::optional<chunk> data_;
};

std::string too_large(std::uint64_t size, std::size_t max_bytes) {
  return std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes) +
         " bytes for a prompt";
}

wav_read_result unreadable(std::string_view name, std::string_view what, int errno_value) {
  return refuse(wav_read_errc::unreadable, name,
                std::string(what) + ": " + std::strerror(errno_value));
}

wav_read_result read_open_file(int fd, const std::string& name, std::size_t max_bytes) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return unreadable(name, "cannot stat", errno);
  if (!S_ISREG(st.st_mode)) return refuse(wav_read_errc::unreadable, name, "not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) return refuse(wav_read_errc::too_large, name, too_large(size, max_bytes));

  // One byte past the limit, so that a file growing while we read is still caught.
  std::vector<std::uint8_t> bytes(std::min<std::uint64_t>(size, max_bytes) + 1);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return unreadable(name, "cannot read", errno);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return parse_wav(bytes, name, max_bytes);
}

}  // namespace

wav_read_result parse_wav(std::span<const std::uint8_t> bytes, std::string_view name_for_errors,
                          std::size_t max_bytes) {
  if (bytes.size() > max_bytes) {
    return refuse(wav_read_errc::too_large, name_for_errors, too_large(bytes.size(), max_bytes));
  }
  return wav_parser(bytes, name_for_errors).parse();
}

wav_read_result blocking_read_wav(const std::filesystem::path& path, std::size_t max_bytes) {
  const std::string name = path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return unreadable(name, "cannot open", errno);
  auto result = read_open_file(fd, name, max_bytes);
  ::close(fd);
  return result;
}

}  // namespace callcenterd::media
