"""The README's demo command works and shows changed, then ok, then a check-mode prediction with a diff."""

import re
import subprocess
import sys

import dev


def test_demo_command():
    process = subprocess.run([sys.executable, str(dev.ROOT / "tests" / "dev.py"), "demo"],
                             capture_output=True, text=True, timeout=600, cwd=dev.ROOT, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    statuses = re.findall(r"^(changed|ok|failed|fatal): \[localhost\]", process.stdout, re.MULTILINE)
    assert statuses == ["changed", "ok", "changed", "ok"], process.stdout
    assert "+++ after: update session" in process.stdout
    assert "spec violation" not in process.stderr
