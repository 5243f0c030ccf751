#pragma once

#include <vector>

#include "callcenterd/config/flow_settings.hpp"

namespace callcenterd::ivr::detail {

/// What a node holds, by role, so that the compiler and the graph checks need not know every
/// kind: the texts that name nodes of its flow, that are expressions, that are templates, and
/// its prompts. Pointers into the node.
struct node_parts {
  std::vector<const config::flow_text*> targets;
  std::vector<const config::flow_text*> expressions;
  std::vector<const config::flow_text*> templates;
  std::vector<const config::prompt_settings*> prompts;
  /// It waits for the caller or for time to pass (a prompt, keys, a queue, a transfer, a
  /// lookup, the end). A cycle of nodes that all don't would spin without end.
  bool waits = false;
};

node_parts parts_of(const config::flow_node_settings& node);

}  // namespace callcenterd::ivr::detail
