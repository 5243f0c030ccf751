#include "callcenterd/sip/outbound_registration.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <charconv>

#include "callcenterd/sip/dialog.hpp"
#include "callcenterd/sip/header_values.hpp"
#include "callcenterd/sip/resolve.hpp"

namespace callcenterd::sip {

namespace asio = boost::asio;
using std::chrono::seconds;

namespace {

std::optional<seconds> seconds_in(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  std::uint32_t value = 0;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return seconds(value);
}

// What the registrar granted: our Contact's expires parameter, else the Expires header.
std::optional<seconds> granted_expiry(const sip_message& response, const std::string& user) {
  for (const auto& value : response.header_values("Contact")) {
    const auto contact = parse_name_addr(value);
    if (contact && contact->uri.user == user) {
      const auto expires = find_param(contact->params, "expires");
      if (auto found =
              seconds_in(expires ? std::optional<std::string_view>(*expires) : std::nullopt)) {
        return found;
      }
    }
  }
  return seconds_in(response.header("Expires"));
}

}  // namespace

outbound_registration::outbound_registration(asio::io_context& io, sip_stack& stack,
                                             outbound_registration_settings settings)
    : strand_(asio::make_strand(io)),
      stack_(stack),
      settings_(std::move(settings)),
      timer_(strand_),
      call_id_(new_token()),
      from_tag_(new_token()),
      expires_(settings_.expires),
      retry_delay_(settings_.retry_delay) {}

void outbound_registration::start() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->resolve(); });
}

void outbound_registration::stop() {
  asio::dispatch(strand_, [self = shared_from_this()] {
    if (self->stopped_) return;
    self->stopped_ = true;
    self->timer_.cancel();
    if (self->registered_.exchange(false)) self->send_register(seconds(0), std::nullopt);
  });
}

void outbound_registration::resolve() {
  if (stopped_) return;
  resolve_peer(strand_, settings_.host, settings_.port,
               [self = shared_from_this()](boost::system::error_code error,
                                           const asio::ip::address& address) {
                 self->on_address(error, address);
               });
}

void outbound_registration::on_address(boost::system::error_code error,
                                       const asio::ip::address& address) {
  if (stopped_) return;
  if (error) {
    fail("host " + settings_.host + " does not resolve");
    return;
  }
  path_ = stack_.flow_to(settings_.transport, address, settings_.port);
  if (!path_) {
    fail("no " + std::string(config_name(settings_.transport)) + " listener reaches it");
    return;
  }
  authenticated_attempt_ = false;
  send_register(expires_, std::nullopt);
}

void outbound_registration::send_register(seconds expires,
                                          std::optional<sip_header> authorization) {
  if (!path_) return;
  const auto& user = settings_.credentials.username;
  auto uri = parse_uri("sip:" + settings_.host + ":" + std::to_string(settings_.port));
  if (!uri) return;
  const auto aor = "<sip:" + user + "@" + settings_.host + ">";
  std::string contact = "<sip:" + user + "@" + stack_.contact_host_port(*path_);
  if (settings_.transport != transport_kind::udp) {
    contact += ";transport=" + std::string(config_name(settings_.transport));
  }
  contact += ">";
  auto request = sip_message::make_request("REGISTER", *uri);
  request.add_header("From", aor + ";tag=" + from_tag_);
  request.add_header("To", aor);
  request.add_header("Call-ID", call_id_);
  request.add_header("CSeq", std::to_string(++cseq_) + " REGISTER");
  request.add_header("Contact", contact);
  request.add_header("Expires", std::to_string(expires.count()));
  if (authorization) request.add_header(authorization->name, authorization->value);
  const auto generation = ++generation_;
  stack_.send_request(std::move(request), *path_,
                      [self = shared_from_this(), generation](const client_event& event) {
                        asio::post(self->strand_, [self, event, generation] {
                          self->on_response(event, generation);
                        });
                      });
}

void outbound_registration::on_response(const client_event& event, std::uint64_t generation) {
  if (generation != generation_ || stopped_) return;
  if (event.timed_out()) {
    fail("no answer from " + settings_.host);
    return;
  }
  const auto& response = event.response.message;
  const int status = response.status();
  if (status < 200) return;
  if (status < 300) {
    on_registered(response);
    return;
  }
  if ((status == 401 || status == 407) && !authenticated_attempt_) {
    const auto uri = "sip:" + settings_.host + ":" + std::to_string(settings_.port);
    auto answer = authorize(challenge_values(response), settings_.credentials,
                            {.method = "REGISTER", .uri = uri, .nc = 1}, random_cnonce);
    if (!answer) {
      fail("cannot answer its challenge: " + answer.error().message());
      return;
    }
    authenticated_attempt_ = true;
    send_register(expires_,
                  sip_header{std::string(authorization_header_name(status)), std::move(*answer)});
    return;
  }
  if (status == 423) {
    if (auto minimum = seconds_in(response.header("Min-Expires"))) {
      expires_ = *minimum;
      authenticated_attempt_ = false;
      send_register(expires_, std::nullopt);
      return;
    }
  }
  fail(std::to_string(status) + " " + response.reason());
}

void outbound_registration::on_registered(const sip_message& response) {
  const auto granted = granted_expiry(response, settings_.credentials.username).value_or(expires_);
  if (!registered_.exchange(true)) {
    spdlog::info("trunk {}: registered with {} for {} s", settings_.name, settings_.host,
                 granted.count());
  }
  retry_delay_ = settings_.retry_delay;
  authenticated_attempt_ = false;
  schedule(std::max(seconds(1), granted * 3 / 4));
}

void outbound_registration::fail(const std::string& why) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  registered_.store(false, std::memory_order_relaxed);
  spdlog::warn("trunk {}: registration failed ({}); retrying in {} s", settings_.name, why,
               retry_delay_.count());
  authenticated_attempt_ = false;
  schedule(retry_delay_);
  retry_delay_ = std::min(retry_delay_ * 2, settings_.max_retry_delay);
}

void outbound_registration::schedule(seconds after) {
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->resolve();
  });
}

}  // namespace callcenterd::sip
