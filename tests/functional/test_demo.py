# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's demo command works and tells its story.

A signed OVF template goes into a library item in one task (changed), the same task finds it in place without
opening an update session (ok), check mode predicts replacing the one disk whose byte changed, with a diff; then
the step-by-step modules upload into a second item and answer the preview's warning with a PATCH, and the one-task
module finds that item in place. The playbook asserts those outcomes itself; the exit code says they held.
"""

import re
import subprocess
import sys

import pytest

import dev
from helpers import play_statuses

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

STATUSES = [
    "changed", "ok", "changed",                   # content_library_item: upload, re-run, check-mode prediction
    "changed", "changed", "changed", "changed", "changed", "changed",  # open, four files, answer and complete
    "ok", "ok",                                   # content_library_item on the second item, the playbook's assert
]


def test_demo_command():
    process = subprocess.run([sys.executable, str(dev.ROOT / "tests" / "dev.py"), "demo"],
                             capture_output=True, text=True, timeout=600, cwd=dev.ROOT, check=False)
    output = process.stdout
    assert process.returncode == 0, output + process.stderr
    assert play_statuses(output) == STATUSES, output
    assert "check mode predicted replacing %s alone" % dev.DEMO_DISK in output
    # The check-mode diff: the item's files with their checksums, and only the disk's differs.
    assert "+++ after: library item photon" in output
    assert len(re.findall(r'^-\s+"%s": "SHA1:[0-9a-f]{40}"' % re.escape(dev.DEMO_DISK), output, re.M)) == 1, output
    assert len(re.findall(r'^\+\s+"%s": "SHA1:[0-9a-f]{40}"' % re.escape(dev.DEMO_DISK), output, re.M)) == 1, output
    assert not re.search(r'^[-+]\s+"photon\.ovf"', output, re.M), output
    # Two update sessions in all: the first upload and the step-by-step one; re-runs and check mode opened none.
    assert "2 update sessions created, by %d runs of content_library_item" % dev.DEMO_ITEM_RUNS in output
    assert "spec violation" not in process.stderr


def test_the_demo_needs_only_its_lean_requirements(tmp_path):
    """In a fresh copy of the checkout, the demo makes its .venv from tests/requirements-demo.txt alone (no test
    tools), and runs; it names no directory of its own, since it removes them all when it ends."""
    copy = dev.copy_checkout(tmp_path / "clone")
    process = subprocess.run([sys.executable, str(copy / "tests" / "dev.py"), "demo"],
                             capture_output=True, text=True, timeout=600, cwd=copy, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    assert play_statuses(process.stdout) == STATUSES, process.stdout
    installed = subprocess.run([str(copy / ".venv" / "bin" / "python"), "-m", "pip", "list", "--format", "freeze"],
                               capture_output=True, text=True, check=True).stdout.lower()
    assert "ansible-core==" in installed and "trustme==" in installed
    assert "pytest==" not in installed and "ansible-lint==" not in installed, installed
    assert "vsphere-content-demo-" not in process.stdout, process.stdout
