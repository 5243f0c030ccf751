#include "callcenterd/core/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <array>
#include <chrono>
#include <ctime>
#include <memory>

namespace callcenterd::core {
namespace {

thread_local std::string tls_correlation_id;

void append_json_string(spdlog::memory_buf_t& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out.append(std::string_view("\\\""));
        break;
      case '\\':
        out.append(std::string_view("\\\\"));
        break;
      case '\n':
        out.append(std::string_view("\\n"));
        break;
      case '\r':
        out.append(std::string_view("\\r"));
        break;
      case '\t':
        out.append(std::string_view("\\t"));
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// ISO 8601 UTC with milliseconds: sortable, and unambiguous across time zones.
void append_timestamp(spdlog::memory_buf_t& out, spdlog::log_clock::time_point when) {
  const auto since_epoch = when.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t t = seconds.count();
  std::tm tm{};
  gmtime_r(&t, &tm);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 millis);
}

std::string_view level_name(spdlog::level::level_enum level) {
  const auto name = spdlog::level::to_string_view(level);
  return {name.data(), name.size()};
}

class text_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& out) override {
    append_timestamp(out, msg.time);
    out.push_back(' ');
    out.append(level_name(msg.level));
    out.push_back(' ');
    if (!tls_correlation_id.empty()) {
      out.push_back('[');
      out.append(std::string_view(tls_correlation_id));
      out.append(std::string_view("] "));
    }
    out.append(msg.payload);
    out.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<text_formatter>();
  }
};

class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& out) override {
    out.append(std::string_view("{\"time\":\""));
    append_timestamp(out, msg.time);
    out.append(std::string_view("\",\"level\":"));
    append_json_string(out, level_name(msg.level));
    if (!tls_correlation_id.empty()) {
      out.append(std::string_view(",\"correlation_id\":"));
      append_json_string(out, tls_correlation_id);
    }
    fmt::format_to(std::back_inserter(out), ",\"thread\":{}", msg.thread_id);
    out.append(std::string_view(",\"message\":"));
    append_json_string(out, std::string_view(msg.payload.data(), msg.payload.size()));
    out.append(std::string_view("}\n"));
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<json_formatter>();
  }
};

}  // namespace

void setup_logging(log_format format, spdlog::level::level_enum level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  if (format == log_format::json) {
    sink->set_formatter(std::make_unique<json_formatter>());
  } else {
    sink->set_formatter(std::make_unique<text_formatter>());
  }
  auto logger = std::make_shared<spdlog::logger>("callcenterd", std::move(sink));
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);  // one line per record, visible at once to journald
  spdlog::set_default_logger(std::move(logger));
}

void set_log_level(spdlog::level::level_enum level) { spdlog::default_logger()->set_level(level); }

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> levels{{
      {"trace", spdlog::level::trace},
      {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},
      {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},
      {"critical", spdlog::level::critical},
      {"off", spdlog::level::off},
  }};
  for (const auto& [text, level] : levels) {
    if (text == name) return level;
  }
  return std::nullopt;
}

correlation_guard::correlation_guard(std::string_view id) : previous_(tls_correlation_id) {
  tls_correlation_id.assign(id);
}

correlation_guard::~correlation_guard() { tls_correlation_id = std::move(previous_); }

std::string_view current_correlation_id() { return tls_correlation_id; }

}  // namespace callcenterd::core
