#include "callcenterd/sip/registrar.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "callcenterd/sip/dialog.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "register_request.hpp"

namespace callcenterd::sip {

namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

}  // namespace

void account_directory::replace(std::vector<sip_account> accounts) {
  std::unordered_map<std::string, sip_account> next;
  next.reserve(accounts.size());
  for (auto& a : accounts) {
    auto key = a.extension;
    next.emplace(std::move(key), std::move(a));
  }
  const std::unique_lock lock(mutex_);
  accounts_.swap(next);
}

std::optional<sip_account> account_directory::find(std::string_view extension) const {
  const std::shared_lock lock(mutex_);
  const auto it = accounts_.find(std::string(extension));
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

std::size_t account_directory::size() const {
  const std::shared_lock lock(mutex_);
  return accounts_.size();
}

registrar::registrar(registrar_settings settings, request_authenticator& auth, binding_sink sink)
    : settings_(std::move(settings)), auth_(auth), sink_(std::move(sink)) {}

std::optional<sip_message> registrar::handle_register(const received_message& request,
                                                      system_clock::time_point now) {
  const auto& message = request.message;
  const auto& server = settings_.user_agent;
  const auto refuse = [&](int status, std::string_view reason) {
    {
      const std::lock_guard lock(mutex_);
      ++stats_.rejected;
    }
    auto response = make_tagged_response(message, status, reason, new_token(), server);
    if (status == 423) {
      response.add_header("Min-Expires", std::to_string(settings_.min_expires.count()));
    }
    return response;
  };

  const auto to = parse_name_addr(message.header("To").value_or(""));
  if (!to) return refuse(400, "Bad To Header");
  const std::string extension = to->uri.user;
  if (extension.empty()) return refuse(404, "Not Found");

  auto auth = auth_.authenticate(request, std::string_view(extension));
  if (auth.what != auth_result::kind::authenticated) return std::move(auth.response);

  const auto wanted = ua_detail::read_register(message, settings_);
  if (!wanted) return refuse(wanted.error().status, wanted.error().reason);

  auto changes = update_bindings(extension, *wanted, request, now);
  if (!changes) return refuse(changes.error().status, changes.error().reason);
  auto current = std::move(changes->second);
  publish(std::move(changes->first));

  auto response = make_tagged_response(message, 200, "OK", new_token(), server);
  for (const auto& b : current) {
    const auto left = std::chrono::duration_cast<seconds>(b.expires_at - now).count();
    response.add_header("Contact",
                        fmt::format("<{}>;expires={}", b.contact, std::max<long>(left, 0)));
  }
  response.add_header("Date", fmt::format("{:%a, %d %b %Y %H:%M:%S} GMT",
                                          fmt::gmtime(system_clock::to_time_t(now))));
  return response;
}

auto registrar::update_bindings(const std::string& extension,
                                const ua_detail::register_request& wanted,
                                const received_message& request, system_clock::time_point now)
    -> boost::system::result<std::pair<binding_changes, std::vector<binding>>,
                             ua_detail::register_refusal> {
  const std::lock_guard lock(mutex_);
  const auto found = aors_.find(extension);
  // Work on a copy: a refused request changes nothing.
  auto bindings = found != aors_.end() ? found->second.bindings : std::vector<binding>{};
  const auto stored = bindings.size();
  std::erase_if(bindings, [&](const binding& b) { return b.expires_at <= now; });
  // A retransmitted or reordered REGISTER must not roll a binding back (§10.3 step 7).
  const auto out_of_order = [&](const binding& b) {
    return b.call_id == wanted.call_id && b.cseq >= wanted.cseq;
  };
  const ua_detail::register_refusal reordered{500, "Out Of Order Request"};

  binding_changes changes;
  std::size_t removed = 0;
  if (wanted.wildcard) {
    if (std::any_of(bindings.begin(), bindings.end(), out_of_order)) return reordered;
    for (const auto& b : bindings) changes.removals.emplace_back(extension, b.contact);
    removed = bindings.size();
    bindings.clear();
  }
  const auto user_agent = std::string(request.message.header("User-Agent").value_or(""));
  for (const auto& c : wanted.contacts) {
    const auto it = std::find_if(bindings.begin(), bindings.end(),
                                 [&](const binding& b) { return b.contact == c.uri; });
    if (it != bindings.end() && out_of_order(*it)) return reordered;
    if (c.expires == 0) {
      if (it != bindings.end()) {
        changes.removals.emplace_back(extension, it->contact);
        bindings.erase(it);
        ++removed;
      }
      continue;
    }
    binding b{extension,
              c.uri,
              request.source,
              wanted.call_id,
              wanted.cseq,
              c.instance_id,
              c.reg_id,
              c.q_milli,
              user_agent,
              now,
              now + seconds(c.expires)};
    if (it != bindings.end()) {
      *it = b;
    } else {
      bindings.push_back(b);
    }
    changes.upserts.push_back(std::move(b));
  }
  if (bindings.size() > settings_.max_contacts) {
    return ua_detail::register_refusal{403, "Too Many Contacts"};
  }

  stats_.unregistrations += removed;
  ++stats_.registrations_ok;
  binding_count_ = binding_count_ - stored + bindings.size();
  std::vector<binding> current = bindings;
  if (bindings.empty()) {
    if (found != aors_.end()) aors_.erase(found);
  } else {
    aors_[extension].bindings = std::move(bindings);
  }
  return std::pair{std::move(changes), std::move(current)};
}

std::vector<binding> registrar::lookup(std::string_view extension,
                                       system_clock::time_point now) const {
  std::vector<binding> out;
  {
    const std::lock_guard lock(mutex_);
    const auto it = aors_.find(std::string(extension));
    if (it == aors_.end()) return out;
    for (const auto& b : it->second.bindings) {
      if (b.expires_at > now) out.push_back(b);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const binding& a, const binding& b) {
    if (a.q_milli != b.q_milli) return a.q_milli > b.q_milli;
    return a.registered_at > b.registered_at;
  });
  return out;
}

void registrar::restore(std::vector<binding> bindings, system_clock::time_point now) {
  const std::lock_guard lock(mutex_);
  for (auto& b : bindings) {
    if (b.expires_at <= now) continue;
    auto& entry = aors_[b.extension];
    entry.bindings.push_back(std::move(b));
    ++binding_count_;
  }
}

void registrar::expire(system_clock::time_point now) {
  const auto removed = remove_bindings_if([now](const binding& b) { return b.expires_at <= now; });
  const std::lock_guard lock(mutex_);
  stats_.expired += removed;
}

void registrar::connection_closed(const flow& connection) {
  if (connection.transport != transport_kind::ws && connection.transport != transport_kind::wss) {
    return;
  }
  remove_bindings_if(
      [&](const binding& b) { return b.path.connection_id == connection.connection_id; });
}

std::size_t registrar::remove_bindings_if(const std::function<bool(const binding&)>& doomed) {
  binding_changes changes;
  {
    const std::lock_guard lock(mutex_);
    for (auto it = aors_.begin(); it != aors_.end();) {
      std::erase_if(it->second.bindings, [&](const binding& b) {
        if (!doomed(b)) return false;
        changes.removals.emplace_back(b.extension, b.contact);
        return true;
      });
      it = it->second.bindings.empty() ? aors_.erase(it) : std::next(it);
    }
    binding_count_ -= changes.removals.size();
  }
  const auto removed = changes.removals.size();
  publish(std::move(changes));
  return removed;
}

registrar_stats registrar::stats() const {
  registrar_stats out;
  {
    const std::lock_guard lock(mutex_);
    out = stats_;
    out.bindings = binding_count_;
  }
  out.challenges = auth_.challenges();
  out.auth_failures = auth_.failures();
  out.throttled_drops = auth_.throttled();
  return out;
}

void registrar::publish(binding_changes changes) {
  if (sink_ && (!changes.upserts.empty() || !changes.removals.empty())) sink_(std::move(changes));
}

}  // namespace callcenterd::sip
