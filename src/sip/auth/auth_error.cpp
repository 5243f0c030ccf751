#include "callcenterd/sip/auth_error.hpp"

#include <string>

namespace callcenterd::sip {
namespace {

class auth_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.sip.auth"; }

  std::string message(int value) const override {
    switch (static_cast<auth_errc>(value)) {
      case auth_errc::not_digest:
        return "authentication scheme is not Digest";
      case auth_errc::value_too_long:
        return "authentication header or parameter exceeds the length limit";
      case auth_errc::too_many_params:
        return "too many authentication parameters";
      case auth_errc::bad_syntax:
        return "malformed authentication header";
      case auth_errc::duplicate_param:
        return "authentication parameter given twice";
      case auth_errc::missing_param:
        return "required authentication parameter missing";
      case auth_errc::bad_param_value:
        return "malformed authentication parameter value";
      case auth_errc::no_usable_challenge:
        return "no challenge with a supported algorithm and qop";
      case auth_errc::no_credentials:
        return "no Digest credentials for this realm";
      case auth_errc::bad_client_credentials:
        return "local credentials contain characters that cannot be sent";
    }
    return "unknown authentication error";
  }
};

}  // namespace

const boost::system::error_category& auth_category() noexcept {
  static const auth_category_impl category;
  return category;
}

boost::system::error_code make_error_code(auth_errc e) noexcept {
  return {static_cast<int>(e), auth_category()};
}

}  // namespace callcenterd::sip
