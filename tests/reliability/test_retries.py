# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which calls the client sends again, how long it waits, and that it stays within request_timeout."""

import contextlib
import ssl

import pytest
import urllib3
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError, SSLError

from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client import retry as client_retry
from ansible_collections.vsphere.content.plugins.module_utils.errors import ApiError, InvalidOptionError, TransportError
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import api_path
from helpers import USERNAME, connection_args, request_sequence

UPDATE_SESSIONS = "/api/content/library/item/update-session"
LOGIN = ("POST", "login", 201)
LOGOUT = ("DELETE", "logout", 204)


def client_for(sim, **overrides):
    return VSphereClient(**connection_args(sim, **dict(dict(retry_backoff=0), **overrides)))


@pytest.mark.parametrize("fault", [dict(status=503, body=""), dict(status=429, body=""), dict(drop=True)],
                         ids=["503", "429", "dropped"])
def test_an_action_post_is_never_sent_twice(trusted_simulator, fault):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    sim.inject_fault(method="POST", path=session_id, times=-1, **fault)
    with pytest.raises((ApiError, TransportError)) as error:
        with client_for(sim) as client:
            client.request("POST", api_path(UPDATE_SESSIONS, session_id), "complete update session %s" % session_id,
                           params={"action": "complete"})
    assert str(sim.port) in error.value.msg and "attempts" not in error.value.msg
    assert request_sequence(sim) == [LOGIN, ("POST", "fault", fault.get("status", "dropped")), LOGOUT]
    assert sim.state.update_sessions[session_id]["state"] == "ACTIVE"


def test_an_action_post_is_sent_again_only_when_the_connection_could_not_be_opened():
    """Nothing reached vCenter when connecting failed, so trying again is safe; after that it never is."""
    client = VSphereClient("vc.example.com", USERNAME, "pw", retries=2)
    retry = client._retry_for("POST", UPDATE_SESSIONS + "/s", None, deadline=None)
    url = UPDATE_SESSIONS + "/s?action=complete"
    not_connected = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    assert retry.increment("POST", url, error=not_connected).total == 1
    with pytest.raises(ProtocolError):
        retry.increment("POST", url, error=ProtocolError("Connection aborted."))
    assert not retry.is_retry("POST", 503)
    login = client._retry_for("POST", "/api/session", None, deadline=None)
    assert login.is_retry("POST", 503) and login.increment("POST", "/api/session", error=ProtocolError("x")).total == 1


def test_a_failed_handshake_is_retried_but_an_untrusted_certificate_is_not():
    retry = VSphereClient("vc.example.com", USERNAME, "pw", retries=2)._retry_for("POST", "/api/x", None, None)
    handshake = SSLError(ssl.SSLEOFError(8, "EOF occurred in violation of protocol"))
    assert retry.increment("POST", "/api/x", error=handshake).total == 1
    untrusted = SSLError(ssl.SSLCertVerificationError(1, "certificate verify failed"))
    with pytest.raises(MaxRetryError):
        retry.increment("GET", "/api/x", error=untrusted)


def test_a_create_with_a_client_token_is_retried(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item()
    sim.inject_fault(method="POST", path="update-session$", status=503, body="")
    with client_for(sim) as client:
        created = client.request("POST", UPDATE_SESSIONS, "create update session",
                                 body={"library_item_id": item}, client_token="b1946ac9-2ad5-4bb5-86f2-02b9c1c7f0a1")
    assert request_sequence(sim) == [LOGIN, ("POST", "fault", 503), ("POST", "create_session", 201), LOGOUT]
    assert list(sim.state.update_sessions) == [created]


def test_a_create_without_a_client_token_is_not_retried(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item()
    sim.inject_fault(method="POST", path="update-session$", status=503, body="")
    with pytest.raises(ApiError, match=r"create update session failed: HTTP 503 from 127\.0\.0\.1:\d+$"):
        with client_for(sim) as client:
            client.request("POST", UPDATE_SESSIONS, "create update session", body={"library_item_id": item})
    assert request_sequence(sim) == [LOGIN, ("POST", "fault", 503), LOGOUT]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_idempotent_methods_are_retried_on_each_transient_status(trusted_simulator, method):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(state="DONE")
    for status in (429, 502, 503, 504):
        sim.inject_fault(method=method, path=session_id, status=status, body="")
    body = {"warning_behavior": []} if method == "PATCH" else None
    with pytest.raises(ApiError) if method == "PATCH" else contextlib.nullcontext():
        with client_for(sim, retries=4) as client:
            client.request(method, api_path(UPDATE_SESSIONS, session_id), "call", body=body)
    statuses = [status for (m, _route, status) in request_sequence(sim) if m == method and _route != "logout"]
    assert statuses[:4] == [429, 502, 503, 504] and len(statuses) == 5


def test_unparseable_retry_after_falls_back_to_the_backoff(trusted_simulator):
    sim = trusted_simulator
    sim.inject_fault(method="GET", path="update-session", status=503, body="", headers={"Retry-After": "soon-ish"})
    with client_for(sim) as client:
        assert client.request("GET", UPDATE_SESSIONS, "list update sessions") == []
    assert request_sequence(sim) == [LOGIN, ("GET", "fault", 503), ("GET", "list_sessions", 200), LOGOUT]


def test_retries_stop_at_request_timeout(trusted_simulator):
    """Retry-After 1 with 2 seconds in all: a second try fits, a third would not."""
    sim = trusted_simulator
    sim.inject_fault(method="GET", path="update-session", status=503, body="", headers={"Retry-After": "1"}, times=-1)
    with pytest.raises(ApiError) as error:
        with client_for(sim, request_timeout=2, retries=10) as client:
            client.request("GET", UPDATE_SESSIONS, "list update sessions")
    assert error.value.msg == "list update sessions failed: HTTP 503 from 127.0.0.1:%d after 2 attempts" % sim.port
    assert request_sequence(sim) == [LOGIN, ("GET", "fault", 503), ("GET", "fault", 503), LOGOUT]


def test_waits_are_capped():
    retry = client_retry._CallRetry(total=10, backoff_factor=100)
    response = urllib3.HTTPResponse(status=503, headers={"Retry-After": "86400"})
    assert retry.get_retry_after(response) == client_retry.MAX_RETRY_WAIT
    for _attempt in range(5):
        retry = retry.increment("GET", "/api/x", response=response)
    assert retry.get_backoff_time() == client_retry.MAX_RETRY_WAIT


def test_default_retry_options():
    client = VSphereClient("vc.example.com", USERNAME, "pw")
    assert (client.retries, client.retry_backoff) == (3, 1.0)


@pytest.mark.parametrize("options, message", [
    (dict(retries=-1), "retries must be 0 or more"),
    (dict(retry_backoff=-0.5), "retry_backoff must be a non-negative number of seconds"),
    (dict(retry_backoff=float("nan")), "retry_backoff must be a non-negative number of seconds"),
    (dict(request_timeout=float("inf")), "request_timeout must be a positive number of seconds"),
    (dict(request_timeout=1e300), "request_timeout must be at most 86400 seconds"),
])
def test_unusable_retry_options(options, message):
    with pytest.raises(InvalidOptionError, match=message):
        VSphereClient("vc.example.com", USERNAME, "pw", **options)


def test_retries_zero_sends_once(trusted_simulator):
    sim = trusted_simulator
    sim.inject_fault(method="GET", path="update-session", status=503, body="")
    with pytest.raises(ApiError, match=r"HTTP 503 from 127\.0\.0\.1:\d+$"):
        with client_for(sim, retries=0) as client:
            client.request("GET", UPDATE_SESSIONS, "list update sessions")
    assert request_sequence(sim) == [LOGIN, ("GET", "fault", 503), LOGOUT]
