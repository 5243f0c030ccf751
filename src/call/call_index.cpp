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
  calls_.try_emplace(owner.get(), owner);
  dialog_keys_of_[owner.get()].push_back(key);
  dialogs_[std::move(key)] = owner;
}

void call_index::add_invite(sip::server_handle invite, const std::shared_ptr<call>& owner) {
  const auto key = invite_key(invite);
  const std::lock_guard lock(mutex_);
  calls_.try_emplace(owner.get(), owner);
  invite_keys_of_[owner.get()].push_back(key);
  invites_[key] = owner;
}

void call_index::remove_invite(sip::server_handle invite) {
  const std::lock_guard lock(mutex_);
  invites_.erase(invite_key(invite));
}

void call_index::remove_call(const call* owner) {
  const std::lock_guard lock(mutex_);
  if (auto keys = dialog_keys_of_.extract(owner)) {
    for (const auto& key : keys.mapped()) dialogs_.erase(key);
  }
  if (auto keys = invite_keys_of_.extract(owner)) {
    for (const auto key : keys.mapped()) invites_.erase(key);
  }
  calls_.erase(owner);
}

void call_index::clear() {
  const std::lock_guard lock(mutex_);
  dialogs_.clear();
  invites_.clear();
  calls_.clear();
  dialog_keys_of_.clear();
  invite_keys_of_.clear();
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

std::vector<std::shared_ptr<call>> call_index::all() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<call>> out;
  out.reserve(calls_.size());
  for (const auto& [raw, owner] : calls_) out.push_back(owner);
  return out;
}

}  // namespace callcenterd::call::detail
