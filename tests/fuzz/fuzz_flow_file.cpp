// libFuzzer target: arbitrary bytes as a flow file, read and checked as the daemon does.
// Nothing may crash or throw; a refused file must say where (a file name, and a line within
// the input when it names one); a file that compiles must have a start node for every flow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>

#include "callcenterd/config/flow_loader.hpp"
#include "callcenterd/ivr/flow_set.hpp"

namespace ivr = callcenterd::ivr;
namespace config = callcenterd::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = config::load_flow_texts({{"fuzz.yaml", text}});
  if (!loaded) {
    for (const auto& error : loaded.errors()) {
      if (error.file != "fuzz.yaml" || error.line < 0) std::abort();
    }
    return 0;
  }
  ivr::flow_environment environment;
  environment.prompts = "/nonexistent-prompts";  // file pieces are refused, never read
  environment.queues = {"support", "sales"};
  environment.zoneinfo = "/nonexistent-zoneinfo";  // only UTC loads: no file reads at all
  auto compiled = ivr::flow_set::blocking_compile(std::move(loaded).flows(), environment);
  if (const auto* problems = std::get_if<std::vector<config::config_error>>(&compiled)) {
    if (problems->empty()) std::abort();
    for (const auto& problem : *problems) {
      if (problem.file != "fuzz.yaml" || problem.reason.empty()) std::abort();
    }
    return 0;
  }
  const auto& set = *std::get<std::shared_ptr<const ivr::flow_set>>(compiled);
  for (const auto& flow : set.flows()) {
    if (set.find(flow.name) != &flow) std::abort();
    (void)set.start(flow).name;  // resolves, or at() would throw
  }
  return 0;
}
