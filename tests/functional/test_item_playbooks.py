# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item through real ansible-playbook runs against the simulator: one task per item, several
items in one play with forks 4, idempotent re-runs, check mode with --diff, a refused warning with its cleanup."""

import hashlib

import pytest

from helpers import assert_logged_out, play, task
from ovf_package import make_ovf_package

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

MODULE = "content_library_item"
HOSTS = ["item%d" % number for number in range(6)]


def item_task(title, check_mode=None, ignore_errors=None, **args):
    """A task of the module; its ``name`` option is set after, since ``name`` is also the task's title."""
    item_name = args.pop("name")
    entry = task(title, module=MODULE, check_mode=check_mode, ignore_errors=ignore_errors, **args)
    entry["vsphere.content." + MODULE]["name"] = item_name
    return entry


def test_several_items_in_one_play_with_forks_4_leave_no_session_behind(playbook, trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1", name="templates")
    for host in HOSTS:
        package = make_ovf_package(tmp_path / host, name=host, disks={"%s-disk1.vmdk" % host: 256 << 10}, signer=None)
        assert package.cert is None
    inventory = tmp_path / "inventory.ini"
    inventory.write_text("\n".join("%s ansible_connection=local ansible_python_interpreter='{{ ansible_playbook_python }}'"
                                   % host for host in HOSTS) + "\n")
    plays = play(item_task("upload", library_name="templates", name="{{ inventory_hostname }}",
                           src=str(tmp_path) + "/{{ inventory_hostname }}/{{ inventory_hostname }}.ovf"))
    plays[0]["hosts"] = "all"

    first = playbook(plays, args=["-i", str(inventory), "--forks", "4"])
    sessions_after_first = dict(sim.state.update_sessions)
    again = playbook(plays, args=["-i", str(inventory), "--forks", "4"])

    assert first.returncode == 0, first.output
    assert first.output.count("changed: [item") == len(HOSTS)
    assert again.returncode == 0 and again.output.count("ok: [item") == len(HOSTS), again.output
    assert sorted(item["name"] for item in sim.state.items.values()) == HOSTS
    for item in sim.state.items.values():
        disk = tmp_path / item["name"] / ("%s-disk1.vmdk" % item["name"])
        assert item["files"][disk.name]["checksum_info"]["checksum"] == hashlib.sha1(disk.read_bytes()).hexdigest()
    assert [session["state"] for session in sessions_after_first.values()] == ["DONE"] * len(HOSTS)
    assert sim.state.update_sessions == sessions_after_first, "the re-run opened no session"
    assert_logged_out(sim)


def test_a_signed_template_through_the_play_ok_predicted_refused(playbook, trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1", name="templates")
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 512 << 10})
    sim.state.trusted_roots.append(package.cert_pem)
    common = dict(library_name="templates", name="photon", src=str(tmp_path / "photon.ovf"))
    accept = dict(common, warning_behavior=[{"type": "SELF_SIGNED_CERTIFICATE"}])
    # The next build, signed by the same signer: one byte of the disk differs, and so its manifest.
    disk = bytearray((tmp_path / "photon-disk1.vmdk").read_bytes())
    disk[7] ^= 0xFF
    next_build = make_ovf_package(tmp_path / "next", disks={"photon-disk1.vmdk": bytes(disk)}, signer=package.signer)
    accept_next = dict(accept)
    accept_next["src"] = str(next_build.ovf)

    run = playbook(play(
        item_task("refused", ignore_errors=True, **common),
        item_task("accepted", **accept),
        item_task("again", **accept),
        item_task("predicted", check_mode=True, **accept_next),
    ), args=["--diff"])

    assert run.returncode == 0, run.output
    assert run.status("refused") == "failed"
    assert "raised SELF_SIGNED_CERTIFICATE" in run["refused"]["msg"]
    assert run["refused"]["msg"].endswith("which this task created, was deleted")
    assert run["accepted"]["changed"] is True and run["again"]["changed"] is False
    assert run["predicted"]["changed"] is True and run["predicted"]["changes"]["replaced"] == ["photon-disk1.vmdk"]
    assert '-        "photon-disk1.vmdk": "SHA1:' in run.output and '+        "photon-disk1.vmdk": "SHA1:' in run.output
    assert len([session for session in sim.state.update_sessions.values() if session["state"] == "ACTIVE"]) == 0
    assert len(sim.state.items) == 1
    assert "Traceback" not in run.output
    assert_logged_out(sim)
