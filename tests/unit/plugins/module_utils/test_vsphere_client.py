# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP client, against the simulator over real HTTPS."""

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    AuthenticationError,
    InvalidOptionError,
    TransportError,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.messages import (
    REDACTED,
    describe_vapi_error,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import api_path, build_base_url
from helpers import PASSWORD, USERNAME, connection_args

UPDATE_SESSIONS = "/api/content/library/item/update-session"


def client_for(simulator, **overrides):
    return VSphereClient(**connection_args(simulator, **overrides))


@pytest.mark.parametrize("hostname, port, expected", [
    ("vc.example.com", 443, ("https://vc.example.com:443", "vc.example.com")),
    ("https://vc.example.com", 443, ("https://vc.example.com:443", "vc.example.com")),
    ("https://vc.example.com/", 443, ("https://vc.example.com:443", "vc.example.com")),
    (" vc.example.com ", 8443, ("https://vc.example.com:8443", "vc.example.com:8443")),
    ("https://vc.example.com:9443", 443, ("https://vc.example.com:9443", "vc.example.com:9443")),
    ("2001:db8::10", 443, ("https://[2001:db8::10]:443", "[2001:db8::10]")),
    ("[2001:db8::10]", 8443, ("https://[2001:db8::10]:8443", "[2001:db8::10]:8443")),
    ("https://[::1]/", 443, ("https://[::1]:443", "[::1]")),
    ("192.0.2.7", 443, ("https://192.0.2.7:443", "192.0.2.7")),
])
def test_base_url_from_every_hostname_form(hostname, port, expected):
    assert build_base_url(hostname, port) == expected


@pytest.mark.parametrize("hostname, message", [
    ("", "must not be empty"),
    ("http://vc.example.com", "only served over https"),
    ("https://vc.example.com/ui", "without a path"),
    ("https://user:pw@vc.example.com", "without a path, query or credentials"),
    ("https://vc.example.com:99999", "not a valid host name or URL"),
    ("vc example.com", "no usable host name"),
    ("https://", "no usable host name"),
])
def test_unusable_hostnames_are_rejected(hostname, message):
    with pytest.raises(InvalidOptionError, match=message):
        build_base_url(hostname, 443)


@pytest.mark.parametrize("identifier, quoted", [
    ("abc-123", "abc-123"),
    ("a/b", "a%2Fb"),
    ("..", "%2E%2E"),
    (".", "%2E"),
    ("../../session", "..%2F..%2Fsession"),
    ("x?y#z", "x%3Fy%23z"),
    ("with space", "with%20space"),
    ("ünïcode", "%C3%BCn%C3%AFcode"),
])
def test_api_path_quotes_each_segment_whole(identifier, quoted):
    assert api_path(UPDATE_SESSIONS, identifier) == UPDATE_SESSIONS + "/" + quoted


def test_api_path_refuses_an_empty_identifier():
    with pytest.raises(InvalidOptionError, match="must not be empty"):
        api_path(UPDATE_SESSIONS, "")


@given(st.text(min_size=1, max_size=1024).filter(str.strip))
def test_any_identifier_stays_one_segment(identifier):
    segment = api_path(UPDATE_SESSIONS, identifier)[len(UPDATE_SESSIONS) + 1:]
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert segment not in (".", "..")
    assert unquote(segment) == identifier


def test_vapi_error_becomes_one_sentence():
    body = ('{"error_type": "NOT_ALLOWED_IN_CURRENT_STATE", "messages": ['
            '{"id": "a", "default_message": "Session is DONE.", "args": []},'
            '{"id": "b", "default_message": "It must be ACTIVE.", "args": []}]}')
    sentence, error_type, texts = describe_vapi_error("update update session s-1", 400, body)
    assert sentence == ("update update session s-1 failed: HTTP 400 NOT_ALLOWED_IN_CURRENT_STATE: "
                        "Session is DONE.; It must be ACTIVE.")
    assert error_type == "NOT_ALLOWED_IN_CURRENT_STATE"
    assert texts == ["Session is DONE.", "It must be ACTIVE."]


def test_vapi_error_without_error_type():
    sentence, error_type, _texts = describe_vapi_error(
        "get update session s-1", 404, '{"messages": [{"id": "x", "default_message": "Not here.", "args": []}]}'
    )
    assert sentence == "get update session s-1 failed: HTTP 404: Not here."
    assert error_type is None


def test_html_error_page_gives_status_and_short_excerpt():
    page = ("<html><head><style>body{color:red}</style><title>502 Bad Gateway</title></head>"
            "<body><h1>Bad Gateway</h1><p>" + "upstream unavailable " * 40 + "</p></body></html>")
    sentence, error_type, _texts = describe_vapi_error("get update session s-1", 502, page)
    assert sentence.startswith("get update session s-1 failed: HTTP 502 (non-JSON response: 502 Bad Gateway Bad Gateway")
    assert "<" not in sentence and "color:red" not in sentence
    assert len(sentence) < 260 and sentence.endswith("...)")
    assert error_type is None


def test_login_sends_the_token_on_later_calls_and_always_logs_out(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    with client_for(sim) as client:
        client.request("GET", api_path(UPDATE_SESSIONS, session_id), "get update session")
    login, get, logout = sim.requests
    assert (login["route"], login["status"]) == ("login", 201)
    assert (get["route"], get["status"], get["authenticated"]) == ("get_session", 200, True)
    assert (logout["route"], logout["status"]) == ("logout", 204)
    assert sim.active_tokens == {}
    assert len({entry["connection"] for entry in sim.requests}) == 1, "one connection, reused"


def test_logs_out_when_the_caller_fails(trusted_simulator):
    with pytest.raises(ZeroDivisionError):
        with client_for(trusted_simulator):
            raise ZeroDivisionError()
    assert [e["route"] for e in trusted_simulator.requests] == ["login", "logout"]
    assert trusted_simulator.active_tokens == {}


def test_logs_out_after_an_api_error(trusted_simulator):
    with pytest.raises(ApiError) as error:
        with client_for(trusted_simulator) as client:
            client.request("GET", api_path(UPDATE_SESSIONS, "missing"), "get update session missing")
    assert error.value.is_not_found
    assert str(error.value) == ("get update session missing failed: HTTP 404 NOT_FOUND: "
                                "Update session with identifier 'missing' does not exist.")
    assert trusted_simulator.calls(route="logout")
    assert trusted_simulator.active_tokens == {}


@pytest.mark.parametrize("timeout", [0, -1])
def test_request_timeout_must_be_positive(timeout):
    with pytest.raises(InvalidOptionError, match="request_timeout must be a positive number"):
        VSphereClient("vc.example.com", USERNAME, PASSWORD, request_timeout=timeout)


def test_a_connection_that_keeps_dropping_is_a_transport_error(trusted_simulator):
    trusted_simulator.inject_fault(method="GET", path="update-session", drop=True, times=-1)
    with pytest.raises(TransportError) as error:
        with client_for(trusted_simulator, retries=2, retry_backoff=0) as client:
            client.request("GET", UPDATE_SESSIONS, "list update sessions")
    assert error.value.msg.startswith(
        "list update sessions failed: the connection to 127.0.0.1:%d broke before the whole answer arrived ("
        % trusted_simulator.port)
    assert [e["route"] for e in trusted_simulator.requests] == ["login", "fault", "fault", "fault", "logout"]
    assert trusted_simulator.active_tokens == {}


def test_bad_credentials(trusted_simulator):
    with pytest.raises(AuthenticationError) as error:
        client_for(trusted_simulator, password="wrong").login()
    assert error.value.msg == "authentication failed for user %s at 127.0.0.1:%d" % (USERNAME, trusted_simulator.port)
    assert trusted_simulator.state.issued_tokens == []


def test_every_call_has_a_timeout(trusted_simulator):
    trusted_simulator.inject_fault(method="GET", path="update-session", delay=1.5, status=200, body="[]")
    with pytest.raises(TransportError, match=r"timed out: 127\.0\.0\.1:\d+ did not answer within 0\.5 seconds"):
        with client_for(trusted_simulator, request_timeout=0.5) as client:
            client.request("GET", UPDATE_SESSIONS, "list update sessions")
    assert trusted_simulator.calls(route="logout"), "logged out after the timeout"


def test_connection_refused(simulator):
    port = simulator.port
    simulator.stop()
    with pytest.raises(TransportError) as error:
        client_for(simulator, port=port, validate_certs=False, request_timeout=5, retry_backoff=0).login()
    assert error.value.msg == "log in failed: 127.0.0.1:%d refused the connection" % port


def test_unreadable_ca_bundle_is_a_transport_error(simulator, monkeypatch, tmp_path):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    with pytest.raises(TransportError, match=r"log in failed: .*missing\.pem"):
        client_for(simulator).login()


def test_untrusted_certificate_fails_clearly(simulator, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with pytest.raises(TransportError) as error:
        client_for(simulator).login()
    assert error.value.msg.startswith("TLS certificate verification failed for 127.0.0.1:%d: " % simulator.port)
    assert "validate_certs: false" in error.value.msg
    assert simulator.requests == [], "nothing reached the server"


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_validate_certs_false_wins_over_ca_bundle_variables(simulator, monkeypatch, tmp_path, variable):
    import trustme

    unrelated_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(unrelated_ca))
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.setenv(variable, str(unrelated_ca))
    with client_for(simulator, validate_certs=False):
        pass
    assert [e["route"] for e in simulator.requests] == ["login", "logout"]


def test_error_text_never_carries_the_token(trusted_simulator):
    sim = trusted_simulator
    sim.inject_fault(
        method="GET", path="update-session", status=502, times=-1,
        body=lambda headers: "<html><body>Bad gateway for session %s</body></html>" % headers["vmware-api-session-id"],
    )
    with pytest.raises(ApiError) as error:
        with client_for(sim, retry_backoff=0) as client:
            client.request("GET", UPDATE_SESSIONS, "list update sessions")
    token = sim.state.issued_tokens[0]
    assert token not in str(error.value) and token not in repr(error.value.to_fail_json())
    assert "Bad gateway for session %s" % REDACTED in error.value.msg


def test_non_json_success_body_is_reported_not_raised(trusted_simulator):
    trusted_simulator.inject_fault(method="GET", path="update-session", status=200, body="<html>maintenance</html>")
    with pytest.raises(ApiError, match=r"^list update sessions failed: HTTP 200 from 127\.0\.0\.1:\d+ with a body that is "
                                       r"not JSON: maintenance$"):
        with client_for(trusted_simulator) as client:
            client.request("GET", UPDATE_SESSIONS, "list update sessions")


@pytest.mark.parametrize("status", [200, 502])
def test_a_secret_cut_by_the_excerpt_leaves_no_part_behind(trusted_simulator, status):
    sim = trusted_simulator
    sim.inject_fault(method="GET", path="update-session", status=status, times=-1,
                     body=lambda headers: "x" * 150 + " " + headers["vmware-api-session-id"])
    with pytest.raises(ApiError) as error:
        with client_for(sim, retry_backoff=0) as client:
            client.request("GET", UPDATE_SESSIONS, "list update sessions")
    # Cut first and redacted after, the excerpt would end in the token's first characters.
    assert REDACTED in error.value.msg
    assert sim.state.issued_tokens[0][:6] not in error.value.msg
