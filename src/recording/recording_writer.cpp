#include "callcenterd/recording/recording_writer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "writer_core.hpp"

namespace callcenterd::recording {
namespace {

// The id becomes a file name: nothing that could climb out of the day's directory or hide.
bool usable_as_file_name(std::string_view id) {
  constexpr std::size_t max_length = 200;
  if (id.empty() || id.size() > max_length || id.front() == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

std::string two_digits(unsigned value) {
  std::array<char, 4> text{};
  std::snprintf(text.data(), text.size(), "%02u", value % 100);
  return text.data();
}

}  // namespace

std::filesystem::path recording_path(const std::filesystem::path& root, std::string_view call_uuid,
                                     std::chrono::system_clock::time_point start) {
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(start)};
  std::array<char, 8> year{};
  std::snprintf(year.data(), year.size(), "%04d", static_cast<int>(date.year()) % 10000);
  return root / year.data() / two_digits(static_cast<unsigned>(date.month())) /
         two_digits(static_cast<unsigned>(date.day())) / (std::string(call_uuid) + ".wav");
}

// ---- recording_file ----

recording_file::recording_file(std::shared_ptr<detail::writer_core> core,
                               std::shared_ptr<detail::recording_state> state)
    : core_(std::move(core)), state_(std::move(state)) {}

recording_file::~recording_file() {
  if (!state_->close_requested.load()) core_->close(state_, nullptr);
}

void recording_file::write(std::vector<std::int16_t> interleaved) {
  core_->write(state_, std::move(interleaved));
}

void recording_file::close(std::function<void(const recording_result&)> done) {
  core_->close(state_, std::move(done));
}

const std::string& recording_file::call_uuid() const noexcept { return state_->call_uuid; }

const std::filesystem::path& recording_file::path() const noexcept { return state_->path; }

bool recording_file::failed() const noexcept { return state_->failed.load(); }

// ---- recording_writer ----

recording_writer::recording_writer(recording_writer_settings settings)
    : core_(std::make_shared<detail::writer_core>(std::move(settings))) {}

recording_writer::~recording_writer() { stop(); }

std::shared_ptr<recording_file> recording_writer::open(
    std::string call_uuid, std::chrono::system_clock::time_point start) {
  const bool usable = usable_as_file_name(call_uuid);
  auto path =
      usable ? recording_path(core_->settings.root, call_uuid, start) : std::filesystem::path();
  auto state =
      std::make_shared<detail::recording_state>(std::move(call_uuid), std::move(path), start);
  if (!usable) {
    state->failure = "call id \"" + state->call_uuid + "\" cannot name a recording file";
  }
  core_->open(state);
  return std::make_shared<recording_file>(core_, std::move(state));
}

void recording_writer::stop() { core_->stop(); }

const recording_writer_stats& recording_writer::stats() const noexcept { return core_->stats; }

const recording_writer_settings& recording_writer::settings() const noexcept {
  return core_->settings;
}

}  // namespace callcenterd::recording
