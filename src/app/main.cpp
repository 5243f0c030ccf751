// callcenterd: the call center daemon. main() only dispatches on the command line; the
// daemon's wiring lives in daemon.cpp.
#include <iostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "callcenterd/config/loader.hpp"
#include "callcenterd/core/version.hpp"
#include "command_line.hpp"
#include "daemon.hpp"
#include "flow_loading.hpp"

namespace {

using callcenterd::app::command_line;

/// Prints every error and "callcenterd: `what` refused (N errors)"; returns the exit status.
int print_errors(const std::vector<callcenterd::config::config_error>& errors,
                 std::string_view what) {
  for (const auto& error : errors) std::cerr << error.to_string() << '\n';
  std::cerr << "callcenterd: " << what << " refused (" << errors.size() << " error"
            << (errors.size() == 1 ? "" : "s") << ")\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = callcenterd::app::parse_command_line({argv + 1, argv + argc});
  if (const auto* error = std::get_if<callcenterd::app::usage_error>(&parsed)) {
    std::cerr << "callcenterd: " << error->message << '\n' << callcenterd::app::usage_text();
    return 2;
  }
  const auto& cmd = std::get<command_line>(parsed);
  switch (cmd.what) {
    case command_line::mode::version:
      std::cout << "callcenterd " << callcenterd::core::version << '\n';
      return 0;
    case command_line::mode::help:
      std::cout << callcenterd::app::usage_text();
      return 0;
    case command_line::mode::check_config: {
      const auto loaded = callcenterd::config::load_file(cmd.config_path);
      if (!loaded) return print_errors(loaded.errors(), "configuration");
      const auto flows = callcenterd::app::blocking_load_flows(loaded.settings());
      if (const auto* problems =
              std::get_if<std::vector<callcenterd::config::config_error>>(&flows)) {
        return print_errors(*problems, "flows");
      }
      const auto& set = *std::get<std::shared_ptr<const callcenterd::ivr::flow_set>>(flows);
      std::cout << cmd.config_path.string() << ": OK (" << set.flows().size() << " flow"
                << (set.flows().size() == 1 ? "" : "s") << " in "
                << loaded.settings().paths.flows.string() << ")\n";
      return 0;
    }
    case command_line::mode::migrate:
    case command_line::mode::run: {
      auto loaded = callcenterd::config::load_file(cmd.config_path);
      if (!loaded) return print_errors(loaded.errors(), "configuration");
      return cmd.what == command_line::mode::migrate
                 ? callcenterd::app::run_migrations(loaded.settings())
                 : callcenterd::app::run_daemon(std::move(loaded).settings());
    }
  }
  return 2;
}
