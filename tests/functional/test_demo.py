"""The README's demo command works and shows changed, then ok, then a check-mode prediction with a diff."""

import subprocess
import sys

import dev
from helpers import play_statuses


def test_demo_command():
    process = subprocess.run([sys.executable, str(dev.ROOT / "tests" / "dev.py"), "demo"],
                             capture_output=True, text=True, timeout=600, cwd=dev.ROOT, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    assert play_statuses(process.stdout) == ["changed", "ok", "changed", "ok"], process.stdout
    assert "+++ after: update session" in process.stdout
    assert "spec violation" not in process.stderr
