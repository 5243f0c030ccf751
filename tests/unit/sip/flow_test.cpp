#include "callcenterd/sip/flow.hpp"

#include <gtest/gtest.h>

namespace callcenterd::sip {
namespace {

using boost::asio::ip::make_address;

TEST(flow, transport_names_round_trip) {
  for (const auto kind : {transport_kind::udp, transport_kind::tcp, transport_kind::tls,
                          transport_kind::ws, transport_kind::wss}) {
    EXPECT_EQ(transport_from_config_name(config_name(kind)), kind);
  }
  EXPECT_FALSE(transport_from_config_name("UDP")) << "config names are lower case";
  EXPECT_FALSE(transport_from_config_name("sctp"));
  EXPECT_EQ(via_token(transport_kind::wss), "WSS");
}

TEST(flow, reliability_and_security) {
  EXPECT_FALSE(is_reliable(transport_kind::udp));
  EXPECT_TRUE(is_reliable(transport_kind::ws));
  EXPECT_TRUE(is_secure(transport_kind::tls));
  EXPECT_TRUE(is_secure(transport_kind::wss));
  EXPECT_FALSE(is_secure(transport_kind::tcp));
}

TEST(flow, text_for_logs) {
  flow f{transport_kind::udp, make_address("127.0.0.1"), 5060, make_address("192.0.2.1"), 5062, 0};
  EXPECT_EQ(to_string(f), "udp 192.0.2.1:5062");
  f.transport = transport_kind::tcp;
  f.remote_address = make_address("2001:db8::1");
  f.connection_id = 7;
  EXPECT_EQ(to_string(f), "tcp [2001:db8::1]:5062 (connection 7)");
}

}  // namespace
}  // namespace callcenterd::sip
