# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_update_session's lifecycle: lookup by item, creation, preview, states, keep-alive.

The real module code runs in-process against the simulator; each test checks
the result and what the simulator saw.
"""

import uuid

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from helpers import assert_logged_out, connection_args, entry, run_module, warning_texts, writes

SELF_SIGNED = "SELF_SIGNED_CERTIFICATE"
EXPIRED = "EXPIRED_CERTIFICATE"
UNTRUSTED = "UNTRUSTED_CERTIFICATE"


def run(simulator, check_mode=False, diff=False, **options):
    return run_module(main, connection_args(simulator, **options), check_mode=check_mode, diff=diff)


def state_of(simulator, session_id):
    return simulator.state.update_sessions[session_id]["state"]


# -- lookup by library item and creation ---------------------------------------


def test_library_item_without_a_session_gets_one_created_then_found(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item()
    first = run(sim, library_item_id=item, warning_behavior=[entry(SELF_SIGNED)])
    assert first["changed"] is True
    session_id = first["update_session"]["id"]
    assert sim.state.update_sessions[session_id]["library_item_id"] == item
    create = sim.calls("POST", "create_session")[0]
    assert create["body"] == {"library_item_id": item, "warning_behavior": [entry(SELF_SIGNED)]}
    assert create["query"] == {} and str(uuid.UUID(create["client_token"])) == create["client_token"]
    assert writes(sim) == [("POST", "create_session")], "the create spec carries warning_behavior; no PATCH"

    sim.clear_log()
    second = run(sim, library_item_id=item, warning_behavior=[entry(SELF_SIGNED)])
    assert second["changed"] is False
    assert second["update_session"]["id"] == session_id
    assert writes(sim) == []
    assert len(sim.state.update_sessions) == 1
    assert_logged_out(sim)


def test_library_item_with_one_active_session_selects_it(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item()
    sim.state.add_update_session(library_item_id=item, state="DONE")
    active = sim.state.add_update_session(library_item_id=item)
    result = run(sim, library_item_id=item, warning_behavior=[entry(UNTRUSTED)])
    assert result["changed"] is True and result["update_session"]["id"] == active
    assert sim.calls("GET", "list_sessions")[0]["query"] == {"library_item_id": item}
    assert writes(sim) == [("PATCH", "update_session")]


def test_library_item_with_many_active_sessions_fails_naming_them(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item()
    ids = sorted(sim.state.add_update_session(library_item_id=item) for _index in range(3))
    result = run(sim, library_item_id=item, warning_behavior=[entry(UNTRUSTED)])
    assert result["failed"] is True
    assert result["msg"] == (
        "library item %s has 3 ACTIVE update sessions (%s); use update_session_id to choose one" % (item, ", ".join(ids))
    )
    assert writes(sim) == []
    assert_logged_out(sim)


def test_unknown_library_item_fails(trusted_simulator):
    result = run(trusted_simulator, library_item_id="no-such-item")
    assert result["failed"] is True and result["msg"] == "library item no-such-item not found"


def test_create_in_check_mode_predicts_without_writing(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item()
    result = run(sim, check_mode=True, diff=True, library_item_id=item, warning_behavior=[entry(EXPIRED, False)],
                 ignore_preview_warnings=True)
    assert result["changed"] is True
    assert result["update_session"] == {
        "id": None, "library_item_id": item, "state": "ACTIVE", "client_progress": 0,
        "warning_behavior": [entry(EXPIRED, False)],
    }
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"] == {"state": "ACTIVE", "warning_behavior": [entry(EXPIRED, False)]}
    assert writes(sim) == [] and sim.state.update_sessions == {}


def test_client_token_changes_once_the_item_has_a_finished_session(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item()
    first = run(sim, library_item_id=item)
    sim.state.update_sessions[first["update_session"]["id"]]["state"] = "DONE"
    second = run(sim, library_item_id=item)
    tokens = [entry["client_token"] for entry in sim.calls("POST", "create_session")]
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert second["update_session"]["id"] != first["update_session"]["id"]
    assert second["update_session"]["state"] == "ACTIVE"


def test_a_token_vcenter_remembers_from_a_deleted_session_is_superseded(trusted_simulator):
    """The item's history looks as it did at the first create, so the first token comes back; vCenter
    answers it with the old, deleted session, and the module derives a new token from that answer."""
    sim = trusted_simulator
    item = sim.state.add_library_item()
    first = run(sim, library_item_id=item)["update_session"]["id"]
    del sim.state.update_sessions[first]  # completed, then deleted by vCenter after a while
    sim.clear_log()
    second = run(sim, library_item_id=item)
    assert second["changed"] is True and second["update_session"]["state"] == "ACTIVE"
    creates = sim.calls("POST", "create_session")
    assert [entry["status"] for entry in creates] == [201, 201]
    assert creates[0]["client_token"] != creates[1]["client_token"]
    assert list(sim.state.update_sessions) == [second["update_session"]["id"]]


# -- preview-aware ignoring --------------------------------------------------------


def test_ignore_preview_warnings_waits_for_a_late_preview(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_warnings=[SELF_SIGNED, UNTRUSTED], preview_delay=0.8)
    result = run(sim, update_session_id=session_id, ignore_preview_warnings=True,
                 warning_behavior=[entry(UNTRUSTED, False)])
    assert result["changed"] is True
    assert result["update_session"]["preview_info"]["state"] == "AVAILABLE"
    assert sim.state.update_sessions[session_id]["warning_behavior"] == [entry(SELF_SIGNED), entry(UNTRUSTED, False)]
    gets = sim.calls("GET", "get_session")
    assert len(gets) >= 3, "polled while PREPARING"
    assert writes(sim) == [("PATCH", "update_session")]


def test_preview_timeout_fails_naming_the_last_state(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_warnings=[SELF_SIGNED], preview_delay=60)
    result = run(sim, update_session_id=session_id, ignore_preview_warnings=True, preview_timeout=0.6)
    assert result["failed"] is True
    assert result["msg"] == (
        "the preview of update session %s was still PREPARING after 0.6 seconds (preview_timeout)" % session_id
    )
    assert writes(sim) == []
    assert_logged_out(sim)


@pytest.mark.parametrize("preview_state", ["NOT_APPLICABLE", "AVAILABLE"])
def test_a_preview_without_warnings_leaves_nothing_to_ignore(trusted_simulator, preview_state):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_state=preview_state, preview_warnings=[])
    result = run(sim, update_session_id=session_id, ignore_preview_warnings=True)
    assert result["changed"] is False
    assert "warnings" not in result["update_session"]["preview_info"] or \
        result["update_session"]["preview_info"]["warnings"] == []
    assert writes(sim) == []


def test_ignore_preview_warnings_on_a_finished_session_fails_at_once(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(state="DONE")
    result = run(sim, update_session_id=session_id, ignore_preview_warnings=True)
    assert result["msg"] == "update session %s is DONE; only ACTIVE sessions can be updated" % session_id
    assert len(sim.calls("GET", "get_session")) == 1


def test_ignore_preview_warnings_in_check_mode_predicts(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_warnings=[EXPIRED])
    result = run(sim, check_mode=True, update_session_id=session_id, ignore_preview_warnings=True)
    assert result["changed"] is True
    assert result["update_session"]["warning_behavior"] == [entry(EXPIRED)]
    assert result["update_session"]["preview_info"]["warnings"][0]["ignored"] is True
    assert writes(sim) == []


# -- states --------------------------------------------------------------------------


def test_completed_applies_the_preview_then_completes(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_warnings=[SELF_SIGNED])
    result = run(sim, update_session_id=session_id, state="completed", ignore_preview_warnings=True, diff=True)
    assert result["changed"] is True
    assert result["update_session"]["state"] == "DONE"
    assert "preview_info" not in result["update_session"]
    assert writes(sim) == [("PATCH", "update_session"), ("POST", "complete_session")]
    assert [e["route"] for e in sim.requests if e["method"] == "POST" and e["route"] != "login"] == [
        "validate_files", "complete_session"], \
        "the files are validated right before completing"
    assert result["diff"]["before"]["state"] == "ACTIVE" and result["diff"]["after"]["state"] == "DONE"
    sim.clear_log()
    again = run(sim, update_session_id=session_id, state="completed", ignore_preview_warnings=True)
    assert again["changed"] is False and writes(sim) == []


def test_completed_with_an_unignored_warning_fails_with_the_error_message(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_warnings=[UNTRUSTED])
    result = run(sim, update_session_id=session_id, state="completed")
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == (
        "update session %s failed to complete: The update session raised warnings that were not ignored: "
        "UNTRUSTED_CERTIFICATE." % session_id
    )
    assert result["update_session"]["state"] == "ERROR"
    assert state_of(sim, session_id) == "ERROR"


def test_completed_in_check_mode_predicts_the_failure_and_warns(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(preview_warnings=[UNTRUSTED])
    result = run(sim, check_mode=True, update_session_id=session_id, state="completed")
    assert result["changed"] is True
    assert result["update_session"]["state"] == "ERROR"
    assert warning_texts(result) == [
        "completing update session %s would fail: its preview raised UNTRUSTED_CERTIFICATE, which it does not "
        "ignore" % session_id
    ]
    assert writes(sim) == [] and state_of(sim, session_id) == "ACTIVE"
    ignoring = run(sim, check_mode=True, update_session_id=session_id, state="completed",
                   warning_behavior=[entry(UNTRUSTED)])
    assert ignoring["update_session"]["state"] == "DONE" and "warnings" not in ignoring


def test_completed_waits_for_a_background_completion(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(completion_delay=0.7)
    result = run(sim, update_session_id=session_id, state="completed")
    assert result["update_session"]["state"] == "DONE"
    assert len(sim.calls("GET", "get_session")) >= 3


def test_completed_without_wait_returns_the_active_session(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(completion_delay=30)
    result = run(sim, update_session_id=session_id, state="completed", wait=False)
    assert result["changed"] is True and result["update_session"]["state"] == "ACTIVE"


def test_completed_wait_timeout_fails(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(completion_delay=60)
    result = run(sim, update_session_id=session_id, state="completed", wait_timeout=0.5)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == (
        "update session %s was still ACTIVE 0.5 seconds after it was completed (wait_timeout)" % session_id
    )


@pytest.mark.parametrize("state, action, final", [
    ("canceled", "cancel_session", "CANCELED"),
    ("failed", "fail_session", "ERROR"),
])
def test_cancel_and_fail_are_idempotent(trusted_simulator, state, action, final):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    extra = {"client_error_message": "download failed"} if state == "failed" else {}
    predicted = run(sim, check_mode=True, update_session_id=session_id, state=state, **extra)
    assert predicted["changed"] is True and predicted["update_session"]["state"] == final
    assert writes(sim) == []
    first = run(sim, update_session_id=session_id, state=state, **extra)
    assert first["changed"] is True and first["update_session"]["state"] == final
    assert writes(sim) == [("POST", action)]
    if state == "failed":
        assert sim.calls("POST", action)[0]["body"] == {"client_error_message": "download failed"}
        assert first["update_session"]["error_message"]["default_message"] == "download failed"
    sim.clear_log()
    second = run(sim, update_session_id=session_id, state=state, **extra)
    assert second["changed"] is False and writes(sim) == []


@pytest.mark.parametrize("state, current", [
    ("completed", "CANCELED"), ("completed", "ERROR"),
    ("canceled", "DONE"), ("canceled", "ERROR"),
    ("failed", "DONE"), ("failed", "CANCELED"),
])
def test_impossible_transitions_fail_clearly(trusted_simulator, state, current):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(state=current)
    extra = {"client_error_message": "x"} if state == "failed" else {}
    for check_mode in (True, False):
        result = run(sim, check_mode=check_mode, update_session_id=session_id, state=state, **extra)
        assert result["failed"] is True
        assert result["msg"] == "update session %s is %s and cannot be %s; only ACTIVE sessions can be" % (
            session_id, current, state)
    assert writes(sim) == []


@pytest.mark.parametrize("current, writes_expected", [
    ("ACTIVE", [("POST", "cancel_session"), ("DELETE", "delete_session")]),
    ("DONE", [("DELETE", "delete_session")]),
])
def test_absent_deletes_and_is_idempotent(trusted_simulator, current, writes_expected):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(state=current)
    predicted = run(sim, check_mode=True, diff=True, update_session_id=session_id, state="absent")
    assert predicted["changed"] is True and predicted["diff"]["after"] == {}
    assert writes(sim) == [] and session_id in sim.state.update_sessions
    result = run(sim, update_session_id=session_id, state="absent")
    assert result["changed"] is True and "update_session" not in result
    assert writes(sim) == writes_expected and session_id not in sim.state.update_sessions
    sim.clear_log()
    again = run(sim, update_session_id=session_id, state="absent")
    assert again["changed"] is False and writes(sim) == []


def test_states_by_library_item_without_an_active_session_change_nothing(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item()
    sim.state.add_update_session(library_item_id=item, state="DONE")
    for state in ("completed", "canceled", "absent"):
        result = run(sim, library_item_id=item, state=state)
        assert result["changed"] is False, state
        if state != "absent":
            assert result["msg"] == "library item %s has no ACTIVE update session" % item
    assert writes(sim) == []


def test_unknown_session_fails_except_for_absent(trusted_simulator):
    assert run(trusted_simulator, update_session_id="gone", state="canceled")["msg"] == "update session gone not found"
    assert run(trusted_simulator, update_session_id="gone", state="absent")["changed"] is False


# -- keep-alive and expiry ----------------------------------------------------------------


def test_keep_alive_extends_the_expiry_and_always_reports_changed(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    before = sim.state.update_sessions[session_id]["expiration_time"]
    for _run in range(2):
        result = run(sim, update_session_id=session_id, keep_alive=True)
        assert result["changed"] is True
    assert sim.state.update_sessions[session_id]["expiration_time"] > before
    assert writes(sim) == [("POST", "keep_alive_session")] * 2
    sim.clear_log()
    assert run(sim, check_mode=True, update_session_id=session_id, keep_alive=True)["changed"] is True
    assert writes(sim) == []


# -- options that cannot work send nothing ----------------------------------------------------


@pytest.mark.parametrize("options, message", [
    ({}, "one of the following is required: update_session_id, library_item_id"),
    ({"update_session_id": "a", "library_item_id": "b", "keep_alive": True},
     "parameters are mutually exclusive: update_session_id|library_item_id"),
    ({"update_session_id": "a", "state": "failed"}, "state is failed but all of the following are missing: "
                                                    "client_error_message"),
    ({"update_session_id": "a"}, "with update_session_id and state=present, give warning_behavior, "
                                 "purge_warning_behavior, ignore_preview_warnings or keep_alive: there is nothing "
                                 "else to do"),
    ({"update_session_id": "a", "state": "canceled", "ignore_preview_warnings": True},
     "warning_behavior, purge_warning_behavior and ignore_preview_warnings apply only with state=present or "
     "state=completed, not state=canceled"),
    ({"update_session_id": "a", "state": "completed", "keep_alive": True},
     "keep_alive applies only with state=present, not state=completed"),
    ({"update_session_id": "a", "state": "absent", "client_error_message": "x"},
     "client_error_message applies only with state=failed, not state=absent"),
    ({"library_item_id": " "}, "library_item_id must not be empty"),
    ({"update_session_id": "a", "keep_alive": True, "preview_timeout": -1},
     "preview_timeout must be a number of seconds, 0 or more"),
    ({"update_session_id": "a", "state": "completed", "wait_timeout": "soon"}, "wait_timeout"),
])
def test_unusable_options_fail_before_any_request(trusted_simulator, options, message):
    result = run(trusted_simulator, **options)
    assert result["failed"] is True
    assert message in result["msg"]
    assert "\n" not in result["msg"]
    assert trusted_simulator.requests == []
