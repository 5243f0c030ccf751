#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "callcenterd/sip/message.hpp"
#include "callcenterd/sip/registrar.hpp"

namespace callcenterd::sip::ua_detail {

/// One Contact of a REGISTER with its expiry settled (expires parameter, else the Expires
/// header, else the default; capped at max_expires).
struct contact_request {
  std::string uri;  ///< canonical text of the Contact URI, the binding's key
  std::uint32_t expires = 0;
  std::uint16_t q_milli = 1000;
  std::string instance_id;
  std::uint32_t reg_id = 0;
};

/// What a REGISTER asks for once its headers are checked (RFC 3261 §10.3 steps 5 and 6).
struct register_request {
  bool wildcard = false;  ///< `Contact: *` with Expires 0: remove every binding
  std::vector<contact_request> contacts;
  std::string call_id;
  std::uint32_t cseq = 0;
};

/// Why a REGISTER is refused before its bindings are looked at.
struct register_refusal {
  int status = 400;
  std::string_view reason;  ///< a static string
};

/// Checks Expires, CSeq and every Contact of `message`. A non-zero expiry below min_expires is
/// refused with 423 (the caller adds Min-Expires). Pure function; any strand.
boost::system::result<register_request, register_refusal> read_register(
    const sip_message& message, const registrar_settings& settings);

/// q as thousandths: "0" to "1" with up to three decimals (RFC 3261 §20.10).
std::optional<std::uint16_t> parse_q(std::string_view text);

}  // namespace callcenterd::sip::ua_detail
