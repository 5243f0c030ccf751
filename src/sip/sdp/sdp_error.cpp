#include <string>

#include "callcenterd/sip/sdp.hpp"

namespace callcenterd::sip::sdp {
namespace {

class sdp_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.sdp"; }

  std::string message(int value) const override {
    switch (static_cast<sdp_errc>(value)) {
      case sdp_errc::too_large:
        return "SDP body exceeds the size limit";
      case sdp_errc::too_many_media:
        return "SDP body has too many media sections";
      case sdp_errc::too_many_attributes:
        return "SDP section has too many attributes or repeated lines";
      case sdp_errc::bad_line:
        return "malformed SDP line";
      case sdp_errc::bad_version:
        return "SDP does not start with v=0";
      case sdp_errc::missing_line:
        return "SDP lacks a required o=, s= or t= line";
      case sdp_errc::duplicate_line:
        return "SDP line repeated where only one is allowed";
      case sdp_errc::misplaced_line:
        return "SDP line in the wrong section";
      case sdp_errc::bad_origin:
        return "malformed SDP origin (o=)";
      case sdp_errc::bad_connection:
        return "malformed SDP connection (c=)";
      case sdp_errc::bad_bandwidth:
        return "malformed SDP bandwidth (b=)";
      case sdp_errc::bad_timing:
        return "malformed SDP timing (t= or r=)";
      case sdp_errc::bad_media:
        return "malformed SDP media line (m=)";
      case sdp_errc::bad_attribute:
        return "malformed SDP attribute (a=)";
      case sdp_errc::missing_connection:
        return "SDP media without a connection address";
      case sdp_errc::no_acceptable_media:
        return "no acceptable media in the SDP offer";
      case sdp_errc::answer_mismatch:
        return "SDP answer does not match the offer's media lines";
      case sdp_errc::answer_codec_not_offered:
        return "SDP answer accepts a stream without an offered codec";
      case sdp_errc::unusable_address:
        return "SDP stream has no IP address to send to";
      case sdp_errc::bad_ice_dtls:
        return "missing or conflicting ICE/DTLS attributes";
      case sdp_errc::bad_capabilities:
        return "media capabilities cannot produce valid SDP";
    }
    return "unknown SDP error";
  }
};

}  // namespace

const boost::system::error_category& sdp_category() noexcept {
  static const sdp_category_impl category;
  return category;
}

boost::system::error_code make_error_code(sdp_errc e) noexcept {
  return {static_cast<int>(e), sdp_category()};
}

}  // namespace callcenterd::sip::sdp
