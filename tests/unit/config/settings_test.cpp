#include "callcenterd/config/settings.hpp"

#include <gtest/gtest.h>

namespace callcenterd::config {
namespace {

using namespace std::chrono_literals;

TEST(conninfo, quotes_every_value_and_escapes_quotes_and_backslashes) {
  database_settings db;
  db.host = "/run/postgresql";
  db.port = 55432;
  db.name = "call center";
  db.user = "o'brien";
  db.password = secret("p'a\\ss word");
  db.sslmode = ssl_mode::verify_ca;
  db.connect_timeout = 3s;
  EXPECT_EQ(db.conninfo(),
            "host='/run/postgresql' port='55432' dbname='call center' user='o\\'brien' "
            "password='p\\'a\\\\ss word' sslmode='verify-ca' connect_timeout='3' "
            "application_name='callcenterd'");
}

TEST(conninfo, redacted_hides_the_password_only) {
  database_settings db;
  db.password = secret("hunter2");
  const auto redacted = db.conninfo_redacted();
  EXPECT_EQ(redacted.find("hunter2"), std::string::npos);
  EXPECT_EQ(redacted,
            "host='127.0.0.1' port='5432' dbname='callcenterd' user='callcenterd' "
            "password='***' sslmode='prefer' connect_timeout='3' application_name='callcenterd'");
  EXPECT_NE(db.conninfo().find("password='hunter2'"), std::string::npos);
}

TEST(conninfo, empty_password_is_left_out) {
  database_settings db;
  EXPECT_EQ(db.conninfo().find("password"), std::string::npos);
  EXPECT_EQ(db.conninfo(), db.conninfo_redacted());
}

TEST(conninfo, connect_timeout_rounds_up_to_whole_seconds) {
  database_settings db;
  db.connect_timeout = 1500ms;
  EXPECT_NE(db.conninfo().find("connect_timeout='2'"), std::string::npos);
  db.connect_timeout = 1000ms;
  EXPECT_NE(db.conninfo().find("connect_timeout='1'"), std::string::npos);
}

TEST(enum_names, spelled_as_in_the_file) {
  EXPECT_EQ(to_string(ssl_mode::disable), "disable");
  EXPECT_EQ(to_string(ssl_mode::verify_full), "verify-full");
  EXPECT_EQ(to_string(log_level::warn), "warn");
  EXPECT_EQ(to_string(log_level::off), "off");
  EXPECT_EQ(to_string(log_format::json), "json");
}

}  // namespace
}  // namespace callcenterd::config
