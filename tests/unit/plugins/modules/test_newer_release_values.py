# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Enumeration values a later vCenter release adds: the modules report them and go on where that is safe,
and otherwise fail in one line naming the value.

The simulator plays that later release (``newer_values``): its description gains the values, so it accepts
and sends them. The wire check still holds every request to 8.0.3, 9.0 and 9.1, so the one request that
echoes a new value back (a PATCH ignoring a new warning type) is a misfit there, taken here as expected.
"""

import hashlib

import pytest

from ansible_collections.vsphere.content.plugins.modules import (
    content_library_item,
    content_library_update_session,
    content_library_update_session_file,
    content_library_update_session_info,
)
from helpers import EVERY_RELEASE, connection_args, run_module, take_wire_misfits, warning_texts

REVOKED = "REVOKED_CERTIFICATE"
SCANNING = "SCANNING"
PAUSED = "PAUSED"
VERIFYING = "VERIFYING"
SHA3 = "SHA3_256"
KNOWN_WARNINGS = "SELF_SIGNED_CERTIFICATE, EXPIRED_CERTIFICATE, NOT_YET_VALID_CERTIFICATE, UNTRUSTED_CERTIFICATE"
NEWER = {
    "ContentLibraryItemUpdatesessionWarningType": [REVOKED],
    "ContentLibraryItemTransferStatus": [SCANNING],
    "ContentLibraryItemUpdateSessionModelState": [PAUSED],
    "ContentLibraryItemUpdatesessionPreviewInfoState": [VERIFYING],
    "ContentLibraryItemFileChecksumAlgorithm": [SHA3],
}
pytestmark = pytest.mark.parametrize("simulator", [{"newer_values": NEWER}], indirect=True)


def run(module, sim, **options):
    return run_module(module.main, connection_args(sim, **options))


def iso_item(sim, tmp_path, **settings):
    sim.state.add_library("library-1", name="isos")
    path = tmp_path / "tools.iso"
    path.write_bytes(b"tools " * 1000)
    return sim.state.add_library_item(library_id="library-1", name="tools", type="iso", **settings), path


def test_a_new_warning_type_fails_the_strict_policy_naming_it_and_the_option_that_accepts_it(trusted_simulator, tmp_path):
    sim = trusted_simulator
    _item, path = iso_item(sim, tmp_path, preview_warnings=[REVOKED])

    result = run(content_library_item, sim, library_name="isos", name="tools", src=str(path))

    assert result["failed"] is True and "\n" not in result["msg"]
    (cancel,) = sim.calls("POST", "cancel_session")
    session_id = cancel["path_params"]["update_session_id"]
    assert result["msg"].startswith(
        "the preview of update session %s raised %s (The content raised %s.), which the task does not ignore; "
        "%s is not a warning type this collection knows, so warning_behavior cannot name it: set "
        "ignore_preview_warnings to accept whatever the preview raises; update session %s was canceled and deleted"
        % (session_id, REVOKED, REVOKED, REVOKED, session_id)), result["msg"]
    assert sim.calls("POST", "complete_session") == [] and sim.state.update_sessions == {}


def test_ignore_preview_warnings_accepts_a_new_warning_type_and_reports_it(trusted_simulator, tmp_path):
    sim = trusted_simulator
    item_id, path = iso_item(sim, tmp_path, preview_warnings=[REVOKED])

    result = run(content_library_item, sim, library_name="isos", name="tools", src=str(path),
                 ignore_preview_warnings=True)

    assert result["changed"] is True, result
    session_id = result["update_session_id"]
    assert sim.state.update_sessions[session_id]["state"] == "DONE"
    assert "vCenter reported the preview warning %s of update session %s, which this collection does not know " \
           "(it knows %s)" % (REVOKED, session_id, KNOWN_WARNINGS) in warning_texts(result)
    (patch,) = sim.calls("PATCH", "update_session")
    assert patch["body"] == {"warning_behavior": [{"type": REVOKED, "ignored": True}]}
    assert take_wire_misfits(sim) == {  # expected: only the newer release knows the value it echoes
        "com.vmware.content.library.item.update_session.update: update_spec/warning_behavior/0/type: "
        "'%s' is not a value of WarningType" % REVOKED: EVERY_RELEASE}
    assert sim.state.items[item_id]["files"]["tools.iso"]["checksum_info"]["checksum"] == hashlib.sha1(
        path.read_bytes()).hexdigest()


def test_the_session_module_ignores_a_new_warning_type_when_asked_and_the_info_module_reports_it(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_warnings=[REVOKED, "SELF_SIGNED_CERTIFICATE"])

    result = run(content_library_update_session, sim, update_session_id=session_id, ignore_preview_warnings=True)
    info = run(content_library_update_session_info, sim, update_session_id=session_id)

    assert result["changed"] is True and result["update_session"]["warning_behavior"] == [
        {"type": REVOKED, "ignored": True}, {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]
    reported = "vCenter reported the preview warning %s of update session %s, which this collection does not " \
               "know (it knows %s)" % (REVOKED, session_id, KNOWN_WARNINGS)
    assert reported in warning_texts(result) and reported in warning_texts(info)
    assert info["update_sessions"][0]["preview_info"]["warnings"][0]["type"] == REVOKED, "returned as vCenter sent it"
    assert len(take_wire_misfits(sim)) == 1  # the PATCH that echoes it, as above


def test_a_new_session_state_fails_a_transition_in_one_line_naming_it(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(state=PAUSED)

    result = run(content_library_update_session, sim, update_session_id=session_id, state="completed")
    info = run(content_library_update_session_info, sim, update_session_id=session_id)

    assert result["failed"] is True
    assert result["msg"] == "update session %s is %s and cannot be completed; only ACTIVE sessions can be" % (
        session_id, PAUSED)
    assert info["update_sessions"][0]["state"] == PAUSED
    assert "vCenter reported the state %s of update session %s, which this collection does not know (it knows " \
           "ACTIVE, DONE, ERROR, CANCELED)" % (PAUSED, session_id) in warning_texts(info)


def test_a_completion_that_ends_in_a_new_state_is_not_taken_for_done(trusted_simulator, monkeypatch):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    complete = sim._op_complete_session  # pylint: disable=protected-access

    def complete_into_a_new_state(**kwargs):
        answer = complete(**kwargs)
        sim.state.update_sessions[session_id]["state"] = PAUSED
        return answer
    monkeypatch.setattr(sim, "_op_complete_session", complete_into_a_new_state)

    result = run(content_library_update_session, sim, update_session_id=session_id, state="completed")

    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == ("update session %s is %s after it was completed, not DONE (a state this collection "
                             "does not know)" % (session_id, PAUSED))


def test_a_new_preview_state_is_waited_through_then_named_at_the_timeout(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_state=VERIFYING)

    result = run(content_library_update_session, sim, update_session_id=session_id, ignore_preview_warnings=True,
                 preview_timeout=0.3)

    assert result["failed"] is True
    assert result["msg"] == "the preview of update session %s was still %s after 0.3 seconds (preview_timeout)" % (
        session_id, VERIFYING)
    assert len(sim.calls("GET", "get_session")) >= 2, "it kept polling"
    assert sim.calls("PATCH") == []


def test_a_new_transfer_status_is_waited_through_and_reported(trusted_simulator, tmp_path):
    sim = trusted_simulator
    item_id = sim.state.add_library_item(type="iso", settling=(SCANNING, 0.4))
    session_id = sim.state.add_update_session(library_item_id=item_id)
    path = tmp_path / "tools.iso"
    path.write_bytes(b"tools " * 1000)

    result = run(content_library_update_session_file, sim, update_session_id=session_id, name="tools.iso",
                 src=str(path))

    assert result["changed"] is True and result["file"]["status"] == "READY", result
    assert "vCenter reported the status %s of file tools.iso, which this collection does not know (it knows " \
           "WAITING_FOR_TRANSFER, TRANSFERRING, READY, VALIDATING, ERROR)" % SCANNING in warning_texts(result)


def test_a_new_transfer_status_that_outlasts_the_wait_is_named_in_the_failure(trusted_simulator, tmp_path):
    sim = trusted_simulator
    item_id = sim.state.add_library_item(type="iso", settling=(SCANNING, 60))
    session_id = sim.state.add_update_session(library_item_id=item_id)
    path = tmp_path / "tools.iso"
    path.write_bytes(b"tools")

    result = run(content_library_update_session_file, sim, update_session_id=session_id, name="tools.iso",
                 src=str(path), wait_timeout=0.3)

    assert result["failed"] is True
    assert result["msg"] == ("file tools.iso of update session %s was still %s 0.3 seconds after it was added, not "
                             "yet received (wait_timeout)" % (session_id, SCANNING))


def test_a_checksum_in_a_new_algorithm_counts_as_different_and_is_reported(trusted_simulator, tmp_path):
    sim = trusted_simulator
    item_id, path = iso_item(sim, tmp_path)
    # The item holds the same bytes, with their checksum in an algorithm this collection cannot compute.
    sim.state.items[item_id]["files"]["tools.iso"] = {
        "name": "tools.iso", "size": 6000, "cached": True, "version": "1", "path": None,
        "checksum_info": {"algorithm": SHA3, "checksum": hashlib.sha3_256(path.read_bytes()).hexdigest()}}

    first = run(content_library_item, sim, library_name="isos", name="tools", src=str(path))
    again = run(content_library_item, sim, library_name="isos", name="tools", src=str(path))

    assert first["changed"] is True and first["changes"]["replaced"] == ["tools.iso"], first
    assert "vCenter reported the checksum algorithm %s of file tools.iso, which this collection does not know " \
           "(it knows SHA1, MD5, SHA256, SHA512)" % SHA3 in warning_texts(first)
    (add,) = sim.calls("POST", "add_file")
    assert add["body"]["checksum_info"]["algorithm"] == "SHA1", "sent in the API's default, which it can compute"
    assert again["changed"] is False and "warnings" not in again, "vCenter now reports SHA1"
