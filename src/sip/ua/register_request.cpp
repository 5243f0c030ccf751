#include "register_request.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "callcenterd/sip/header_values.hpp"

namespace callcenterd::sip::ua_detail {

namespace {

std::optional<std::uint32_t> parse_number(std::string_view text) {
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::uint16_t> parse_q(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  unsigned milli = (text[0] == '1') ? 1000 : 0;
  if (text.size() == 1) return static_cast<std::uint16_t>(milli);
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  unsigned scale = 100;
  for (std::size_t i = 2; i < text.size(); ++i, scale /= 10) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    milli += static_cast<unsigned>(text[i] - '0') * scale;
  }
  if (milli > 1000) return std::nullopt;
  return static_cast<std::uint16_t>(milli);
}

boost::system::result<register_request, register_refusal> read_register(
    const sip_message& message, const registrar_settings& settings) {
  register_request out;
  auto default_expires = static_cast<std::uint32_t>(settings.default_expires.count());
  const auto expires_header = message.header("Expires");
  if (expires_header) {
    const auto value = parse_number(*expires_header);
    if (!value) return register_refusal{400, "Bad Expires Header"};
    default_expires = *value;
  }
  out.call_id = std::string(message.header("Call-ID").value_or(""));
  const auto cseq = parse_cseq(message.header("CSeq").value_or(""));
  if (!cseq) return register_refusal{400, "Bad CSeq Header"};
  out.cseq = cseq->number;

  const auto lines = message.header_values("Contact");
  if (std::find(lines.begin(), lines.end(), "*") != lines.end()) {
    // §10.3 step 6: `*` stands alone and only with Expires: 0.
    if (lines.size() != 1 || !expires_header || default_expires != 0) {
      return register_refusal{400, "Wildcard Contact Needs Expires 0"};
    }
    out.wildcard = true;
    return out;
  }
  const auto min = static_cast<std::uint32_t>(settings.min_expires.count());
  const auto max = static_cast<std::uint32_t>(settings.max_expires.count());
  for (const auto& line : lines) {
    const auto parsed = parse_name_addr(line);
    if (!parsed) return register_refusal{400, "Bad Contact Header"};
    contact_request c;
    c.uri = to_string(parsed->uri);
    c.expires = default_expires;
    if (const auto e = find_param(parsed->params, "expires")) {
      const auto value = parse_number(*e);
      if (!value) return register_refusal{400, "Bad Contact Expires"};
      c.expires = *value;
    }
    if (const auto q = find_param(parsed->params, "q")) {
      const auto milli = parse_q(*q);
      if (!milli) return register_refusal{400, "Bad Contact q"};
      c.q_milli = *milli;
    }
    c.instance_id = find_param(parsed->params, "+sip.instance").value_or("");
    if (const auto reg_id = find_param(parsed->params, "reg-id")) {
      c.reg_id = parse_number(*reg_id).value_or(0);
    }
    if (c.expires != 0 && c.expires < min) return register_refusal{423, "Interval Too Brief"};
    c.expires = std::min(c.expires, max);
    out.contacts.push_back(std::move(c));
  }
  return out;
}

}  // namespace callcenterd::sip::ua_detail
