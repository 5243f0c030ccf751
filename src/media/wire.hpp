#pragma once

// Big-endian fields of RTP, RTCP and their payloads, read and written byte by byte (never by
// overlaying structs on packet bytes). The caller has checked the bounds.

#include <cstddef>
#include <cstdint>
#include <span>

namespace callcenterd::media::wire {

inline std::uint16_t read_u16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

inline std::uint32_t read_u24(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 16) | (std::uint32_t{bytes[at + 1]} << 8) |
         std::uint32_t{bytes[at + 2]};
}

inline std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | read_u24(bytes, at + 1);
}

inline void write_u16(std::span<std::uint8_t> bytes, std::size_t at, std::uint16_t value) {
  bytes[at] = static_cast<std::uint8_t>(value >> 8);
  bytes[at + 1] = static_cast<std::uint8_t>(value);
}

inline void write_u32(std::span<std::uint8_t> bytes, std::size_t at, std::uint32_t value) {
  write_u16(bytes, at, static_cast<std::uint16_t>(value >> 16));
  write_u16(bytes, at + 2, static_cast<std::uint16_t>(value));
}

}  // namespace callcenterd::media::wire
