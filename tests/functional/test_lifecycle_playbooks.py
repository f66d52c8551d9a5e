# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The update-session lifecycle through real ansible-playbook runs against the simulator.

Several tasks run per playbook; each test asserts every task's result and
the writes the simulator saw.
"""

import json

import pytest

import dev
from helpers import assert_logged_out, play, task, writes

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

UNTRUSTED = "UNTRUSTED_CERTIFICATE"
SELF_SIGNED = "SELF_SIGNED_CERTIFICATE"


def test_every_state_transition_check_mode_and_idempotent_repeat(playbook, trusted_simulator):
    sim = trusted_simulator
    ids = {state: sim.state.add_update_session() for state in ("completed", "canceled", "failed", "absent")}
    extra = {"failed": {"client_error_message": "the OVF could not be downloaded"}}
    tasks = []
    for state, session_id in ids.items():
        args = dict(update_session_id=session_id, state=state, **extra.get(state, {}))
        tasks += [task("%s check" % state, check_mode=True, **args), task("%s" % state, **args),
                  task("%s again" % state, **args)]
    run = playbook(play(*tasks), args=["--diff"])
    assert run.returncode == 0, run.output
    final = {"completed": "DONE", "canceled": "CANCELED", "failed": "ERROR"}
    for state, session_id in ids.items():
        assert run["%s check" % state]["changed"] is True
        assert run[state]["changed"] is True
        assert run["%s again" % state]["changed"] is False
        if state == "absent":
            assert session_id not in sim.state.update_sessions
            assert "update_session" not in run[state]
        else:
            assert run["%s check" % state]["update_session"]["state"] == final[state]
            assert run[state]["update_session"]["state"] == final[state]
            assert sim.state.update_sessions[session_id]["state"] == final[state]
    assert "--- before: update session %s" % ids["completed"] in run.output
    assert writes(sim) == [
        ("POST", "complete_session"), ("POST", "cancel_session"), ("POST", "fail_session"),
        ("POST", "cancel_session"), ("DELETE", "delete_session"),
    ], "check mode and repeats send no write"
    assert_logged_out(sim)


def test_impossible_transitions_fail_clearly(playbook, trusted_simulator):
    sim = trusted_simulator
    done = sim.state.add_update_session(state="DONE")
    canceled = sim.state.add_update_session(state="CANCELED")
    run = playbook(play(
        task("cancel a done session", ignore_errors=True, update_session_id=done, state="canceled"),
        task("complete a canceled session", ignore_errors=True, update_session_id=canceled, state="completed"),
    ))
    assert run.status("cancel a done session") == run.status("complete a canceled session") == "failed"
    assert run["cancel a done session"]["msg"] == (
        "update session %s is DONE and cannot be canceled; only ACTIVE sessions can be" % done)
    assert run["complete a canceled session"]["msg"] == (
        "update session %s is CANCELED and cannot be completed; only ACTIVE sessions can be" % canceled)
    assert "Traceback" not in run.output
    assert writes(sim) == []


def test_lookup_by_library_item_none_one_and_many(playbook, trusted_simulator):
    sim = trusted_simulator
    fresh = sim.state.add_library_item()
    crowded = sim.state.add_library_item()
    crowded_ids = sorted(sim.state.add_update_session(library_item_id=crowded) for _index in range(2))
    run = playbook(play(
        task("none: create", library_item_id=fresh, warning_behavior=[{"type": SELF_SIGNED}]),
        task("one: found", library_item_id=fresh, warning_behavior=[{"type": SELF_SIGNED}]),
        task("many: fail", ignore_errors=True, library_item_id=crowded, warning_behavior=[{"type": SELF_SIGNED}]),
    ))
    created = run["none: create"]
    assert created["changed"] is True
    assert run["one: found"]["changed"] is False
    assert run["one: found"]["update_session"]["id"] == created["update_session"]["id"]
    assert run.status("many: fail") == "failed"
    assert run["many: fail"]["msg"] == (
        "library item %s has 2 ACTIVE update sessions (%s); use update_session_id to choose one"
        % (crowded, ", ".join(crowded_ids)))
    assert writes(sim) == [("POST", "create_session")]

    sim.clear_log()
    rerun = playbook(play(task("none: create", library_item_id=fresh, warning_behavior=[{"type": SELF_SIGNED}])))
    assert rerun.task["changed"] is False and writes(sim) == [], "running the task twice creates one session"
    assert [s["library_item_id"] for s in sim.state.update_sessions.values()].count(fresh) == 1


def test_concurrent_creates_share_one_session_through_the_client_token(playbook, trusted_simulator, tmp_path):
    """Two hosts create for the same item at once; both POSTs carry the same token, so vCenter makes one
    session instead of refusing the second as RESOURCE_BUSY."""
    sim = trusted_simulator
    item = sim.state.add_library_item()
    # Hold each create long enough that both hosts have listed the item before either is carried out.
    sim.inject_fault(method="POST", path="update-session$", delay=2.0, times=2)
    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps({"all": {"hosts": {"first": {}, "second": {}}, "vars": {
        "ansible_connection": "local", "ansible_python_interpreter": str(dev.venv_bin("python"))}}}))
    plays = [{"name": "Both hosts at once", "hosts": "all", "gather_facts": False,
              "tasks": [task("create", library_item_id=item)]}]
    run = playbook(plays, args=["-i", str(inventory), "--forks", "2"])
    assert run.returncode == 0, run.output
    results = [entry["result"] for entry in run.results]
    assert len(results) == 2
    assert {result["update_session"]["id"] for result in results} == set(sim.state.update_sessions)
    assert len(sim.state.update_sessions) == 1
    creates = sim.calls("POST", "create_session")
    assert len(creates) == 2 and creates[0]["query"] == creates[1]["query"]
    assert [entry["status"] for entry in creates] == [201, 201]


def test_previews_late_timed_out_and_not_applicable(playbook, trusted_simulator):
    sim = trusted_simulator
    late = sim.state.add_update_session(preview_warnings=[SELF_SIGNED, UNTRUSTED], preview_delay=1.5)
    never = sim.state.add_update_session(preview_warnings=[SELF_SIGNED], preview_delay=600)
    not_applicable = sim.state.add_update_session(preview_state="NOT_APPLICABLE")
    run = playbook(play(
        task("late", update_session_id=late, ignore_preview_warnings=True),
        task("timeout", ignore_errors=True, update_session_id=never, ignore_preview_warnings=True, preview_timeout=1),
        task("not applicable", update_session_id=not_applicable, ignore_preview_warnings=True),
        task("not applicable completes", update_session_id=not_applicable, state="completed",
             ignore_preview_warnings=True),
    ))
    assert run["late"]["changed"] is True
    assert run["late"]["update_session"]["warning_behavior"] == [
        {"type": SELF_SIGNED, "ignored": True}, {"type": UNTRUSTED, "ignored": True}]
    assert run.status("timeout") == "failed"
    assert run["timeout"]["msg"] == (
        "the preview of update session %s was still PREPARING after 1 seconds (preview_timeout)" % never)
    assert run["not applicable"]["changed"] is False
    assert run["not applicable completes"]["update_session"]["state"] == "DONE"
    assert writes(sim) == [("PATCH", "update_session"), ("POST", "complete_session")]


UPLOAD_WORKFLOW = str(dev.ROOT / "docs" / "examples" / "upload-workflow.yml")


def test_the_documented_upload_workflow(playbook, trusted_simulator, tmp_path):
    """The example uploads a signed OVF made on the fly: .mf and .cert before the .ovf, then every referenced
    file (an .nvram too), ignores what the preview raised, and completes into the item."""
    from ovf_package import make_ovf_package

    sim = trusted_simulator
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 300000}, extra_files={"photon.nvram": b"nvram"})
    item = sim.state.add_library_item(type="ovf")
    run = playbook(UPLOAD_WORKFLOW, {"library_item_id": item, "ovf_dir": str(tmp_path), "ovf_name": "photon"})
    assert run.returncode == 0, run.output
    (session_id,) = sim.state.update_sessions
    assert sim.state.update_sessions[session_id]["state"] == "DONE"
    added = [entry["body"]["name"] for entry in sim.calls(route="add_file")]
    assert added == ["photon.mf", "photon.cert", "photon.ovf", "photon-disk1.vmdk", "photon.nvram"]
    item_files = sim.state.items[item]["files"]
    assert sorted(item_files) == ["photon-disk1.vmdk", "photon.nvram", "photon.ovf"], "no .mf or .cert is kept"
    assert item_files["photon-disk1.vmdk"]["checksum_info"]["checksum"] == package.files["photon-disk1.vmdk"].sha1
    info = run["Read the session, with its preview and its files"]["update_sessions"][0]
    assert {w["type"]: w["ignored"] for w in info["preview_info"]["warnings"]} == {SELF_SIGNED: True, UNTRUSTED: True}
    assert info["preview_info"]["certificate_info"]["x509"].strip() == package.cert_pem.strip()
    assert info["validation"] == {"has_errors": False, "missing_files": [], "invalid_files": []}
    assert ("POST", "complete_session") in writes(sim)
    assert_logged_out(sim)


def test_the_workflow_refuses_an_expired_certificate_and_leaves_no_active_session(playbook, trusted_simulator,
                                                                                  tmp_path):
    from ovf_package import make_ovf_package

    sim = trusted_simulator
    make_ovf_package(tmp_path, signer="expired")
    item = sim.state.add_library_item(type="ovf")
    run = playbook(UPLOAD_WORKFLOW, {"library_item_id": item, "ovf_dir": str(tmp_path), "ovf_name": "photon"})
    assert run.returncode != 0
    (session,) = sim.state.update_sessions.values()
    assert session["state"] == "ERROR", "the completion failed on the warning nobody ignored"
    assert "EXPIRED_CERTIFICATE" in run["Fail with the reason"]["msg"]
    assert sim.state.items[item]["files"] == {}, "the item is left as it was"
    assert_logged_out(sim)
