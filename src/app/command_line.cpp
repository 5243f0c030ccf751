#include "command_line.hpp"

#include <optional>

namespace callcenterd::app {
namespace {

// "--name=value" or "--name value": returns the value and advances i past what it used.
std::optional<std::string> option_value(const std::vector<std::string>& args, std::size_t& i,
                                        const std::string& name) {
  const std::string& arg = args[i];
  if (arg.rfind(name + "=", 0) == 0) return arg.substr(name.size() + 1);
  if (arg == name && i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
    return args[++i];
  }
  return std::nullopt;
}

bool names_option(const std::string& arg, const std::string& name) {
  return arg == name || arg.rfind(name + "=", 0) == 0;
}

}  // namespace

std::variant<command_line, usage_error> parse_command_line(const std::vector<std::string>& args) {
  command_line cmd;
  bool have_config = false;
  bool migrate = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--version" || arg == "-V") return command_line{command_line::mode::version, {}};
    if (arg == "--help" || arg == "-h") return command_line{command_line::mode::help, {}};
    if (arg == "--migrate") {
      migrate = true;
      continue;
    }
    const bool run = names_option(arg, "--config");
    if (!run && !names_option(arg, "--check-config")) {
      return usage_error{"unknown argument '" + arg + "'"};
    }
    const std::string name = run ? "--config" : "--check-config";
    if (have_config) return usage_error{"give one configuration file only"};
    auto value = option_value(args, i, name);
    if (!value || value->empty()) return usage_error{name + " needs a file path"};
    cmd.config_path = *value;
    cmd.what = run ? command_line::mode::run : command_line::mode::check_config;
    have_config = true;
  }
  if (!have_config) return usage_error{"--config PATH is required"};
  if (migrate) {
    if (cmd.what != command_line::mode::run) return usage_error{"--migrate goes with --config"};
    cmd.what = command_line::mode::migrate;
  }
  return cmd;
}

std::string usage_text() {
  return "usage: callcenterd --config PATH            run the daemon\n"
         "       callcenterd --config PATH --migrate  apply database migrations and exit\n"
         "       callcenterd --check-config PATH      validate a configuration and exit 0 or 1\n"
         "       callcenterd --version | --help\n";
}

}  // namespace callcenterd::app
