// The interpreter's own cost: S flow sessions at once walk a flow of expressions, branches,
// prompts and a menu on one thread, against a channel that answers at once (speech rendered,
// prompts played out, a key pressed when a menu waits). Reports nodes per second and the
// memory a session holds while it waits in a menu. No media, no SIP, no database: what is
// left is what the interpreter adds per step.
//
//   flow_step_bench [sessions] [steps per session] [waiting sessions]
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "callcenterd/config/flow_loader.hpp"
#include "callcenterd/ivr/flow_session.hpp"

namespace ivr = callcenterd::ivr;
namespace config = callcenterd::config;
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

// Every tenth pass a menu waits for a key; the other nodes compute, branch and speak.
constexpr const char* bench_flow = R"yaml(flows:
  main:
    start: count
    nodes:
      count: {set: {n: "n + 1", label: "'pass ' + str(n) + ' of ' + caller_number"}, next: check}
      check:
        branch: [{if: "n % 10 == 0", go: menu}, {if: "len(label) > 200", go: done}]
        otherwise: choose
      choose: {switch: "n % 3", cases: {"0": greet, "1": greet}, otherwise: greet}
      greet: {play: ["Hello ${caller_number}.", {digits: "substr(label, 5, 2)"}], next: count}
      menu: {menu: "Press 1 to go on.", options: {"1": count}, timeout: 5s}
      done: {hangup: done}
)yaml";

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      status >> kib;
      return kib;
    }
    std::getline(status, key);
  }
  return 0;
}

// Answers every request of its session at once, through the io_context, as a call would.
class instant_channel final : public ivr::flow_channel {
 public:
  instant_channel(asio::io_context& io, std::size_t steps_before_hang_up, bool press_keys)
      : io_(io), budget_(steps_before_hang_up), press_keys_(press_keys) {}

  void attach(ivr::flow_session& session) { session_ = &session; }

  bool play(const std::shared_ptr<const callcenterd::media::prompt>&, bool) override {
    asio::post(io_, [this] { session_->on_playback_done(false); });
    return true;
  }
  void stop_playing() override {}
  void speak(std::uint64_t token, std::string, callcenterd::media::speech_language) override {
    asio::post(io_, [this, token] { session_->on_speech(token, audio()); });
  }
  void start_timer(std::uint64_t, std::chrono::milliseconds) override {
    // A menu waits: the caller answers at once, or (waiting sessions) never.
    if (press_keys_) asio::post(io_, [this] { session_->on_key('1'); });
  }
  void connect(const ivr::connect_target&) override {}
  void lookup(std::uint64_t, const config::query_settings&, std::vector<ivr::value>) override {}
  void hang_up(std::string_view) override {}
  void record_step(const ivr::flow_step& step) override {
    if (step.what != ivr::flow_step::kind::entered) return;
    ++steps_;
    if (steps_ == budget_) asio::post(io_, [this] { session_->on_caller_gone(); });
  }

  [[nodiscard]] std::size_t steps() const { return steps_; }

 private:
  static const std::shared_ptr<const callcenterd::media::prompt>& audio() {
    static const auto prompt =
        callcenterd::media::prompt::from_samples(std::vector<std::int16_t>(160, 0));
    return prompt;
  }

  asio::io_context& io_;
  ivr::flow_session* session_ = nullptr;
  std::size_t budget_;
  bool press_keys_;
  std::size_t steps_ = 0;
};

// Runs what is ready until nothing is: waiting sessions keep the io_context from running out
// of work, so run() would never return.
void drain(asio::io_context& io) {
  while (io.poll() > 0) {
  }
}

struct running_session {
  std::unique_ptr<instant_channel> channel;
  std::unique_ptr<ivr::flow_session> session;
};

std::vector<running_session> start_sessions(asio::io_context& io,
                                            const std::shared_ptr<const ivr::flow_set>& flows,
                                            std::size_t count, std::size_t steps, bool keys) {
  std::vector<running_session> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    running_session r;
    r.channel = std::make_unique<instant_channel>(io, steps, keys);
    r.session = ivr::flow_session::create(
        asio::make_strand(io), *r.channel,
        ivr::flow_session_settings{
            .flows = flows,
            .flow = "main",
            .variables = {{"caller_number", ivr::value("1380000" + std::to_string(i))},
                          {"n", ivr::value(0)}},
            .clock = {}});
    r.channel->attach(*r.session);
    r.session->start();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t sessions = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000;
  const std::size_t steps = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
  const std::size_t waiting = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 10000;

  auto loaded = config::load_flow_texts({{"bench.yaml", bench_flow}});
  if (!loaded) {
    std::fprintf(stderr, "flow: %s\n", loaded.errors().front().to_string().c_str());
    return 1;
  }
  auto compiled = ivr::flow_set::blocking_compile(std::move(loaded).flows(), {});
  if (auto* problems = std::get_if<std::vector<ivr::flow_problem>>(&compiled)) {
    std::fprintf(stderr, "flow: %s\n", problems->front().to_string().c_str());
    return 1;
  }
  const auto flows = std::get<std::shared_ptr<const ivr::flow_set>>(compiled);

  {
    asio::io_context io;
    const auto start = clock_type::now();
    auto running = start_sessions(io, flows, sessions, steps, true);
    drain(io);
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    std::size_t total = 0;
    for (const auto& r : running) total += r.channel->steps();
    std::printf(
        "walk: %zu sessions x %zu nodes = %zu nodes in %.3f s on one thread: %.0f nodes/s,"
        " %.2f us per node\n",
        sessions, steps, total, seconds, double(total) / seconds, seconds * 1e6 / double(total));
  }
  {
    asio::io_context io;
    const long before = rss_kib();
    // Each session walks to its first menu (the tenth pass) and waits there for a key.
    auto running = start_sessions(io, flows, waiting, steps, false);
    drain(io);
    const long after = rss_kib();
    std::printf("wait: %zu sessions in a menu hold %ld KiB more RSS: %.1f KiB per session\n",
                waiting, after - before, double(after - before) / double(waiting));
    for (auto& r : running) r.session->on_caller_gone();
    drain(io);
  }
  return 0;
}
