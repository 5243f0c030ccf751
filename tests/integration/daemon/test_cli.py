"""The command line: --version, --check-config, usage errors."""
import os
import tempfile
import unittest

from harness import SOURCE_DIR, run_binary


def write(text):
    fd, path = tempfile.mkstemp(suffix=".yaml", prefix="ccd-cli-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


BROKEN_FLOW = """flows:
  main:
    start: welcome
    nodes:
      welcome:
        play: "Hello ${caller"
        next: menu_typo
      menu:
        menu: "Press 1"
        options: {"1": welcome}
"""


def config_with_flows(flows_dir, extra=""):
    return write(f"paths:\n  flows: {flows_dir}\ndids:\n  - {{number: '8000', flow: main}}\n"
                 + extra)


class FlowCheckTest(unittest.TestCase):
    def setUp(self):
        self.flows = tempfile.mkdtemp(prefix="ccd-cli-flows-")
        self.flow_file = os.path.join(self.flows, "main.yaml")

    def write_flow(self, text):
        with open(self.flow_file, "w") as f:
            f.write(text)

    def test_a_broken_flow_is_refused_with_file_line_flow_and_node(self):
        self.write_flow(BROKEN_FLOW)
        out = run_binary("--check-config", config_with_flows(self.flows))
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn(f"{self.flow_file}:6:15: flows.main.nodes.welcome.play: bad ${{...}}",
                      out.stderr)
        self.assertIn(f"{self.flow_file}:7:15: flows.main.nodes.welcome.next: the target "
                      "'menu_typo' is not a node of flow 'main'", out.stderr)
        self.assertIn("flows refused (2 errors)", out.stderr)

    def test_the_daemon_does_not_start_with_a_broken_flow(self):
        self.write_flow(BROKEN_FLOW)
        out = run_binary("--config", config_with_flows(self.flows), timeout=30)
        self.assertEqual(out.returncode, 1)
        self.assertIn("the flow files are refused", out.stderr)
        self.assertIn("menu_typo", out.stderr)

    def test_a_did_naming_a_missing_flow_is_refused(self):
        self.write_flow('flows:\n  other:\n    start: a\n    nodes: {a: {hangup: }}\n')
        path = config_with_flows(self.flows)
        out = run_binary("--check-config", path)
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"{path}: dids[0].flow: no flow 'main'", out.stderr)

    def test_a_queue_sending_callers_to_a_missing_flow_is_refused(self):
        self.write_flow('flows:\n  main:\n    start: a\n    nodes: {a: {hangup: }}\n')
        path = config_with_flows(self.flows, extra=(
            "queues:\n  - name: q\n    when_max_wait: {flow: voicemail}\n"
            "    overflow:\n      - {after: 30s, move_to: {flow: main}}\n"
            "      - {after: 60s, move_to: {flow: night}}\n"))
        out = run_binary("--check-config", path)
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"{path}: queues[0].when_max_wait.flow: no flow 'voicemail'", out.stderr)
        self.assertIn(f"{path}: queues[0].overflow[1].move_to.flow: no flow 'night'", out.stderr)
        self.assertNotIn("overflow[0]", out.stderr)

    def test_a_valid_flow_passes(self):
        self.write_flow('flows:\n  main:\n    start: a\n    nodes: {a: {play: hi}}\n')
        out = run_binary("--check-config", config_with_flows(self.flows))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("OK (1 flow in", out.stdout)


class CommandLineTest(unittest.TestCase):
    def test_version_prints_name_and_version(self):
        out = run_binary("--version")
        self.assertEqual(out.returncode, 0)
        self.assertRegex(out.stdout.strip(), r"^callcenterd \d+\.\d+\.\d+$")

    def test_shipped_config_is_valid(self):
        # Its paths are relative to the repository root, where scripts/run starts it.
        out = run_binary("--check-config", os.path.join(SOURCE_DIR, "config", "callcenterd.yaml"),
                         cwd=SOURCE_DIR)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("OK (1 flow in config/flows)", out.stdout)

    def test_broken_config_is_refused_with_every_error_by_line(self):
        path = write("http:\n"
                     "  port: 99999\n"
                     "  adress: 127.0.0.1\n"
                     "log:\n"
                     "  level: loud\n")
        out = run_binary("--check-config", path)
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"{path}:2:", out.stderr)
        self.assertIn("http.port", out.stderr)
        self.assertIn(f"{path}:3:", out.stderr)
        self.assertIn("did you mean 'address'", out.stderr)
        self.assertIn(f"{path}:5:", out.stderr)
        self.assertIn("log.level", out.stderr)

    def test_yaml_syntax_error_names_the_line(self):
        path = write("http:\n  port: 8080\n bad indentation: [\n")
        out = run_binary("--check-config", path)
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"{path}:3:", out.stderr)

    def test_missing_config_file_is_refused(self):
        out = run_binary("--check-config", "/nonexistent/callcenterd.yaml")
        self.assertEqual(out.returncode, 1)
        self.assertIn("/nonexistent/callcenterd.yaml", out.stderr)

    def test_unknown_option_is_a_usage_error(self):
        out = run_binary("--frobnicate")
        self.assertEqual(out.returncode, 2)
        self.assertIn("usage", out.stderr.lower())

    def test_config_option_needs_a_path(self):
        out = run_binary("--config")
        self.assertEqual(out.returncode, 2)


if __name__ == "__main__":
    unittest.main()
