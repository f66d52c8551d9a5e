# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A job canceled in AWX (SIGTERM to the module's process) in the middle of an upload leaves nothing behind: the
update session the run opened is canceled and deleted, an item it created is deleted, and the task fails saying
so. The upload is held mid-body by the simulator; the signal goes to the real module process."""

import os
import signal

import pytest

from helpers import assert_logged_out, cancel_mid_task, wait_until

# Whole playbooks: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_cancel_mid_upload_cancels_the_session_and_deletes_the_new_item(trusted_simulator, tmp_path, signum):
    sim = trusted_simulator
    sim.state.add_library("library-1", name="templates")
    image = tmp_path / "image.iso"
    image.write_bytes(os.urandom(4 << 20))
    sim.inject_fault(path=r"/cls/data/", stall=60, stall_after=1 << 20)
    upload = {"library_name": "templates", "name": "image", "src": str(image), "request_timeout": 120}
    task = {"vsphere.content.content_library_item": upload}
    returncode, output = cancel_mid_task(
        sim, tmp_path, task, "content_library_item", signum,
        under_way=lambda: sim.state.items and transferring(sim))
    assert returncode == 2, output
    name = signal.Signals(signum).name
    assert "the task was canceled (%s) before it finished; update session " % name in output, output
    assert ", which this task created, was deleted" in output, output
    assert sim.state.update_sessions == {} and sim.state.items == {}
    assert_logged_out(sim)


def test_a_cancel_while_the_item_is_being_created_deletes_it(trusted_simulator, tmp_path):
    """The create is in vCenter's hands when the signal comes: the run cannot know whether the item exists. It sends
    the create again with the same client token, which answers the item's id, and deletes that item."""
    sim = trusted_simulator
    sim.state.add_library("library-1", name="templates")
    image = tmp_path / "image.iso"
    image.write_bytes(b"iso" * 1000)
    # The POST of that path after the find (?action=find), which is the create.
    sim.inject_fault(method="POST", path=r"^/api/content/library/item$", delay=3, after=1)
    task = {"vsphere.content.content_library_item": {"library_name": "templates", "name": "image", "src": str(image)}}
    returncode, output = cancel_mid_task(
        sim, tmp_path, task, "content_library_item", signal.SIGTERM,
        under_way=lambda: any(entry["status"] is None for entry in creates(sim)))
    assert returncode == 2, output
    assert "the task was canceled (SIGTERM) before it finished; library item " in output, output
    assert ", which this task created, was deleted" in output, output
    assert len(creates(sim)) == 2 and len(set(entry["client_token"] for entry in creates(sim))) == 1, \
        "sent again with the same client token"
    wait_until(lambda: all(entry["status"] is not None for entry in creates(sim)), timeout=10)
    assert sim.state.items == {} and sim.state.update_sessions == {}
    assert_logged_out(sim)


def creates(sim):
    """The item creates the simulator got, the one held by the fault included (its route says "fault")."""
    return [entry for entry in sim.calls("POST") if entry["path"] == "/api/content/library/item" and not entry["query"]]


def test_a_cancel_while_the_update_session_is_being_opened_cancels_and_deletes_it(trusted_simulator, tmp_path):
    """As above, for the update session of an item that exists: its create is sent again with the same client
    token, and the session it answers is canceled and deleted; the item is left as it was."""
    sim = trusted_simulator
    sim.state.add_library_item("item-1", library_id="library-1", name="image", type="iso")
    image = tmp_path / "image.iso"
    image.write_bytes(b"iso" * 1000)
    sim.inject_fault(method="POST", path=r"^/api/content/library/item/update-session$", delay=3)
    task = {"vsphere.content.content_library_item": {"library_item_id": "item-1", "src": str(image)}}
    returncode, output = cancel_mid_task(
        sim, tmp_path, task, "content_library_item", signal.SIGTERM,
        under_way=lambda: any(entry["path"].endswith("/update-session") and entry["status"] is None
                              for entry in sim.calls("POST")))
    assert returncode == 2, output
    assert "the task was canceled (SIGTERM) before it finished; update session " in output, output
    assert " was canceled and deleted, and library item item-1 was left as it was" in output, output
    wait_until(lambda: all(entry["status"] is not None for entry in sim.calls("POST")), timeout=10)
    assert sim.state.update_sessions == {} and list(sim.state.items) == ["item-1"]
    assert_logged_out(sim)


def test_a_cancel_mid_upload_of_one_session_file_logs_out_and_leaves_the_session_to_its_owner(
        trusted_simulator, tmp_path):
    """content_library_update_session_file opens no session: the one it uploads into belongs to the tasks that
    opened it, and stays ACTIVE for them (or for vCenter to expire). The module stops the upload (the file is not
    READY), fails saying it was canceled, and logs out."""
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    image = tmp_path / "image.iso"
    image.write_bytes(os.urandom(4 << 20))
    sim.inject_fault(path=r"/cls/data/", stall=60, stall_after=1 << 20)
    task = {"vsphere.content.content_library_update_session_file": {
        "update_session_id": session_id, "name": "image.iso", "src": str(image), "request_timeout": 120}}
    returncode, output = cancel_mid_task(
        sim, tmp_path, task, "content_library_update_session_file", signal.SIGTERM,
        under_way=lambda: transferring(sim))
    assert returncode == 2, output
    assert "the task was canceled (SIGTERM) before it finished" in output, output
    assert sim.session_file(session_id, "image.iso")["status"] != "READY"
    assert sim.state.update_sessions[session_id]["state"] == "ACTIVE"
    assert_logged_out(sim)


def transferring(sim):
    """Whether an upload is under way: a session file is TRANSFERRING."""
    return any(record["status"] == "TRANSFERRING" for session in list(sim.state.update_sessions.values())
               for record in list(session["files"].values()))


def test_a_cancel_while_the_download_session_is_being_opened_deletes_it(trusted_simulator, tmp_path):
    """As above, for content_library_item_download: the download session's create is sent again with the same
    client token, and the session it answers is deleted."""
    sim = trusted_simulator
    sim.state.add_library_item("item-1", library_id="library-1", name="image", type="iso",
                               files=[{"name": "image.iso", "content": b"iso" * 1000}])
    sim.inject_fault(method="POST", path=r"^/api/content/library/item/download-session$", delay=3)
    task = {"vsphere.content.content_library_item_download": {"library_item_id": "item-1",
                                                              "dest": str(tmp_path / "export")}}
    returncode, output = cancel_mid_task(
        sim, tmp_path, task, "content_library_item_download", signal.SIGTERM,
        under_way=lambda: any(entry["path"].endswith("/download-session") and entry["status"] is None
                              for entry in sim.calls("POST")))
    assert returncode == 2, output
    assert "the task was canceled (SIGTERM) before it finished; download session " in output, output
    assert " was deleted" in output, output
    creates = [entry for entry in sim.calls("POST") if entry["path"].endswith("/download-session")]
    assert len(creates) == 2 and len(set(entry["client_token"] for entry in creates)) == 1, \
        "sent again with the same client token"
    wait_until(lambda: all(entry["status"] is not None for entry in sim.calls("POST")), timeout=10)
    assert sim.state.download_sessions == {}
    assert not (tmp_path / "export").exists() or not os.listdir(tmp_path / "export")
    assert_logged_out(sim)
