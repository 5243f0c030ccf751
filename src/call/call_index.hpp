#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "callcenterd/sip/stack.hpp"

namespace callcenterd::call::detail {

class call;

/// Finds the call a message belongs to: by dialog (Call-ID and our tag, which together are
/// unique because every leg gets a fresh tag of ours) and by the server transaction of an
/// INVITE (for CANCEL and a 2xx never ACKed, which carry no usable tag). It also owns the
/// calls: adding an entry keeps the call alive until remove_call(). Thread-safe.
class call_index {
 public:
  void add_dialog(std::string_view call_id, std::string_view local_tag,
                  const std::shared_ptr<call>& owner);
  void add_invite(sip::server_handle invite, const std::shared_ptr<call>& owner);
  /// Makes the call findable by its UUID (the ACD's name for it).
  void add_uuid(const std::string& uuid, const std::shared_ptr<call>& owner);
  void remove_invite(sip::server_handle invite);
  /// Hands the dialog (call_id, local_tag) of `from` to `to`, as an attended transfer moves a
  /// leg between calls. False, with nothing changed, when `to` has left the index (it ended).
  bool move_dialog(std::string_view call_id, std::string_view local_tag, const call* from,
                   const std::shared_ptr<call>& to);
  /// Removes every entry of `owner`, and with it the index's ownership of the call.
  void remove_call(const call* owner);

  std::shared_ptr<call> find_dialog(std::string_view call_id, std::string_view local_tag) const;
  std::shared_ptr<call> find_invite(sip::server_handle invite) const;
  std::shared_ptr<call> find_uuid(const std::string& uuid) const;
  /// Drops every entry: the calls that are still waiting for messages are released.
  void clear();
  /// Every call now, for hang_up_all().
  std::vector<std::shared_ptr<call>> all() const;

 private:
  static std::string dialog_key(std::string_view call_id, std::string_view local_tag);
  static std::uint64_t invite_key(sip::server_handle invite);

  // What the index holds for one call: the call itself (a call lives while it is here, since
  // it waits for messages most of its life) and its keys, so remove_call() needs no scan.
  struct owned_call {
    std::shared_ptr<call> owner;
    std::vector<std::string> dialog_keys;
    std::vector<std::uint64_t> invite_keys;
    std::string uuid;
  };

  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<call>> dialogs_;
  std::unordered_map<std::uint64_t, std::weak_ptr<call>> invites_;
  std::unordered_map<std::string, std::weak_ptr<call>> uuids_;
  std::unordered_map<const call*, owned_call> calls_;
};

}  // namespace callcenterd::call::detail
