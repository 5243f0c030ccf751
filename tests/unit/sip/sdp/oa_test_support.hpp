#pragma once

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "callcenterd/sip/offer_answer.hpp"
#include "sdp_fixtures.hpp"

namespace callcenterd::sip::sdp::test {

inline media_capabilities test_caps() {
  media_capabilities caps;
  caps.rtp_address = boost::asio::ip::make_address("192.0.2.10");
  caps.session_id_source = [] { return std::uint64_t{777}; };
  return caps;
}

inline media_capabilities browser_caps() {
  auto caps = test_caps();
  caps.secondary_rtp_address = boost::asio::ip::make_address("2001:db8::10");
  caps.ice_dtls =
      ice_dtls_parameters{"srv1", "abcdefghijklmnopqrstuvwx", "sha-256", "01:23:45:67:89:AB:CD:EF"};
  return caps;
}

inline session parse_or_fail(const std::string& text) {
  auto parsed = parse_sdp(text);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message()) << "\n" << text;
  return parsed ? *parsed : session{};
}

inline session fixture(const std::string& name) { return parse_or_fail(load_fixture(name)); }

/// A minimal offer: the given m= section lines after a session with c=IN IP4 192.0.2.50.
inline session offer_with(const std::string& media_lines) {
  return parse_or_fail(
      "v=0\r\no=peer 5 5 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\n"
      "t=0 0\r\n" +
      media_lines);
}

inline constexpr std::array<std::uint16_t, 1> one_port{40000};

}  // namespace callcenterd::sip::sdp::test
