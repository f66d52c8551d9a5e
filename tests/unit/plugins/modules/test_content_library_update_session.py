# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_update_session: the real module code, with its real argument parsing, against the simulator."""

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from helpers import PASSWORD, USERNAME, assert_logged_out, connection_args, entry, run_module

SELF_SIGNED = "SELF_SIGNED_CERTIFICATE"
EXPIRED = "EXPIRED_CERTIFICATE"
UNTRUSTED = "UNTRUSTED_CERTIFICATE"


def run(simulator, session_id, warning_behavior, check_mode=False, diff=False, **options):
    args = connection_args(simulator, update_session_id=session_id, warning_behavior=warning_behavior)
    args.update(options)
    return run_module(main, args, check_mode=check_mode, diff=diff)


def server_behavior(simulator, session_id):
    return simulator.state.update_sessions[session_id]["warning_behavior"]


def test_first_run_changes_second_is_ok(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(warning_behavior=[entry(EXPIRED, False)])

    first = run(sim, session_id, [entry(SELF_SIGNED), entry(UNTRUSTED)])
    assert first["changed"] is True
    assert first["update_session"]["id"] == session_id
    assert sorted(first["update_session"]["warning_behavior"], key=lambda e: e["type"]) == [
        entry(EXPIRED, False), entry(SELF_SIGNED), entry(UNTRUSTED),
    ]
    assert len(sim.calls("PATCH")) == 1
    assert sim.calls("PATCH")[0]["body"] == {
        "warning_behavior": [entry(EXPIRED, False), entry(SELF_SIGNED), entry(UNTRUSTED)]
    }, "only warning_behavior is sent"

    sim.clear_log()
    second = run(sim, session_id, [entry(UNTRUSTED), entry(SELF_SIGNED)])
    assert second["changed"] is False
    assert sim.calls("PATCH") == []
    assert [e["route"] for e in sim.requests] == ["login", "get_session", "logout"]
    assert_logged_out(sim)


@pytest.mark.parametrize("simulator", ["8.0.2", "7.0.3"], indirect=True)
def test_each_api_version(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    assert run(trusted_simulator, session_id, [entry(SELF_SIGNED)])["changed"] is True
    assert run(trusted_simulator, session_id, [entry(SELF_SIGNED)])["changed"] is False


def test_order_does_not_matter(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session(
        warning_behavior=[entry(UNTRUSTED), entry(SELF_SIGNED, False), entry(EXPIRED)]
    )
    result = run(trusted_simulator, session_id, [entry(EXPIRED), entry(SELF_SIGNED, False), entry(UNTRUSTED)])
    assert result["changed"] is False
    assert trusted_simulator.calls("PATCH") == []


def test_ignored_defaults_to_true(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    run(trusted_simulator, session_id, [{"type": SELF_SIGNED}])
    assert server_behavior(trusted_simulator, session_id) == [entry(SELF_SIGNED, True)]


def test_check_mode_predicts_and_changes_nothing(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(
        warning_behavior=[entry(EXPIRED, False)], preview_warnings=[SELF_SIGNED, UNTRUSTED]
    )
    prediction = run(sim, session_id, [entry(SELF_SIGNED)], check_mode=True)
    assert prediction["changed"] is True
    assert sim.calls("PATCH") == []
    assert server_behavior(sim, session_id) == [entry(EXPIRED, False)]

    actual = run(sim, session_id, [entry(SELF_SIGNED)])
    for outcome in (prediction, actual):
        outcome["update_session"].pop("expiration_time")
    assert prediction["update_session"] == actual["update_session"], "check mode predicted the real outcome"


def test_check_mode_without_a_change(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session(warning_behavior=[entry(SELF_SIGNED)])
    assert run(trusted_simulator, session_id, [entry(SELF_SIGNED)], check_mode=True)["changed"] is False


def test_diff_only_in_diff_mode(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session(warning_behavior=[entry(UNTRUSTED)])
    assert "diff" not in run(trusted_simulator, session_id, [entry(SELF_SIGNED)], check_mode=True)
    result = run(trusted_simulator, session_id, [entry(SELF_SIGNED, False)], diff=True)
    assert result["diff"] == {
        "before": {"state": "ACTIVE", "warning_behavior": [entry(UNTRUSTED)]},
        "after": {"state": "ACTIVE", "warning_behavior": [entry(SELF_SIGNED, False), entry(UNTRUSTED)]},
        "before_header": "update session %s" % session_id,
        "after_header": "update session %s" % session_id,
    }


def test_merge_keeps_and_purge_drops_unlisted_types(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(warning_behavior=[entry(EXPIRED, False), entry(UNTRUSTED)])
    run(sim, session_id, [entry(SELF_SIGNED)])
    assert {e["type"] for e in server_behavior(sim, session_id)} == {EXPIRED, UNTRUSTED, SELF_SIGNED}
    result = run(sim, session_id, [entry(SELF_SIGNED)], purge_warning_behavior=True)
    assert result["changed"] is True
    assert server_behavior(sim, session_id) == [entry(SELF_SIGNED)]
    assert run(sim, session_id, [entry(SELF_SIGNED)], purge_warning_behavior=True)["changed"] is False


@pytest.mark.parametrize("state", ["DONE", "CANCELED", "ERROR"])
@pytest.mark.parametrize("check_mode", [False, True])
def test_non_active_session_with_a_change_fails(trusted_simulator, state, check_mode):
    session_id = trusted_simulator.state.add_update_session(state=state)
    result = run(trusted_simulator, session_id, [entry(SELF_SIGNED)], check_mode=check_mode)
    assert result["failed"] is True
    assert result["msg"] == "update session %s is %s; only ACTIVE sessions can be updated" % (session_id, state)
    assert trusted_simulator.calls("PATCH") == []
    assert_logged_out(trusted_simulator)


def test_non_active_session_without_a_change_is_ok(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session(state="DONE", warning_behavior=[entry(SELF_SIGNED)])
    result = run(trusted_simulator, session_id, [entry(SELF_SIGNED)])
    assert result["changed"] is False and not result.get("failed")
    assert result["update_session"]["state"] == "DONE"


def test_unknown_session(trusted_simulator):
    result = run(trusted_simulator, "no-such-session", [entry(SELF_SIGNED)])
    assert result["failed"] is True
    assert result["msg"] == "update session no-such-session not found"
    assert_logged_out(trusted_simulator)


def test_bad_credentials(trusted_simulator):
    result = run(trusted_simulator, "any", [entry(SELF_SIGNED)], password="not-the-password")
    assert result["failed"] is True
    assert result["msg"] == "authentication failed for user %s at 127.0.0.1:%d" % (USERNAME, trusted_simulator.port)
    assert [e["route"] for e in trusted_simulator.requests] == ["login"]
    assert "not-the-password" not in json.dumps(result)


@pytest.mark.parametrize("warning_behavior, message", [
    ([{"type": "BOGUS_CERTIFICATE"}], "warning_behavior type 'BOGUS_CERTIFICATE' is not one of: SELF_SIGNED_CERTIFICATE"),
    ([entry(EXPIRED, True), entry(EXPIRED, False)],
     "warning_behavior lists EXPIRED_CERTIFICATE more than once with conflicting ignored values"),
])
def test_invalid_options_send_no_request(trusted_simulator, warning_behavior, message):
    result = run(trusted_simulator, "any", warning_behavior)
    assert result["failed"] is True
    assert message in result["msg"]
    assert "\n" not in result["msg"] and "Traceback" not in json.dumps(result)
    assert trusted_simulator.requests == [], "not even a login"


@pytest.mark.parametrize("options, message", [
    ({"update_session_id": " "}, "update_session_id must not be empty"),
    ({"hostname": "http://127.0.0.1"}, "only served over https"),
    ({"port": 0}, "port 0 is out of range"),
])
def test_unusable_values_send_no_request(trusted_simulator, options, message):
    result = run(trusted_simulator, "any", [entry(SELF_SIGNED)], **options)
    assert result["failed"] is True and message in result["msg"]
    assert trusted_simulator.requests == []


def test_agreeing_duplicates_are_merged(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    assert run(trusted_simulator, session_id, [entry(EXPIRED, False), entry(EXPIRED, False)])["changed"] is True
    assert server_behavior(trusted_simulator, session_id) == [entry(EXPIRED, False)]


@pytest.mark.parametrize("session_id", ["../../session", "..", "a/b", "x?y#z", "with space", "ünïcode-é"])
def test_hostile_ids_only_reach_their_own_path(trusted_simulator, session_id):
    trusted_simulator.state.add_update_session(session_id)
    decoy = trusted_simulator.state.add_update_session("session")
    result = run(trusted_simulator, session_id, [entry(SELF_SIGNED)])
    assert result["changed"] is True and result["update_session"]["id"] == session_id
    touched = [e for e in trusted_simulator.requests if e["route"] not in ("login", "logout")]
    assert [(e["method"], e["route"], e["path_params"]) for e in touched] == [
        ("GET", "get_session", {"update_session_id": session_id}),
        ("PATCH", "update_session", {"update_session_id": session_id}),
        ("GET", "get_session", {"update_session_id": session_id}),
    ]
    assert server_behavior(trusted_simulator, decoy) == []


def test_credentials_from_environment_only(trusted_simulator, monkeypatch):
    session_id = trusted_simulator.state.add_update_session()
    monkeypatch.setenv("VMWARE_HOST", "127.0.0.1")
    monkeypatch.setenv("VMWARE_PORT", str(trusted_simulator.port))
    monkeypatch.setenv("VMWARE_USER", USERNAME)
    monkeypatch.setenv("VMWARE_PASSWORD", PASSWORD)
    monkeypatch.setenv("VMWARE_VALIDATE_CERTS", "true")
    result = run_module(main, {"update_session_id": session_id, "warning_behavior": [entry(SELF_SIGNED)]})
    assert result["changed"] is True


def test_connection_aliases(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    args = {
        "vcenter_hostname": "https://127.0.0.1:%d/" % trusted_simulator.port,
        "vcenter_username": USERNAME,
        "pwd": PASSWORD,
        "vcenter_validate_certs": True,
        "update_session_id": session_id,
        "warning_behavior": [entry(SELF_SIGNED)],
    }
    assert run_module(main, args)["changed"] is True


def test_missing_required_connection_options(trusted_simulator):
    result = run_module(main, {"update_session_id": "x", "warning_behavior": []})
    assert result["failed"] is True
    assert result["msg"] == "missing required arguments: hostname"
    no_credentials = run_module(main, {"hostname": trusted_simulator.host, "port": trusted_simulator.port,
                                       "update_session_id": "x", "warning_behavior": []})
    assert no_credentials["msg"] == "username and password are required unless session_token is given"
    assert trusted_simulator.requests == []


def test_patch_answered_but_not_applied_fails(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    trusted_simulator.inject_fault(method="PATCH", status=204, content_type=None)
    result = run(trusted_simulator, session_id, [entry(SELF_SIGNED)])
    assert result["failed"] is True
    assert result["msg"].startswith(
        "vCenter accepted the change to update session %s but did not apply it" % session_id
    )
    assert_logged_out(trusted_simulator)


def test_server_error_is_one_clear_sentence(trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    trusted_simulator.inject_fault(
        method="PATCH", status=503, content_type="application/json", times=-1,
        body='{"error_type": "SERVICE_UNAVAILABLE", "messages": [{"id": "x", "default_message": '
             '"Content Library Service is restarting.", "args": []}]}',
    )
    result = run(trusted_simulator, session_id, [entry(SELF_SIGNED)], retry_backoff=0)
    assert result["msg"] == ("update update session %s failed: HTTP 503 SERVICE_UNAVAILABLE from 127.0.0.1:%d after "
                             "4 attempts: Content Library Service is restarting." % (session_id, trusted_simulator.port))
    assert len(trusted_simulator.calls("PATCH")) == 4
    assert result["status"] == 503 and result["error_type"] == "SERVICE_UNAVAILABLE"
    assert "exception" not in result
    assert_logged_out(trusted_simulator)


def test_untrusted_certificate_by_default(simulator, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    result = run(simulator, "any", [entry(SELF_SIGNED)])
    assert result["failed"] is True
    assert result["msg"].startswith("TLS certificate verification failed for 127.0.0.1:%d" % simulator.port)


def test_missing_requests_uses_missing_required_lib(tmp_path):
    """With requests not importable, the module fails with missing_required_lib, not an ImportError."""
    args = {"ANSIBLE_MODULE_ARGS": {"hostname": "vc.example.com", "username": "someone", "password": "a-long-secret",
                                    "update_session_id": "s", "warning_behavior": [entry(SELF_SIGNED)]}}
    script = (
        "import sys; sys.modules['requests'] = None; sys.modules['requests.exceptions'] = None\n"
        "from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main\n"
        "main()\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    process = subprocess.run([sys.executable, "-c", script], input=json.dumps(args), env=env,
                             capture_output=True, text=True, timeout=120, check=False)
    result = json.loads(process.stdout)
    assert process.returncode == 1
    assert result["failed"] is True
    assert "Failed to import the required Python library (requests)" in result["msg"]
    assert "Traceback" not in process.stderr
