#include "flow_graph.hpp"

#include <functional>
#include <string>

#include "node_parts.hpp"

namespace callcenterd::ivr::detail {

namespace {

using node_ptr = const config::flow_node_settings*;

struct graph {
  std::unordered_map<node_ptr, std::vector<node_ptr>> next;
  std::unordered_map<node_ptr, bool> waits;
};

graph build(const config::flow_settings& flow,
            const std::unordered_map<const config::flow_text*, node_ptr>& targets) {
  graph g;
  for (const auto& node : flow.nodes) {
    const auto parts = parts_of(node);
    auto& edges = g.next[&node];
    for (const auto* target : parts.targets) {
      if (const auto it = targets.find(target); it != targets.end()) edges.push_back(it->second);
    }
    g.waits[&node] = parts.waits;
  }
  return g;
}

void check_reachable(const config::flow_settings& flow, const graph& g, node_ptr start,
                     std::vector<flow_problem>& problems) {
  std::unordered_map<node_ptr, bool> seen;
  std::vector<node_ptr> todo{start};
  seen[start] = true;
  while (!todo.empty()) {
    const auto node = todo.back();
    todo.pop_back();
    for (const auto next : g.next.at(node)) {
      if (!seen[next]) {
        seen[next] = true;
        todo.push_back(next);
      }
    }
  }
  for (const auto& node : flow.nodes) {
    if (seen[&node]) continue;
    problems.push_back(node.at.problem("node '" + node.name +
                                       "' is never reached from the start '" + start->name + "'"));
  }
}

// Depth-first search over the nodes that do not wait; a back edge closes a cycle.
void check_busy_loops(const config::flow_settings& flow, const graph& g,
                      std::vector<flow_problem>& problems) {
  enum class mark { unvisited, on_path, done };
  std::unordered_map<node_ptr, mark> marks;
  std::vector<node_ptr> path;
  const std::function<void(node_ptr)> visit = [&](node_ptr node) {
    marks[node] = mark::on_path;
    path.push_back(node);
    for (const auto next : g.next.at(node)) {
      if (g.waits.at(next)) continue;
      if (marks[next] == mark::on_path) {
        std::string cycle;
        bool in_cycle = false;
        for (const auto on : path) {
          in_cycle = in_cycle || on == next;
          if (in_cycle) cycle += on->name + " -> ";
        }
        cycle += next->name;
        problems.push_back(
            next->at.problem("these nodes loop without waiting for the caller: " + cycle));
      } else if (marks[next] == mark::unvisited) {
        visit(next);
      }
    }
    path.pop_back();
    marks[node] = mark::done;
  };
  for (const auto& node : flow.nodes) {
    if (!g.waits.at(&node) && marks[&node] == mark::unvisited) visit(&node);
  }
}

}  // namespace

void check_graph(const config::flow_settings& flow,
                 const std::unordered_map<const config::flow_text*, node_ptr>& targets,
                 std::vector<flow_problem>& problems) {
  const auto start = targets.find(&flow.start);
  if (start == targets.end()) return;  // reported when the start was resolved
  const auto g = build(flow, targets);
  check_reachable(flow, g, start->second, problems);
  check_busy_loops(flow, g, problems);
}

}  // namespace callcenterd::ivr::detail
