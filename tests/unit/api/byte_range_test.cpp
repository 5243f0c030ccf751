#include "callcenterd/api/byte_range.hpp"

#include <gtest/gtest.h>

namespace callcenterd::api {
namespace {

using kind = byte_range_request::kind;

void expect_part(std::string_view header, std::uint64_t size, std::uint64_t first,
                 std::uint64_t last) {
  const auto r = parse_byte_range(header, size);
  EXPECT_EQ(r.what, kind::part) << header;
  EXPECT_EQ(r.first, first) << header;
  EXPECT_EQ(r.last, last) << header;
}

TEST(parse_byte_range, reads_closed_open_and_suffix_ranges) {
  expect_part("bytes=0-499", 1000, 0, 499);
  expect_part("bytes=500-", 1000, 500, 999);
  expect_part("bytes=-100", 1000, 900, 999);
  expect_part("bytes=0-", 1000, 0, 999);
  expect_part(" bytes=10-20 ", 1000, 10, 20);
}

TEST(parse_byte_range, cuts_what_runs_past_the_end) {
  expect_part("bytes=900-5000", 1000, 900, 999);
  expect_part("bytes=-5000", 1000, 0, 999);
}

TEST(parse_byte_range, a_start_past_the_end_is_unsatisfiable) {
  EXPECT_EQ(parse_byte_range("bytes=1000-", 1000).what, kind::unsatisfiable);
  EXPECT_EQ(parse_byte_range("bytes=0-", 0).what, kind::unsatisfiable);
  EXPECT_EQ(parse_byte_range("bytes=-0", 1000).what, kind::unsatisfiable);
}

TEST(parse_byte_range, ignores_what_it_does_not_serve_or_understand) {
  for (const char* header :
       {"", "bytes=", "items=0-1", "bytes=5-1", "bytes=a-b", "bytes=1", "bytes=0-1,5-6",
        "bytes=--1", "bytes=-", "bytes=99999999999999999999-"}) {
    EXPECT_EQ(parse_byte_range(header, 1000).what, kind::whole) << header;
  }
}

}  // namespace
}  // namespace callcenterd::api
