#include "transport_fixture.hpp"

#include <fmt/format.h>

namespace callcenterd::sip::test {

void recording_listener::on_message(received_message message) {
  std::lock_guard lock(mutex_);
  messages_.push_back(std::move(message));
  changed_.notify_all();
}

void recording_listener::on_connection_closed(const flow& connection) {
  std::lock_guard lock(mutex_);
  closed_.push_back(connection);
  changed_.notify_all();
}

bool recording_listener::wait_messages(std::size_t count,
                                       std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
}

bool recording_listener::wait_closed(std::size_t count,
                                     std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return closed_.size() >= count; });
}

std::vector<received_message> recording_listener::messages() {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::vector<flow> recording_listener::closed() {
  std::lock_guard lock(mutex_);
  return closed_;
}

transport_fixture::transport_fixture() : work_(std::in_place, io_.get_executor()) {
  for (int i = 0; i < 2; ++i) {
    threads_.emplace_back([this] {
      io_.run();
      ++finished_;
    });
  }
}

transport_fixture::~transport_fixture() {
  EXPECT_TRUE(stop_and_join()) << "io_context::run() did not return after stop()";
}

bool transport_fixture::stop_and_join() {
  if (threads_.empty()) return true;
  if (manager_) manager_->stop();
  work_.reset();
  const bool returned = eventually([&] { return finished_ == 2; });
  if (!returned) io_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  return returned;
}

transport_settings transport_fixture::settings_for(std::initializer_list<transport_kind> kinds) {
  transport_settings settings;
  for (auto kind : kinds) settings.listen.push_back({kind, "127.0.0.1", 0});
  return settings;
}

void transport_fixture::start(transport_settings settings) {
  manager_.emplace(io_, std::move(settings), listener_);
  const auto ec = manager_->start();
  ASSERT_FALSE(ec) << ec.message() << ": " << manager_->last_error_detail();
}

flow transport_fixture::bound(transport_kind kind) const {
  for (const auto& f : manager_->bound()) {
    if (f.transport == kind) return f;
  }
  ADD_FAILURE() << "no listener for " << config_name(kind);
  return {};
}

bool transport_fixture::eventually(const std::function<bool()>& condition,
                                   std::chrono::steady_clock::duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

std::string make_request(std::string_view method, std::string_view transport, std::uint16_t port,
                         std::string_view branch, std::string_view body) {
  return fmt::format(
      "{0} sip:agent@127.0.0.1 SIP/2.0\r\n"
      "Via: SIP/2.0/{1} 127.0.0.1:{2};branch={3};rport\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:alice@example.org>;tag=a1\r\n"
      "To: <sip:agent@127.0.0.1>\r\n"
      "Call-ID: call-{3}\r\n"
      "CSeq: 1 {0}\r\n"
      "Content-Length: {4}\r\n"
      "\r\n{5}",
      method, transport, port, branch, body.size(), body);
}

std::string make_response(std::string_view transport, std::uint16_t port, std::string_view branch) {
  return fmt::format(
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/{0} 127.0.0.1:{1};branch={2};rport={1};received=127.0.0.1\r\n"
      "From: <sip:alice@example.org>;tag=a1\r\n"
      "To: <sip:agent@127.0.0.1>;tag=b2\r\n"
      "Call-ID: call-{2}\r\n"
      "CSeq: 1 OPTIONS\r\n"
      "Content-Length: 0\r\n"
      "\r\n",
      transport, port, branch);
}

}  // namespace callcenterd::sip::test
