#include "call_index.hpp"

#include <algorithm>

namespace callcenterd::call::detail {

std::string call_index::dialog_key(std::string_view call_id, std::string_view local_tag) {
  std::string key;
  key.reserve(call_id.size() + local_tag.size() + 1);
  key.append(call_id).push_back('\n');
  key.append(local_tag);
  return key;
}

std::uint64_t call_index::invite_key(sip::server_handle invite) {
  // Transaction ids count up from 1 per shard; 48 bits outlast any process.
  return (std::uint64_t{invite.shard} << 48) ^ invite.id;
}

void call_index::add_dialog(std::string_view call_id, std::string_view local_tag,
                            const std::shared_ptr<call>& owner) {
  auto key = dialog_key(call_id, local_tag);
  const std::lock_guard lock(mutex_);
  auto& owned = calls_[owner.get()];
  owned.owner = owner;
  owned.dialog_keys.push_back(key);
  dialogs_[std::move(key)] = owner;
}

void call_index::add_invite(sip::server_handle invite, const std::shared_ptr<call>& owner) {
  const auto key = invite_key(invite);
  const std::lock_guard lock(mutex_);
  auto& owned = calls_[owner.get()];
  owned.owner = owner;
  owned.invite_keys.push_back(key);
  invites_[key] = owner;
}

void call_index::add_uuid(const std::string& uuid, const std::shared_ptr<call>& owner) {
  const std::lock_guard lock(mutex_);
  auto& owned = calls_[owner.get()];
  owned.owner = owner;
  owned.uuid = uuid;
  uuids_[uuid] = owner;
}

void call_index::remove_invite(sip::server_handle invite) {
  const std::lock_guard lock(mutex_);
  invites_.erase(invite_key(invite));
}

bool call_index::move_dialog(std::string_view call_id, std::string_view local_tag, const call* from,
                             const std::shared_ptr<call>& to) {
  auto key = dialog_key(call_id, local_tag);
  const std::lock_guard lock(mutex_);
  const auto receiver = calls_.find(to.get());
  if (receiver == calls_.end()) return false;
  if (const auto giver = calls_.find(from); giver != calls_.end()) {
    std::erase(giver->second.dialog_keys, key);
  }
  receiver->second.dialog_keys.push_back(key);
  dialogs_[std::move(key)] = to;
  return true;
}

void call_index::remove_call(const call* owner) {
  const std::lock_guard lock(mutex_);
  const auto found = calls_.find(owner);
  if (found == calls_.end()) return;
  for (const auto& key : found->second.dialog_keys) dialogs_.erase(key);
  for (const auto key : found->second.invite_keys) invites_.erase(key);
  if (!found->second.uuid.empty()) uuids_.erase(found->second.uuid);
  calls_.erase(found);
}

void call_index::clear() {
  const std::lock_guard lock(mutex_);
  dialogs_.clear();
  invites_.clear();
  uuids_.clear();
  calls_.clear();
}

std::shared_ptr<call> call_index::find_dialog(std::string_view call_id,
                                              std::string_view local_tag) const {
  const auto key = dialog_key(call_id, local_tag);
  const std::lock_guard lock(mutex_);
  const auto found = dialogs_.find(key);
  return found == dialogs_.end() ? nullptr : found->second.lock();
}

std::shared_ptr<call> call_index::find_invite(sip::server_handle invite) const {
  const std::lock_guard lock(mutex_);
  const auto found = invites_.find(invite_key(invite));
  return found == invites_.end() ? nullptr : found->second.lock();
}

std::shared_ptr<call> call_index::find_uuid(const std::string& uuid) const {
  const std::lock_guard lock(mutex_);
  const auto found = uuids_.find(uuid);
  return found == uuids_.end() ? nullptr : found->second.lock();
}

std::vector<std::shared_ptr<call>> call_index::all() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<call>> out;
  out.reserve(calls_.size());
  for (const auto& [raw, owned] : calls_) out.push_back(owned.owner);
  return out;
}

}  // namespace callcenterd::call::detail
