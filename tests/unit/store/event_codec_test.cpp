#include "event_codec.hpp"

#include <gtest/gtest.h>

#include "callcenterd/core/uuid.hpp"

namespace callcenterd::store::detail {
namespace {

using namespace std::chrono;

TEST(event_codec, timestamp_text_is_exact_to_the_microsecond) {
  const event::time_point at = sys_days{2024y / May / 1} + 12h + 34min + 56s + 123456us;
  EXPECT_EQ(format_timestamp(at), "2024-05-01T12:34:56.123456Z");
  EXPECT_EQ(parse_timestamp("2024-05-01T12:34:56.123456Z"), at);
  EXPECT_EQ(format_timestamp(event::time_point{}), "1970-01-01T00:00:00.000000Z");
  EXPECT_FALSE(parse_timestamp("2024-05-01 12:34:56.123456Z"));
  EXPECT_FALSE(parse_timestamp("2024-02-30T00:00:00.000000Z"));
}

TEST(event_codec, row_round_trips) {
  event e = make_event("call.enqueued", "call-42", {{"queue", "support"}, {"position", 3}});
  e.node = "node-a";
  EXPECT_TRUE(core::is_uuid(e.id));
  const auto decoded = decode_event_row(encode_event_row(e));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->id, e.id);
  EXPECT_EQ(decoded->occurred_at, e.occurred_at);
  EXPECT_EQ(decoded->kind, "call.enqueued");
  EXPECT_EQ(decoded->correlation_id, "call-42");
  EXPECT_EQ(decoded->node, "node-a");
  EXPECT_EQ(decoded->payload, e.payload);
}

TEST(event_codec, rows_are_safe_for_jsonb) {
  event e = make_event(std::string("odd\0kind", 8), "", {{std::string("k\0", 2), "v\xff"}});
  const std::string row = encode_event_row(e);
  EXPECT_EQ(row.find("\\u0000"), std::string::npos) << row;
  const auto decoded = decode_event_row(row);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->kind, "oddkind");
  EXPECT_EQ(decoded->payload.at("k"), "v\xEF\xBF\xBD");  // U+FFFD replaces the bad byte
}

TEST(event_codec, decode_refuses_what_is_not_a_row) {
  EXPECT_FALSE(decode_event_row("not json"));
  EXPECT_FALSE(decode_event_row("[1,2]"));
  EXPECT_FALSE(decode_event_row(R"({"id":"x","occurred_at":"1970-01-01T00:00:00.000000Z",)"
                                R"("kind":"k","correlation_id":"","node":"n","payload":{}})"));
}

TEST(event_codec, rows_join_into_a_json_array) {
  EXPECT_EQ(join_event_rows({}), "[]");
  EXPECT_EQ(join_event_rows({"{\"a\":1}", "{\"b\":2}"}), "[{\"a\":1},{\"b\":2}]");
}

}  // namespace
}  // namespace callcenterd::store::detail
