#include "session_timer.hpp"

#include <gtest/gtest.h>

namespace callcenterd::call::detail {
namespace {

using namespace std::chrono_literals;

sip::sip_message request_with(std::initializer_list<std::pair<const char*, const char*>> headers) {
  auto request = sip::sip_message::make_request("INVITE", *sip::parse_uri("sip:8000@pbx"));
  for (const auto& [name, value] : headers) request.add_header(name, value);
  return request;
}

TEST(session_timer, no_session_expires_means_no_timer) {
  const auto decision = negotiate_as_uas(request_with({{"Supported", "timer"}}));
  EXPECT_FALSE(decision.too_small);
  EXPECT_FALSE(decision.timer);
}

TEST(session_timer, an_interval_below_90_seconds_is_too_small) {
  EXPECT_TRUE(negotiate_as_uas(request_with({{"Session-Expires", "60"}})).too_small);
  EXPECT_FALSE(negotiate_as_uas(request_with({{"Session-Expires", "90"}})).too_small);
  EXPECT_FALSE(negotiate_as_uas(request_with({{"Session-Expires", "abc"}})).timer);
}

TEST(session_timer, the_refresher_named_by_the_peer_is_kept) {
  const auto uac = negotiate_as_uas(
      request_with({{"Session-Expires", "1800;refresher=uac"}, {"Supported", "timer"}}));
  ASSERT_TRUE(uac.timer);
  EXPECT_FALSE(uac.timer->we_refresh);
  EXPECT_EQ(uac.timer->interval, 1800s);
  const auto uas = negotiate_as_uas(
      request_with({{"Session-Expires", "300;refresher=uas"}, {"Supported", "timer"}}));
  ASSERT_TRUE(uas.timer);
  EXPECT_TRUE(uas.timer->we_refresh);
  sip::sip_message response = sip::sip_message::make_response(200, "OK");
  add_timer_headers(response, *uas.timer);
  EXPECT_EQ(response.header("Session-Expires"), "300;refresher=uas");
  EXPECT_EQ(response.header("Require"), "timer");
}

TEST(session_timer, without_the_extension_we_refresh_and_require_nothing) {
  const auto decision = negotiate_as_uas(request_with({{"Session-Expires", "600"}}));
  ASSERT_TRUE(decision.timer);
  EXPECT_TRUE(decision.timer->we_refresh);
  auto response = sip::sip_message::make_response(200, "OK");
  add_timer_headers(response, *decision.timer);
  EXPECT_EQ(response.header("Session-Expires"), "600;refresher=uas");
  EXPECT_FALSE(response.header("Require"));
}

TEST(session_timer, as_uac_the_response_decides_and_times_follow_the_rfc) {
  auto response = sip::sip_message::make_response(200, "OK");
  EXPECT_FALSE(negotiate_as_uac(response));
  response.add_header("Session-Expires", "120;refresher=uac");
  const auto ours = negotiate_as_uac(response);
  ASSERT_TRUE(ours);
  EXPECT_TRUE(ours->we_refresh);
  EXPECT_EQ(refresh_header(*ours), "120;refresher=uac");
  EXPECT_EQ(refresh_after(*ours), 60s);
  EXPECT_EQ(expire_after(*ours), 88s) << "120 s less 32 s, the most it takes off";
  response.set_header("Session-Expires", "1800;refresher=uas");
  const auto theirs = negotiate_as_uac(response);
  ASSERT_TRUE(theirs);
  EXPECT_FALSE(theirs->we_refresh);
  EXPECT_EQ(expire_after(*theirs), 1768s);
}

}  // namespace
}  // namespace callcenterd::call::detail
