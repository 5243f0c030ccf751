#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "callcenterd/media/prompt.hpp"

namespace callcenterd::call {

/// Where a new call goes. Every member has its default, so a target is written with the
/// designated members it needs ({.what = kind::extension, .name = "1001"}).
struct call_target {
  enum class kind {
    flow,          ///< answer the caller and run the flow `name`
    queue,         ///< answer the caller and hand it to the queue `name`
    extension,     ///< ring the registered devices of an extension and bridge
    trunk,         ///< call `number` out through the trunk `name` and bridge
    reject,        ///< answer `status` with `reason`
    announcement,  ///< answer, play the greeting, hang up
  };
  kind what = kind::reject;
  /// The flow (flow), the queue (queue), the extension (extension) or the trunk (trunk).
  std::string name{};
  std::string number{};  ///< what is dialled out (trunk)
  int status = 404;
  std::string reason{};
  /// Extension or trunk targets: answer the caller first and play this, then ring. The
  /// whole of an announcement.
  std::shared_ptr<const media::prompt> greeting{};
  /// Whether the call is recorded once bridged.
  bool record = true;
  /// What a party of this call hears while the other holds; null: the daemon's default.
  std::shared_ptr<const media::prompt> hold_music{};

  friend bool operator==(const call_target&, const call_target&) = default;
};

/// A dialled number (DID) and where it goes, from configuration.
struct number_route {
  std::string number;
  call_target target;
};

/// Numbers that start with `prefix` go out through trunk `trunk`.
struct prefix_route {
  std::string prefix;
  std::string trunk;
};

/// Chooses the target of a new call from the user part of its Request-URI: a configured
/// number first, then an extension that exists, then the trunk with the longest matching
/// prefix. Immutable after construction, so any strand may use it; the daemon builds a new
/// one when configuration changes.
class dial_plan {
 public:
  /// Whether an extension exists (the account directory); must be thread-safe.
  using extension_lookup = std::function<bool(std::string_view extension)>;

  dial_plan() = default;
  dial_plan(std::vector<number_route> numbers, extension_lookup is_extension,
            std::vector<prefix_route> prefixes = {});

  /// The target for a call to `dialled` (the Request-URI user, escapes kept as written).
  /// A call that came in from a trunk never goes out through one: that would let a carrier's
  /// caller dial anywhere at our cost.
  call_target route(std::string_view dialled, bool from_trunk = false) const;

 private:
  std::unordered_map<std::string, call_target> numbers_;
  extension_lookup is_extension_;
  std::vector<prefix_route> prefixes_;  ///< longest prefix first
};

}  // namespace callcenterd::call
