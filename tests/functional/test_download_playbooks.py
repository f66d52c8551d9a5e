# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item_download through real ansible-playbook: docs/examples/export-template.yml (export, upload
back, then a re-run that moves nothing), check mode and diff, a failure, a corrupted download, and a cancel
(SIGTERM, SIGINT) in the middle of a download, which leaves no session, no temporary file and no partial file."""

import os
import signal

import pytest

import dev
from download_support import OVF_DISKS, downloads, leftovers, seed_ovf_item
from helpers import assert_logged_out, cancel_mid_task, play_statuses

# Whole playbooks: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

EXAMPLE = str(dev.ROOT / "docs" / "examples" / "export-template.yml")


def download_task(**options):
    return {"name": "download", "vsphere.content.content_library_item_download": options, "register": "result"}


def test_the_export_example_downloads_uploads_back_then_moves_nothing(playbook, trusted_simulator, tmp_path):
    sim = trusted_simulator
    _item_id, contents = seed_ovf_item(sim, tmp_path / "package", library_id="library-1")
    sim.state.add_library("library-2", name="templates-copy")
    extra_vars = {"export_dir": str(tmp_path / "export"), "template_name": "photon"}

    first = playbook(EXAMPLE, extra_vars)
    again = playbook(EXAMPLE, extra_vars)

    assert first.returncode == 0, first.output
    assert play_statuses(first.output) == ["changed", "changed", "ok"], first.output
    assert again.returncode == 0 and play_statuses(again.output) == ["ok", "ok", "ok"], again.output
    export = tmp_path / "export" / "photon"
    assert dict((name, (export / name).read_bytes()) for name in contents) == contents
    (copy,) = [item for item in sim.state.items.values() if item["library_id"] == "library-2"]
    original = [item for item in sim.state.items.values() if item["library_id"] == "library-1"][0]
    assert dict((name, record["checksum_info"]) for name, record in copy["files"].items()) == dict(
        (name, record["checksum_info"]) for name, record in original["files"].items())
    assert len(sim.calls(route="create_download_session")) == 1 and len(sim.calls(route="create_session")) == 1
    assert sim.state.download_sessions == {}
    assert_logged_out(sim)


def test_check_mode_diff_and_a_failure_through_a_playbook(playbook, trusted_simulator, tmp_path):
    sim = trusted_simulator
    seed_ovf_item(sim, tmp_path / "package")
    dest = str(tmp_path / "dest")

    checked = playbook([{"hosts": "localhost", "gather_facts": False,
                         "tasks": [download_task(library_name="templates", name="photon", dest=dest)]}],
                       args=["--check", "--diff"])
    assert checked.returncode == 0, checked.output
    assert checked.task["changed"] is True and checked.task["downloaded"] == ["photon.ovf"] + list(OVF_DISKS)
    assert "+    \"photon-disk1.vmdk\": {" in checked.output, "the diff shows the files after"
    assert not os.path.exists(dest) and not sim.calls(route="create_download_session")

    failed = playbook([{"hosts": "localhost", "gather_facts": False,
                        "tasks": [download_task(library_name="templates", name="photon-6", dest=dest)]}])
    assert failed.returncode == 2
    assert failed.task["msg"] == "library templates has no item named photon-6", failed.output


def test_a_corrupted_download_fails_and_leaves_the_old_copy(playbook, trusted_simulator, tmp_path):
    sim = trusted_simulator
    _item_id, contents = seed_ovf_item(sim, tmp_path / "package")
    dest = tmp_path / "dest"
    dest.mkdir()
    old = bytes(len(contents["photon-disk2.vmdk"]))
    (dest / "photon-disk2.vmdk").write_bytes(old)
    sim.inject_fault(method="GET", path=r"/cls/data/.*photon-disk2", corrupt_at=7)

    failed = playbook([{"hosts": "localhost", "gather_facts": False,
                        "tasks": [download_task(library_name="templates", name="photon", dest=str(dest))]}])

    assert failed.returncode == 2
    assert "the local file photon-disk2.vmdk is untouched" in failed.task["msg"], failed.output
    assert failed.task["changed"] is True, "photon.ovf and photon-disk1.vmdk were put in place before"
    assert failed.task["downloaded"] == ["photon.ovf", "photon-disk1.vmdk"]
    assert (dest / "photon-disk2.vmdk").read_bytes() == old and leftovers(dest) == []
    assert sim.state.download_sessions == {}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_cancel_mid_download_deletes_the_session_and_leaves_no_partial_file(trusted_simulator, tmp_path, signum):
    sim = trusted_simulator
    sim.state.add_library_item("iso-1", library_id="library-1", name="image", type="iso",
                               files=[{"name": "image.iso", "content": os.urandom(4 << 20)}])
    sim.inject_fault(method="GET", path=r"/cls/data/", stall=60, stall_after=1 << 20)
    dest = tmp_path / "dest"
    task = download_task(library_item_id="iso-1", dest=str(dest), request_timeout=120)
    # Under way: into a temporary file, which the cancel must remove.
    returncode, output = cancel_mid_task(
        sim, tmp_path, task, "content_library_item_download", signum,
        under_way=lambda: any(entry.get("bytes_sent", 0) >= 1 << 20 for entry in downloads(sim)) and leftovers(dest))
    assert returncode == 2, output
    assert "the task was canceled (%s) before it finished; download session " % signal.Signals(signum).name in output
    assert sim.state.download_sessions == {}
    assert os.listdir(dest) == [], "no temporary file and no partial file"
    assert_logged_out(sim)


def test_through_a_playbook_resume_subset_overwrite_a_changed_byte_and_attributes(
        playbook, trusted_simulator, tmp_path):
    sim = trusted_simulator
    text = "vsphere.content download test\n" * 100000  # about 3 MiB
    seed_ovf_item(sim, tmp_path / "package")
    sim.state.add_library_item("iso-1", library_id="library-1", name="image", type="iso",
                               files=[{"name": "image.iso", "content": text}])
    sim.inject_fault(method="GET", path=r"/cls/data/", reset_after=1 << 20)
    iso, subset = str(tmp_path / "iso"), str(tmp_path / "subset")
    changed_text = "X" + text[1:]

    def task(title, **options):
        return {"name": title, "vsphere.content.content_library_item_download": options}

    run = playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        task("resumed", library_item_id="iso-1", dest=iso),
        task("subset", library_name="templates", name="photon", dest=subset, files=["photon.ovf"],
             mode="u=rwX,g=rX,o="),
        task("never", library_name="templates", name="photon", dest=subset, files=["photon.ovf"], overwrite="never",
             mode="u=rwX,g=rX,o="),
        {"name": "change one byte", "ansible.builtin.copy": {"content": changed_text, "dest": iso + "/image.iso",
                                                             "mode": "0644"}},
        task("one byte", library_item_id="iso-1", dest=iso),
        task("unchanged", library_item_id="iso-1", dest=iso),
        task("always", library_item_id="iso-1", dest=iso, overwrite="always"),
    ]}])

    assert run.returncode == 0, run.output
    assert [run[name]["changed"] for name in ("resumed", "subset", "never", "one byte", "unchanged", "always")] == [
        True, True, False, True, False, True], run.output
    assert run["resumed"]["bytes_downloaded"] == len(text), "resumed at the break: nothing fetched twice"
    assert [entry["range"] for entry in downloads(sim)[:2]] == [None, "bytes=%d-" % (1 << 20)]
    assert run["subset"]["downloaded"] == ["photon.ovf"] and os.listdir(subset) == ["photon.ovf"]
    assert (os.stat(subset).st_mode & 0o777, os.stat(subset + "/photon.ovf").st_mode & 0o777) == (0o750, 0o640)
    assert run["one byte"]["downloaded"] == ["image.iso"] and (tmp_path / "iso" / "image.iso").read_text() == text
    assert run["unchanged"]["downloaded"] == [] and run["always"]["downloaded"] == ["image.iso"]
    assert sim.state.download_sessions == {}
    assert_logged_out(sim)
