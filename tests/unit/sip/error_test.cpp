#include "callcenterd/sip/error.hpp"

#include <gtest/gtest.h>

namespace callcenterd::sip {
namespace {

TEST(sip_error, converts_to_error_code_with_own_category) {
  boost::system::error_code ec = sip_errc::bad_uri;
  EXPECT_EQ(&ec.category(), &sip_category());
  EXPECT_EQ(ec.value(), static_cast<int>(sip_errc::bad_uri));
  EXPECT_EQ(ec.message(), "malformed SIP URI");
  EXPECT_STREQ(sip_category().name(), "callcenterd.sip");
}

TEST(sip_error, every_code_has_its_own_message) {
  std::string unknown = sip_category().message(0);
  for (int v = static_cast<int>(sip_errc::message_too_large);
       v <= static_cast<int>(sip_errc::bad_header_value); ++v) {
    EXPECT_NE(sip_category().message(v), unknown) << v;
  }
}

}  // namespace
}  // namespace callcenterd::sip
