#include "callcenterd/sip/error.hpp"

#include <string>

namespace callcenterd::sip {
namespace {

class sip_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.sip"; }

  std::string message(int value) const override {
    switch (static_cast<sip_errc>(value)) {
      case sip_errc::message_too_large:
        return "SIP message exceeds the size limit";
      case sip_errc::too_many_headers:
        return "SIP message has too many headers";
      case sip_errc::header_too_long:
        return "SIP header line exceeds the length limit";
      case sip_errc::bad_start_line:
        return "malformed SIP start line";
      case sip_errc::bad_version:
        return "unsupported SIP version";
      case sip_errc::bad_method:
        return "malformed SIP method";
      case sip_errc::bad_status:
        return "malformed SIP status code";
      case sip_errc::bad_header:
        return "malformed SIP header line";
      case sip_errc::bad_content_length:
        return "malformed or inconsistent Content-Length";
      case sip_errc::incomplete:
        return "SIP message is incomplete";
      case sip_errc::bad_uri:
        return "malformed SIP URI";
      case sip_errc::bad_header_value:
        return "malformed SIP header value";
    }
    return "unknown SIP error";
  }
};

}  // namespace

const boost::system::error_category& sip_category() noexcept {
  static const sip_category_impl category;
  return category;
}

boost::system::error_code make_error_code(sip_errc e) noexcept {
  return {static_cast<int>(e), sip_category()};
}

}  // namespace callcenterd::sip
