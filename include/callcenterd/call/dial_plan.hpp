#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace callcenterd::call {

/// Where a new call goes.
struct call_target {
  enum class kind {
    answer_locally,  ///< an entry point (flow or queue): the call answers the caller itself
    extension,       ///< ring the registered devices of an extension and bridge
    reject,          ///< answer `status` with `reason`
  };
  kind what = kind::reject;
  /// The flow or queue name (answer_locally) or the extension (extension).
  std::string name;
  int status = 404;
  std::string reason;

  friend bool operator==(const call_target&, const call_target&) = default;
};

/// A dialled number (DID) and where it goes, from configuration.
struct number_route {
  std::string number;
  call_target target;
};

/// Chooses the target of a new call from the user part of its Request-URI: a configured
/// number first, then an extension that exists. Immutable after construction, so any strand
/// may use it; the daemon builds a new one when configuration changes.
class dial_plan {
 public:
  /// Whether an extension exists (the account directory); must be thread-safe.
  using extension_lookup = std::function<bool(std::string_view extension)>;

  dial_plan() = default;
  dial_plan(std::vector<number_route> numbers, extension_lookup is_extension);

  /// The target for a call to `dialled` (the Request-URI user, escapes kept as written).
  call_target route(std::string_view dialled) const;

 private:
  std::unordered_map<std::string, call_target> numbers_;
  extension_lookup is_extension_;
};

}  // namespace callcenterd::call
