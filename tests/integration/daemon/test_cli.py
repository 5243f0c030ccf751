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


class CommandLineTest(unittest.TestCase):
    def test_version_prints_name_and_version(self):
        out = run_binary("--version")
        self.assertEqual(out.returncode, 0)
        self.assertRegex(out.stdout.strip(), r"^callcenterd \d+\.\d+\.\d+$")

    def test_shipped_config_is_valid(self):
        out = run_binary("--check-config", os.path.join(SOURCE_DIR, "config", "callcenterd.yaml"))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("OK", out.stdout)

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
