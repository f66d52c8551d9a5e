# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_update_session_file through real ansible-playbook runs against the simulator."""

import hashlib

import pytest

from helpers import assert_logged_out, play, task

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

MODULE = "content_library_update_session_file"


def file_task(title, name, check_mode=None, ignore_errors=None, **args):
    """A task of the file module; ``name`` is the module's option (the task's own name is ``title``)."""
    entry = task(title, module=MODULE, check_mode=check_mode, ignore_errors=ignore_errors, **args)
    entry["vsphere.content." + MODULE]["name"] = name
    return entry


def write(path, size, seed):
    block = hashlib.sha256(seed).digest() * 2048
    path.write_bytes((block * (size // len(block) + 1))[:size])
    return path


def uploads(sim):
    return [entry for entry in sim.requests if entry["route"] == "upload"]


def test_push_idempotence_check_mode_diff_pull_absent_and_failures(playbook, trusted_simulator, file_source,
                                                                   tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    disk = write(tmp_path / "disk.vmdk", 2 * 1024 * 1024 + 5, b"disk")
    url = file_source().add("image.iso", b"iso" * 10000)
    common = dict(update_session_id=session_id)
    run = playbook(play(
        file_task("predict", "disk.vmdk", check_mode=True, src=str(disk), **common),
        file_task("push", "disk.vmdk", src=str(disk), **common),
        file_task("push again", "disk.vmdk", src=str(disk), **common),
        file_task("pull", "image.iso", url=url, **common),
        file_task("pull again", "image.iso", url=url, **common),
        file_task("wrong checksum", "other.bin", ignore_errors=True, src=str(disk), checksum="0" * 64, **common),
        file_task("both sources", "x", ignore_errors=True, src=str(disk), url=url, **common),
        file_task("remove", "image.iso", state="absent", **common),
        file_task("remove again", "image.iso", state="absent", **common),
    ), args=["--diff"])
    assert run.returncode == 0, run.output
    assert run["predict"]["changed"] is True and run["predict"]["file"]["status"] == "READY"
    assert run["push"]["changed"] is True and run["push"]["bytes_uploaded"] == disk.stat().st_size
    assert run["push again"]["changed"] is False and run["push again"]["bytes_uploaded"] == 0
    assert run["pull"]["changed"] is True and run["pull"]["file"]["status"] == "READY"
    assert run["pull again"]["changed"] is False
    assert run.status("wrong checksum") == "failed"
    assert run["wrong checksum"]["msg"].startswith(
        "file other.bin of update session %s failed: vCenter rejected what it received: " % session_id)
    assert run["both sources"]["msg"] == "parameters are mutually exclusive: src|url"
    assert run["remove"]["changed"] is True and run["remove again"]["changed"] is False
    assert len(uploads(sim)) == 2, "the prediction and the repeat uploaded nothing"
    digest = hashlib.sha256(disk.read_bytes()).hexdigest()
    assert "+    \"checksum\": \"SHA256:%s\"" % digest in run.output, "--diff shows the checksum after"
    assert "Traceback" not in run.output
    files = sim.state.update_sessions[session_id]["files"]
    assert files["disk.vmdk"]["status"] == "READY" and "image.iso" not in files
    assert_logged_out(sim)


@pytest.mark.parametrize("simulator", [{"upload_port": "separate"}], indirect=True)
def test_a_reset_upload_on_another_port_is_retried_with_keep_alives_and_no_token(playbook, trusted_simulator,
                                                                                 tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    disk = write(tmp_path / "disk.vmdk", 16 * 1024 * 1024, b"slow")  # more than the socket buffers hold
    sim.inject_fault(path=r"/cls/data/", reset_after=512 * 1024, times=1)
    sim.inject_fault(path=r"/cls/data/", stall=0.6, stall_after=1024 * 1024, times=1)
    run = playbook(play(file_task("upload", "disk.vmdk", update_session_id=session_id, src=str(disk),
                                  keep_alive_interval=0.2, retry_backoff=0)))
    assert run.returncode == 0, run.output
    assert run["upload"]["attempts"] == 2
    assert [(entry["server"], entry["session_header"]) for entry in uploads(sim)] == [("upload", False)] * 2
    assert [entry["route"] for entry in sim.requests if entry["route"] == "add_file"] == ["add_file"] * 2
    progress = [entry["body"]["client_progress"] for entry in sim.calls(route="keep_alive_session")
                if entry["body"]]
    assert progress and all(0 < value <= 100 for value in progress)
    assert sim.state.update_sessions[session_id]["files"]["disk.vmdk"]["status"] == "READY"
    assert_logged_out(sim)
