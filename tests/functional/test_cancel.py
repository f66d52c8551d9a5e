# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A job canceled in AWX (SIGTERM to the module's process) in the middle of an upload leaves nothing behind: the
update session the run opened is canceled and deleted, an item it created is deleted, and the task fails saying
so. The upload is held mid-body by the simulator; the signal goes to the real module process."""

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

import dev
from helpers import assert_logged_out, vmware_env, wait_until

# Whole playbooks: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow


def module_processes(name):
    """The pids of the Python processes running the AnsiballZ payload of module ``name`` (not the shell that
    started it)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if entry.name.isdigit() and os.path.basename(argv[0]).startswith(b"python") and any(
                arg.endswith(b"AnsiballZ_%s.py" % name.encode()) for arg in argv):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_cancel_mid_upload_cancels_the_session_and_deletes_the_new_item(trusted_simulator, tmp_path, signum):
    sim = trusted_simulator
    sim.state.add_library("library-1", name="templates")
    image = tmp_path / "image.iso"
    image.write_bytes(os.urandom(4 << 20))
    sim.inject_fault(path=r"/cls/data/", stall=60, stall_after=1 << 20)
    upload = {"library_name": "templates", "name": "image", "src": str(image), "request_timeout": 120}
    task = {"vsphere.content.content_library_item": upload}
    playbook = tmp_path / "upload.yml"
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]))
    env = dev.ansible_env(**vmware_env(sim))
    run = subprocess.Popen([str(dev.venv_bin("ansible-playbook")), str(playbook)], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: any(record["status"] == "TRANSFERRING" for session in sim.state.update_sessions.values()
                               for record in session["files"].values()), timeout=60)
        assert sim.state.items, "the run created the item"
        (pid,) = module_processes("content_library_item")
        os.kill(pid, signum)
        output = run.communicate(timeout=120)[0]
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 2, output
    name = signal.Signals(signum).name
    assert "the task was canceled (%s) before it finished; update session " % name in output, output
    assert ", which this task created, was deleted" in output, output
    assert sim.state.update_sessions == {} and sim.state.items == {}
    assert_logged_out(sim)
