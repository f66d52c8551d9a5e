# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator speaks vCenter's wire format, as judged by VMware's own generated bindings (sdk_support.py):
the API session, update sessions and their files, each call succeeding or raising the standard error the spec
names; and the runtime's two wire bugs, which sdk_support mends, are still there."""


import pytest
from com.vmware.cis_client import Session
from com.vmware.content.library import item_client
from com.vmware.content.library.item.updatesession_client import PreviewInfo, WarningBehavior, WarningType
from com.vmware.content.library.item_client import UpdateSession, UpdateSessionModel
from com.vmware.vapi.std import errors_client

from helpers import EVERY_RELEASE, USERNAME, take_wire_misfits
from sdk_support import Sdk, new_session, raises


# -- cis Session ---------------------------------------------------------------


def test_session_create_get_delete(simulator):
    sdk = Sdk(simulator)
    token = sdk.login()
    assert simulator.active_tokens == {token: USERNAME}
    session = sdk.service(Session)
    info = session.get()
    assert info.user == USERNAME
    assert info.created_time <= info.last_accessed_time
    session.delete()
    assert simulator.active_tokens == {}
    with raises(sdk, errors_client.Unauthenticated, 401):
        session.get()


def test_session_create_with_a_wrong_password_is_unauthenticated(simulator):
    sdk = Sdk(simulator)
    with raises(sdk, errors_client.Unauthenticated, 401):
        sdk.login(password="wrong")
    assert simulator.active_tokens == {}


def test_the_calls_use_the_api_paths_and_unwrapped_bodies(sdk, sessions):
    item_id, session_id = new_session(sdk, sessions)
    sdk.simulator.clear_log()
    sessions.update(session_id, UpdateSessionModel(
        warning_behavior=[WarningBehavior(type=WarningType.SELF_SIGNED_CERTIFICATE, ignored=True)]))
    (call,) = sdk.simulator.calls()
    assert (call["method"], call["path"]) == ("PATCH", "/api/content/library/item/update-session/" + session_id)
    assert call["body"] == {"warning_behavior": [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]}
    assert call["status"] == 204 and item_id in sdk.simulator.state.items


def test_the_bindings_default_rest_format_cannot_read_the_answers(sdk):
    """Left in their "/rest" format, the bindings look for a {"value": ...} wrapper the /api answers lack."""
    item_id = sdk.simulator.state.add_library_item()
    with pytest.raises(AttributeError, match="get_field"):
        UpdateSession(sdk.config).create(UpdateSessionModel(library_item_id=item_id))
    (call,) = sdk.simulator.calls("POST", "create_session")
    assert call["status"] == 201 and call["body"] == {"library_item_id": item_id}


# -- UpdateSession -------------------------------------------------------------


def test_update_session_create_get_list(sdk, sessions):
    item_id, session_id = new_session(sdk, sessions)
    other_item, other_id = new_session(sdk, sessions)
    model = sessions.get(session_id)
    assert model.library_item_id == item_id
    assert model.library_item_content_version == "1"
    assert model.state == UpdateSessionModel.State.ACTIVE
    assert model.client_progress == 0
    assert model.preview_info.state == PreviewInfo.State.AVAILABLE
    assert model.preview_info.warnings == []
    assert model.expiration_time is not None
    assert sorted(sessions.list()) == sorted([session_id, other_id])
    assert sessions.list(library_item_id=other_item) == [other_id]


def test_update_session_create_with_a_client_token_is_idempotent(sdk, sessions):
    item_id = sdk.simulator.state.add_library_item()
    first = sessions.create(UpdateSessionModel(library_item_id=item_id), client_token="token-1")
    assert sessions.create(UpdateSessionModel(library_item_id=item_id), client_token="token-1") == first
    creates = sdk.simulator.calls("POST", "create_session")
    assert [(call["client_token"], call["query"], call["status"]) for call in creates] == [("token-1", {}, 201)] * 2


def test_update_session_create_on_an_unknown_item_is_not_found(sdk, sessions):
    with raises(sdk, errors_client.NotFound, 404):
        sessions.create(UpdateSessionModel(library_item_id="no-such-item"))


def test_update_session_get_of_an_unknown_session_is_not_found(sdk, sessions):
    with raises(sdk, errors_client.NotFound, 404):
        sessions.get("no-such-session")


def test_update_session_update_sets_the_warning_behavior_and_the_preview_reports_it(sdk, sessions):
    session_id = new_session(sdk, sessions, signed=True,
                             preview_warnings=["SELF_SIGNED_CERTIFICATE", "UNTRUSTED_CERTIFICATE"])[1]
    sessions.update(session_id, UpdateSessionModel(
        warning_behavior=[WarningBehavior(type=WarningType.SELF_SIGNED_CERTIFICATE, ignored=True)]))
    model = sessions.get(session_id)
    assert [(entry.type, entry.ignored) for entry in model.warning_behavior] == [
        (WarningType.SELF_SIGNED_CERTIFICATE, True)]
    preview = model.preview_info
    assert [(warning.type, warning.ignored) for warning in preview.warnings] == [
        (WarningType.SELF_SIGNED_CERTIFICATE, True), (WarningType.UNTRUSTED_CERTIFICATE, False)]
    assert all(warning.message.default_message for warning in preview.warnings)
    assert preview.certificate_info.self_signed is True
    assert preview.certificate_info.x509.startswith("-----BEGIN CERTIFICATE-----")
    assert preview.certificate_info.issuer == preview.certificate_info.subject
    assert len(preview.cert_chain) == 1


def test_update_session_update_of_a_finished_session_is_not_allowed(sdk, sessions):
    session_id = new_session(sdk, sessions)[1]
    sessions.cancel(session_id)
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        sessions.update(session_id, UpdateSessionModel(warning_behavior=[]))


def test_update_session_preview_is_preparing_while_its_delay_runs(sdk, sessions):
    session_id = new_session(sdk, sessions, preview_delay=60)[1]
    preview = sessions.get(session_id).preview_info
    assert preview.state == PreviewInfo.State.PREPARING
    assert preview.warnings is None and preview.certificate_info is None


def test_update_session_keep_alive_records_the_progress(sdk, sessions):
    session_id = new_session(sdk, sessions)[1]
    before = sessions.get(session_id).expiration_time
    sessions.keep_alive(session_id, client_progress=42)
    model = sessions.get(session_id)
    assert model.client_progress == 42
    assert model.expiration_time >= before
    sessions.keep_alive(session_id)
    with raises(sdk, errors_client.NotFound, 404):
        sessions.keep_alive("no-such-session", client_progress=1)


def test_update_session_complete_applies_it(sdk, sessions):
    item_id, session_id = new_session(sdk, sessions)
    assert sessions.complete(session_id) is None
    model = sessions.get(session_id)
    assert model.state == UpdateSessionModel.State.DONE
    assert model.client_progress == 100
    assert model.preview_info is None
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        sessions.complete(session_id)
    assert sdk.simulator.state.items[item_id]["content_version"] == "2"


def test_update_session_complete_with_warnings_not_ignored_ends_in_error(sdk, sessions):
    session_id = new_session(sdk, sessions, signed=True, preview_warnings=["EXPIRED_CERTIFICATE"])[1]
    sessions.complete(session_id)
    model = sessions.get(session_id)
    assert model.state == UpdateSessionModel.State.ERROR
    assert "EXPIRED_CERTIFICATE" in model.error_message.default_message
    assert model.error_message.id


def test_update_session_fail_records_the_client_message(sdk, sessions):
    session_id = new_session(sdk, sessions)[1]
    sessions.fail(session_id, "the disk could not be read")
    model = sessions.get(session_id)
    assert model.state == UpdateSessionModel.State.ERROR
    assert model.error_message.default_message == "the disk could not be read"
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        sessions.fail(session_id, "again")


def test_update_session_cancel_then_delete(sdk, sessions):
    session_id = new_session(sdk, sessions)[1]
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        sessions.delete(session_id)  # an ACTIVE session
    sessions.cancel(session_id)
    assert sessions.get(session_id).state == UpdateSessionModel.State.CANCELED
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        sessions.cancel(session_id)
    sessions.delete(session_id)
    with raises(sdk, errors_client.NotFound, 404):
        sessions.get(session_id)
    with raises(sdk, errors_client.NotFound, 404):
        sessions.delete(session_id)
    assert session_id not in sessions.list()


def test_calls_without_a_session_are_unauthenticated(simulator):
    sdk = Sdk(simulator)
    with raises(sdk, errors_client.Unauthenticated, 401):
        sdk.service(UpdateSession).list()

# -- the runtime's wire bugs -------------------------------------------------


def test_without_the_fixes_the_runtime_drops_the_token_and_sends_a_body_on_a_get(sdk, monkeypatch):
    """The bugs mend_runtime mends are still there; when this fails, the runtime is fixed: drop the fixes."""
    monkeypatch.undo()
    state = sdk.simulator.state
    item_id = state.add_library_item(files=[{"name": "a.iso", "content": b"abc"}])
    sdk.service(UpdateSession).create(UpdateSessionModel(library_item_id=item_id), client_token="token-1")
    (create,) = sdk.simulator.calls("POST", "create_session")
    assert (create["client_token"], create["query"]) == (None, {})
    with pytest.raises(errors_client.Error):
        sdk.service(item_client.File).get(item_id, "a.iso")
    (get,) = sdk.simulator.calls("GET")[-1:]
    assert get["body"] == {"name": "a.iso"} and get["query"] == {"name": ""}
    # Expected here, the simulator's word on that GET: its body is no input of File.get in any release.
    assert take_wire_misfits(sdk.simulator) == {
        "com.vmware.content.library.item.file.get: body field name is not one of its inputs": EVERY_RELEASE}
    sdk.simulator.violations.clear()  # and the 400 it answered, which the spec does not declare for File.get
