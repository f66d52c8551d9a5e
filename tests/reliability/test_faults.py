# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault injection: the real module against the simulator, asserting its result and every request it sent."""

import json
import time

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client import retry as client_retry
from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from faults_menu import SESSION_PATH, vapi_body
from helpers import connection_args, request_sequence, run_module, warning_texts

SELF_SIGNED = {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}
LOGIN = ("POST", "login", 201)
LOGOUT = ("DELETE", "logout", 204)
GET = ("GET", "get_session", 200)
PATCH = ("PATCH", "update_session", 204)


def run(sim, session_id, **options):
    """The module with SELF_SIGNED requested; an option given as None is left out."""
    args = connection_args(sim, update_session_id=session_id, warning_behavior=[SELF_SIGNED], retry_backoff=0)
    args.update(options)
    return run_module(main, dict((name, value) for name, value in args.items() if value is not None))


def settle(sim, wait=10.0):
    """Wait until the simulator has answered every request it received (a slow one answers late)."""
    deadline = time.monotonic() + wait
    while any(entry["status"] is None for entry in sim.requests) and time.monotonic() < deadline:
        time.sleep(0.05)


def applied(sim, session_id):
    return sim.state.update_sessions[session_id]["warning_behavior"] == [SELF_SIGNED]


@pytest.fixture
def scenario(trusted_simulator, figures):
    """The simulator with one ACTIVE session; counts the scenario and its outcome for the report."""
    session_id = trusted_simulator.state.add_update_session()

    def record(result):
        figures.add("faults", "faults.scenarios")
        figures.add("faults", "faults.failed_clearly" if result.get("failed") else "faults.survived")
        if result.get("failed"):
            assert "\n" not in result["msg"] and "Traceback" not in json.dumps(result)
        return result

    return trusted_simulator, session_id, record


def test_503_once_then_success(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="GET", path="update-session", status=503, content_type="application/json",
                     body=vapi_body("SERVICE_UNAVAILABLE", "Restarting."))
    result = record(run(sim, session_id))
    assert result["changed"] is True and applied(sim, session_id)
    assert request_sequence(sim) == [LOGIN, ("GET", "fault", 503), GET, PATCH, GET, LOGOUT]
    assert sim.active_tokens == {}


def test_503_with_retry_after_waits_as_asked(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="PATCH", status=503, body="", headers={"Retry-After": "1"})
    result = record(run(sim, session_id))
    assert result["changed"] is True and applied(sim, session_id)
    assert request_sequence(sim) == [LOGIN, GET, ("PATCH", "fault", 503), PATCH, GET, LOGOUT]
    first, second = sim.calls("PATCH")
    assert second["time"] - first["time"] >= 1.0, "retry_backoff is 0: only Retry-After explains the wait"


def test_retry_after_is_capped(scenario, monkeypatch):
    sim, session_id, record = scenario
    monkeypatch.setattr(client_retry, "MAX_RETRY_WAIT", 0.5)
    sim.inject_fault(method="GET", path="update-session", status=503, body="", headers={"Retry-After": "3600"})
    result = record(run(sim, session_id))
    assert result["changed"] is True
    assert request_sequence(sim) == [LOGIN, ("GET", "fault", 503), GET, PATCH, GET, LOGOUT]
    first, second = sim.calls("GET")[:2]
    assert 0.5 <= second["time"] - first["time"] < 3600


def test_retry_after_beyond_request_timeout_is_not_waited_for(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="GET", path="update-session", status=503, content_type="application/json",
                     body=vapi_body("SERVICE_UNAVAILABLE", "Restarting."), headers={"Retry-After": "20"})
    result = record(run(sim, session_id, request_timeout=5))
    assert result["msg"] == ("get update session %s failed: HTTP 503 SERVICE_UNAVAILABLE from 127.0.0.1:%d: "
                             "Restarting." % (session_id, sim.port))
    assert request_sequence(sim) == [LOGIN, ("GET", "fault", 503), LOGOUT]


def test_connection_dropped_before_the_answer_is_retried(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="PATCH", drop=True)
    result = record(run(sim, session_id))
    assert result["changed"] is True and applied(sim, session_id)
    assert request_sequence(sim) == [LOGIN, GET, ("PATCH", "fault", "dropped"), PATCH, GET, LOGOUT]


def test_connection_cut_mid_body_fails_clearly(scenario):
    """The body is read after urllib3's retry loop has handed the answer over, so this one is not retried."""
    sim, session_id, record = scenario
    sim.inject_fault(method="GET", path="update-session", status=200, content_type="application/json",
                     body=json.dumps({"state": "ACTIVE", "padding": "x" * 200}), truncate=True)
    result = record(run(sim, session_id))
    assert result["msg"].startswith("get update session %s failed: the connection to 127.0.0.1:%d broke before the "
                                    "whole answer arrived (" % (session_id, sim.port))
    assert request_sequence(sim) == [LOGIN, ("GET", "fault", "truncated"), LOGOUT]
    assert sim.active_tokens == {}


def test_slow_response_past_request_timeout(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="GET", path="update-session", delay=2.5)
    result = record(run(sim, session_id, request_timeout=1))
    assert result["msg"] == ("get update session %s timed out: 127.0.0.1:%d did not answer within 1 seconds "
                             "(request_timeout)" % (session_id, sim.port))
    settle(sim)
    # No second try fits in request_timeout. The late GET finds its API session already logged out.
    assert request_sequence(sim) == [LOGIN, ("GET", "get_session", 401), LOGOUT]
    assert sim.active_tokens == {}


def test_slow_response_within_request_timeout(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="GET", path="update-session", delay=0.3)
    result = record(run(sim, session_id, request_timeout=10))
    assert result["changed"] is True
    assert request_sequence(sim) == [LOGIN, GET, PATCH, GET, LOGOUT]


def test_401_on_the_third_call_logs_in_again_once(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(after=2, expire_session=True)
    result = record(run(sim, session_id))
    assert result["changed"] is True and applied(sim, session_id)
    assert request_sequence(sim) == [
        LOGIN, GET, ("PATCH", "update_session", 401),
        ("DELETE", "logout", 401), LOGIN, PATCH, GET, LOGOUT,
    ]
    assert len(sim.state.issued_tokens) == 2 and sim.active_tokens == {}


def test_a_second_401_fails_clearly(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="PATCH", expire_session=True, times=2)
    result = record(run(sim, session_id))
    assert result["msg"] == ("update update session %s failed: 127.0.0.1:%d rejected the API session (HTTP 401) "
                             "again right after a new login" % (session_id, sim.port))
    assert request_sequence(sim) == [
        LOGIN, GET, ("PATCH", "update_session", 401), ("DELETE", "logout", 401),
        LOGIN, ("PATCH", "update_session", 401), ("DELETE", "logout", 401),
    ]
    assert sim.active_tokens == {}


BAD_GATEWAY = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


def test_html_502_once_is_retried(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="GET", path="update-session", status=502, body=BAD_GATEWAY)
    result = record(run(sim, session_id))
    assert result["changed"] is True
    assert request_sequence(sim) == [LOGIN, ("GET", "fault", 502), GET, PATCH, GET, LOGOUT]


def test_html_502_after_all_retries(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="GET", path="update-session", status=502, body=BAD_GATEWAY, times=-1)
    result = record(run(sim, session_id, retries=2))
    assert result["msg"] == ("get update session %s failed: HTTP 502 from 127.0.0.1:%d after 3 attempts "
                             "(non-JSON response: 502 Bad Gateway Bad Gateway)" % (session_id, sim.port))
    assert request_sequence(sim) == [LOGIN] + [("GET", "fault", 502)] * 3 + [LOGOUT]
    assert sim.active_tokens == {}


def test_logout_that_fails_is_a_warning(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="DELETE", path=SESSION_PATH, status=500, content_type="application/json",
                     body=vapi_body("ERROR", "Internal error."))
    result = record(run(sim, session_id))
    assert result["changed"] is True and not result.get("failed")
    assert warning_texts(result) == [
        "log out failed: HTTP 500 ERROR from 127.0.0.1:%d: Internal error.; the API session ends when vCenter "
        "expires it" % sim.port]
    assert request_sequence(sim) == [LOGIN, GET, PATCH, GET, ("DELETE", "fault", 500)]
    # vCenter failed to end it; the module did ask.
    assert list(sim.active_tokens) == sim.state.issued_tokens


def test_logout_that_fails_never_masks_the_real_error(scenario):
    sim, _session_id, record = scenario
    sim.inject_fault(method="DELETE", path=SESSION_PATH, drop=True, times=-1)
    result = record(run(sim, "missing-session", retries=1))
    assert result["msg"] == "update session missing-session not found"
    assert warning_texts(result)[0].startswith(
        "log out failed: the connection to 127.0.0.1:%d broke before the whole answer arrived (" % sim.port)
    assert request_sequence(sim) == [LOGIN, ("GET", "get_session", 404), ("DELETE", "fault", "dropped"),
                                     ("DELETE", "fault", "dropped")]


def test_logout_503_once_is_retried(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="DELETE", path=SESSION_PATH, status=503, body="")
    result = record(run(sim, session_id))
    assert result["changed"] is True and "warnings" not in result
    assert request_sequence(sim) == [LOGIN, GET, PATCH, GET, ("DELETE", "fault", 503), LOGOUT]
    assert sim.active_tokens == {}


def test_login_503_once_is_retried(scenario):
    sim, session_id, record = scenario
    sim.inject_fault(method="POST", path=SESSION_PATH, status=503, body="")
    result = record(run(sim, session_id))
    assert result["changed"] is True
    assert request_sequence(sim) == [("POST", "fault", 503), LOGIN, GET, PATCH, GET, LOGOUT]


def test_an_action_is_never_sent_twice(scenario):
    """A 503 on ?action=complete may come after vCenter acted: the module reports it instead of completing twice."""
    sim, session_id, record = scenario
    sim.inject_fault(method="POST", path=session_id + "$", status=503, body="", times=-1)
    result = record(run(sim, session_id, state="completed", warning_behavior=None))
    assert result["msg"] == "complete update session %s failed: HTTP 503 from 127.0.0.1:%d" % (session_id, sim.port)
    assert request_sequence(sim) == [LOGIN, GET, ("POST", "validate_files", 200), ("POST", "fault", 503), LOGOUT]
    assert sim.state.update_sessions[session_id]["state"] == "ACTIVE"


def test_a_create_with_its_client_token_is_sent_again(scenario):
    sim, _session_id, record = scenario
    item = sim.state.add_library_item()
    sim.inject_fault(method="POST", path="update-session$", drop=True)
    result = record(run(sim, None, library_item_id=item))
    assert result["changed"] is True
    assert request_sequence(sim) == [LOGIN, ("GET", "list_sessions", 200), ("POST", "fault", "dropped"),
                                     ("POST", "create_session", 201), GET, LOGOUT]
    first, second = sim.calls("POST")[1:]
    assert first["client_token"] and first["client_token"] == second["client_token"]
    assert first["query"] == second["query"] == {}, "the token goes in the Client-Token header only"
    assert [s["library_item_id"] for s in sim.state.update_sessions.values()].count(item) == 1, "one session"
