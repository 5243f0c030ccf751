// The CRM's error category and the refusal value every CRM function returns.
#include "callcenterd/crm/crm_error.hpp"

#include <boost/system/system_error.hpp>

namespace callcenterd::crm {
namespace {

class crm_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "callcenterd.crm"; }
  std::string message(int value) const override {
    switch (static_cast<crm_errc>(value)) {
      case crm_errc::invalid_input:
        return "invalid input";
      case crm_errc::not_found:
        return "not found";
      case crm_errc::conflict:
        return "conflict";
      case crm_errc::refused_transition:
        return "status change not allowed";
      case crm_errc::too_large:
        return "too many rows";
    }
    return "unknown crm error";
  }
};

}  // namespace

const boost::system::error_category& crm_category() noexcept {
  static const crm_category_impl instance;
  return instance;
}

boost::system::error_code make_error_code(crm_errc e) noexcept {
  return {static_cast<int>(e), crm_category()};
}

crm_error make_crm_error(crm_errc code, std::string message, std::vector<crm_problem> problems) {
  return crm_error{make_error_code(code), std::move(message), std::move(problems)};
}

void throw_exception_from_error(const crm_error& e, const boost::source_location&) {
  throw boost::system::system_error(e.code, e.message);
}

}  // namespace callcenterd::crm
