"""The examples without a fleet: what they say when a package is missing, and that README.md lists them all."""
import pathlib
import subprocess
import sys
import unittest

EXAMPLES = pathlib.Path(__file__).resolve().parents[3] / "examples"


def without_site_packages(script: str) -> subprocess.CompletedProcess:
    # -S: no site-packages, so neither requests, numpy nor PIL can be imported, as on a bare Python.
    return subprocess.run([sys.executable, "-S", str(EXAMPLES / script)], capture_output=True, text=True,
                          env={"VLA_API_KEY": "vla_live_unused"}, timeout=60)


class ExamplesTest(unittest.TestCase):

    def test_without_requests_each_python_example_says_how_to_install_it(self):
        for script in ("quickstart.py", "python_client.py", "control_loop.py"):
            with self.subTest(script=script):
                run = without_site_packages(script)
                self.assertNotEqual(0, run.returncode)
                self.assertIn("python3-requests", run.stderr)
                self.assertIn("pip install", run.stderr)
                self.assertNotIn("Traceback", run.stderr)

    def test_the_readme_lists_every_example(self):
        readme = (EXAMPLES / "README.md").read_text()
        for example in sorted(EXAMPLES.iterdir()):
            if example.name != "README.md":
                with self.subTest(example=example.name):
                    self.assertIn(example.name, readme)


if __name__ == "__main__":
    unittest.main()
