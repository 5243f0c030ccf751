#include "callcenterd/sip/response_builder.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace callcenterd::sip {
namespace {

struct phrase {
  int status;
  std::string_view text;
};

// RFC 3261 §21 plus the codes of the extensions the daemon speaks (3265, 3903, 4028, 6228).
// Kept sorted by status for the binary search.
constexpr auto phrases = std::to_array<phrase>({
    {100, "Trying"},
    {180, "Ringing"},
    {181, "Call Is Being Forwarded"},
    {182, "Queued"},
    {183, "Session Progress"},
    {199, "Early Dialog Terminated"},
    {200, "OK"},
    {202, "Accepted"},
    {204, "No Notification"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Moved Temporarily"},
    {305, "Use Proxy"},
    {380, "Alternative Service"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {410, "Gone"},
    {412, "Conditional Request Failed"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Unsupported URI Scheme"},
    {420, "Bad Extension"},
    {421, "Extension Required"},
    {422, "Session Interval Too Small"},
    {423, "Interval Too Brief"},
    {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"},
    {482, "Loop Detected"},
    {483, "Too Many Hops"},
    {484, "Address Incomplete"},
    {485, "Ambiguous"},
    {486, "Busy Here"},
    {487, "Request Terminated"},
    {488, "Not Acceptable Here"},
    {489, "Bad Event"},
    {491, "Request Pending"},
    {493, "Undecipherable"},
    {500, "Server Internal Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Server Time-out"},
    {505, "Version Not Supported"},
    {513, "Message Too Large"},
    {580, "Precondition Failure"},
    {600, "Busy Everywhere"},
    {603, "Decline"},
    {604, "Does Not Exist Anywhere"},
    {606, "Not Acceptable"},
    {699, "Global Failure"},
});
static_assert(std::is_sorted(phrases.begin(), phrases.end(),
                             [](const phrase& a, const phrase& b) { return a.status < b.status; }));

void copy_first(const sip_message& from, sip_message& to, std::string_view name) {
  if (auto value = from.header(name)) to.add_header(std::string(name), std::string(*value));
}

}  // namespace

std::string_view default_reason_phrase(int status) {
  auto it = std::lower_bound(phrases.begin(), phrases.end(), status,
                             [](const phrase& p, int s) { return p.status < s; });
  if (it != phrases.end() && it->status == status) return it->text;
  switch (status / 100) {
    case 1:
      return "Provisional";
    case 2:
      return "Success";
    case 3:
      return "Redirection";
    case 4:
      return "Client Error";
    case 5:
      return "Server Error";
    default:
      return "Global Failure";
  }
}

sip_message make_response(const sip_message& request, int status, std::string_view reason) {
  auto response = sip_message::make_response(
      status, std::string(reason.empty() ? default_reason_phrase(status) : reason));
  // Each Via line is copied whole so the values keep their order and grouping.
  for (const auto& h : request.headers()) {
    if (same_header_name(h.name, "Via")) response.add_header("Via", h.value);
  }
  copy_first(request, response, "From");
  copy_first(request, response, "To");
  copy_first(request, response, "Call-ID");
  copy_first(request, response, "CSeq");
  return response;
}

}  // namespace callcenterd::sip
