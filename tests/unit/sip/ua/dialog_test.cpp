#include "callcenterd/sip/dialog.hpp"

#include <gtest/gtest.h>

#include "callcenterd/sip/parser.hpp"

namespace callcenterd::sip {
namespace {

received_message parsed(std::string_view text) {
  auto message = parse_message(text);
  EXPECT_TRUE(message) << text;
  received_message out;
  out.message = message ? *message : sip_message{};
  out.source.transport = transport_kind::tcp;
  out.source.remote_address = boost::asio::ip::make_address("192.0.2.7");
  out.source.remote_port = 5070;
  out.source.connection_id = 42;
  return out;
}

constexpr std::string_view invite_text =
    "INVITE sip:8000@pbx.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 192.0.2.7:5070;branch=z9hG4bK1\r\n"
    "Record-Route: <sip:p1.example.com;lr>\r\n"
    "Record-Route: <sip:p2.example.com;lr>\r\n"
    "From: \"Alice\" <sip:1001@pbx.example.com>;tag=alice1\r\n"
    "To: <sip:8000@pbx.example.com>\r\n"
    "Call-ID: c1@192.0.2.7\r\n"
    "CSeq: 7 INVITE\r\n"
    "Contact: <sip:1001@192.0.2.7:5070;transport=tcp>\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(dialog, uas_side_takes_route_set_in_order_and_the_peer_cseq) {
  const auto d = dialog_from_request(parsed(invite_text), "ours1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->call_id, "c1@192.0.2.7");
  EXPECT_EQ(d->local_tag, "ours1");
  EXPECT_EQ(d->remote_tag, "alice1");
  EXPECT_EQ(d->route_set,
            (std::vector<std::string>{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"}));
  EXPECT_EQ(to_string(d->remote_target), "sip:1001@192.0.2.7:5070;transport=tcp");
  EXPECT_EQ(d->remote_cseq, 7U);
  EXPECT_EQ(d->path.connection_id, 42U);
  EXPECT_FALSE(d->secure);
}

TEST(dialog, requests_go_to_the_target_through_loose_routes_with_rising_cseq) {
  auto d = dialog_from_request(parsed(invite_text), "ours1");
  ASSERT_TRUE(d);
  const auto bye = make_in_dialog_request(*d, "BYE", "<sip:callcenterd@pbx.example.com>");
  EXPECT_EQ(to_string(bye.request_uri()), "sip:1001@192.0.2.7:5070;transport=tcp");
  EXPECT_EQ(bye.header_values("Route"),
            (std::vector<std::string>{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"}));
  EXPECT_EQ(header_tag(bye, "From"), "ours1");
  EXPECT_EQ(header_tag(bye, "To"), "alice1");
  EXPECT_EQ(bye.header("CSeq"), "1 BYE");
  EXPECT_FALSE(bye.header("Contact")) << "BYE does not refresh the target";
  const auto reinvite = make_in_dialog_request(*d, "INVITE", "<sip:callcenterd@pbx.example.com>");
  EXPECT_EQ(reinvite.header("CSeq"), "2 INVITE");
  EXPECT_EQ(reinvite.header("Contact"), "<sip:callcenterd@pbx.example.com>");
  const auto ack = make_ack(*d, 2);
  EXPECT_EQ(ack.header("CSeq"), "2 ACK");
  EXPECT_EQ(d->local_cseq, 2U) << "an ACK takes no CSeq of its own";
}

TEST(dialog, a_strict_first_route_becomes_the_request_uri) {
  dialog d;
  d.call_id = "c";
  d.local_tag = "a";
  d.remote_tag = "b";
  d.local_uri = "<sip:a@example.com>";
  d.remote_uri = "<sip:b@example.com>";
  d.remote_target = *parse_uri("sip:b@192.0.2.9");
  d.route_set = {"<sip:strict.example.com>", "<sip:next.example.com;lr>"};
  const auto bye = make_in_dialog_request(d, "BYE", {});
  EXPECT_EQ(to_string(bye.request_uri()), "sip:strict.example.com");
  EXPECT_EQ(bye.header_values("Route"),
            (std::vector<std::string>{"<sip:next.example.com;lr>", "<sip:b@192.0.2.9>"}));
}

TEST(dialog, uac_side_reverses_the_route_set_and_takes_the_response_tag) {
  const auto invite = parsed(invite_text).message;
  const auto response = parsed(
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/TCP 192.0.2.7:5070;branch=z9hG4bK1\r\n"
      "Record-Route: <sip:p1.example.com;lr>\r\n"
      "Record-Route: <sip:p2.example.com;lr>\r\n"
      "From: \"Alice\" <sip:1001@pbx.example.com>;tag=alice1\r\n"
      "To: <sip:8000@pbx.example.com>;tag=bob9\r\n"
      "Call-ID: c1@192.0.2.7\r\n"
      "CSeq: 7 INVITE\r\n"
      "Contact: <sip:8000@192.0.2.8>\r\n"
      "Content-Length: 0\r\n\r\n");
  const auto d = dialog_from_response(invite, response);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->local_tag, "alice1");
  EXPECT_EQ(d->remote_tag, "bob9");
  EXPECT_EQ(d->route_set,
            (std::vector<std::string>{"<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"}));
  EXPECT_EQ(d->local_cseq, 7U);
  EXPECT_EQ(to_string(d->remote_target), "sip:8000@192.0.2.8");
  const auto ack = make_ack(*d, 7);
  EXPECT_EQ(ack.header("To"), "<sip:8000@pbx.example.com>;tag=bob9");
}

TEST(dialog, remote_cseq_must_rise) {
  auto d = dialog_from_request(parsed(invite_text), "ours1");
  ASSERT_TRUE(d);
  auto request = parsed(invite_text).message;
  request.set_header("CSeq", "7 BYE");
  EXPECT_FALSE(accept_remote_cseq(*d, request));
  request.set_header("CSeq", "8 BYE");
  EXPECT_TRUE(accept_remote_cseq(*d, request));
  EXPECT_FALSE(accept_remote_cseq(*d, request)) << "the same CSeq twice";
}

TEST(dialog, missing_contact_is_refused_and_refresh_keeps_the_old_target) {
  auto without_contact = parsed(invite_text);
  without_contact.message.remove_headers("Contact");
  EXPECT_FALSE(dialog_from_request(without_contact, "t"));
  auto d = dialog_from_request(parsed(invite_text), "ours1");
  ASSERT_TRUE(d);
  refresh_target(*d, without_contact);
  EXPECT_EQ(to_string(d->remote_target), "sip:1001@192.0.2.7:5070;transport=tcp");
  auto moved = parsed(invite_text);
  moved.message.set_header("Contact", "<sip:1001@198.51.100.4:6000>");
  refresh_target(*d, moved);
  EXPECT_EQ(to_string(d->remote_target), "sip:1001@198.51.100.4:6000");
}

TEST(dialog, tagged_responses_keep_one_tag_and_never_replace_one) {
  const auto request = parsed(invite_text).message;
  const auto ringing = make_tagged_response(request, 180, {}, "ours1", "callcenterd");
  EXPECT_EQ(header_tag(ringing, "To"), "ours1");
  EXPECT_EQ(ringing.header("Server"), "callcenterd");
  const auto trying = make_tagged_response(request, 100, {}, "ours1", {});
  EXPECT_EQ(header_tag(trying, "To"), "") << "100 Trying carries no tag";
  auto in_dialog = request;
  in_dialog.set_header("To", "<sip:8000@pbx.example.com>;tag=theirs");
  EXPECT_EQ(header_tag(make_tagged_response(in_dialog, 200, {}, "ours1", {}), "To"), "theirs");
  EXPECT_NE(new_token(), new_token());
}

}  // namespace
}  // namespace callcenterd::sip
