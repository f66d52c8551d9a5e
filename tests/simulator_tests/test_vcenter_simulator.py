# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator itself: vCenter's documented behaviour, and spec validation that catches violations."""

import json
import time

import pytest
import requests

from helpers import EVERY_RELEASE, PASSWORD, USERNAME, take_wire_misfits
from vcenter_simulator import VCenterSimulator

UPDATE_SESSIONS = "/api/content/library/item/update-session"


@pytest.fixture
def api(simulator):
    """A raw HTTP client for the simulator, logged in."""
    http = requests.Session()
    http.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment replaces verify
    http.verify = simulator.ca_file
    response = http.post(simulator.url + "/api/session", auth=(USERNAME, PASSWORD))
    assert response.status_code == 201
    http.headers["vmware-api-session-id"] = response.json()
    http.base = simulator.url
    return http


def error_type(response):
    return response.json()["error_type"]


def test_login_answers_a_token_and_logout_revokes_it(simulator, api):
    token = api.headers["vmware-api-session-id"]
    assert simulator.active_tokens == {token: USERNAME}
    assert api.get(api.base + "/api/session").json()["user"] == USERNAME
    assert api.delete(api.base + "/api/session").status_code == 204
    response = api.get(api.base + UPDATE_SESSIONS)
    assert response.status_code == 401 and error_type(response) == "UNAUTHENTICATED"


def test_bad_password_and_missing_token_are_unauthenticated(simulator):
    response = requests.post(simulator.url + "/api/session", auth=(USERNAME, "nope"), verify=simulator.ca_file)
    assert response.status_code == 401 and error_type(response) == "UNAUTHENTICATED"
    response = requests.get(simulator.url + UPDATE_SESSIONS, verify=simulator.ca_file)
    assert response.status_code == 401 and error_type(response) == "UNAUTHENTICATED"


def test_get_omits_the_id_and_unset_optional_fields(simulator, api):
    session_id = simulator.state.add_update_session(preview_warnings=["EXPIRED_CERTIFICATE"])
    model = api.get(api.base + UPDATE_SESSIONS + "/" + session_id).json()
    assert "id" not in model and "warning_behavior" not in model and "error_message" not in model
    assert model["state"] == "ACTIVE"
    assert model["preview_info"]["warnings"][0]["type"] == "EXPIRED_CERTIFICATE"
    assert model["preview_info"]["warnings"][0]["ignored"] is False


def test_patch_answers_204_without_a_body_and_is_reflected(simulator, api):
    session_id = simulator.state.add_update_session(preview_warnings=["SELF_SIGNED_CERTIFICATE"])
    url = api.base + UPDATE_SESSIONS + "/" + session_id
    response = api.patch(url, json={"warning_behavior": [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]})
    assert response.status_code == 204 and response.content == b""
    model = api.get(url).json()
    assert model["warning_behavior"] == [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]
    assert model["preview_info"]["warnings"][0]["ignored"] is True


@pytest.mark.parametrize("state", ["DONE", "ERROR", "CANCELED"])
def test_patch_of_a_non_active_session_is_not_allowed(simulator, api, state):
    session_id = simulator.state.add_update_session(state=state)
    response = api.patch(api.base + UPDATE_SESSIONS + "/" + session_id, json={"warning_behavior": []})
    assert response.status_code == 400 and error_type(response) == "NOT_ALLOWED_IN_CURRENT_STATE"


@pytest.mark.parametrize("body", [
    {"warning_behavior": [{"type": "BOGUS_CERTIFICATE", "ignored": True}]},
    {"warning_behavior": [{"type": "SELF_SIGNED_CERTIFICATE"}]},
    {"warning_behavior": "SELF_SIGNED_CERTIFICATE"},
    "not a JSON document",
])
def test_invalid_bodies_are_rejected_and_recorded(simulator, api, body):
    session_id = simulator.state.add_update_session()
    url = api.base + UPDATE_SESSIONS + "/" + session_id
    if isinstance(body, dict):
        response = api.patch(url, json=body)
    else:
        response = api.patch(url, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and error_type(response) == "INVALID_ARGUMENT"
    assert simulator.state.update_sessions[session_id]["warning_behavior"] == []
    misfits = take_wire_misfits(simulator)  # of a JSON body; one that is not JSON is the request check's
    assert list(misfits.values()) == ([EVERY_RELEASE] if isinstance(body, dict) else [])
    assert all(misfit.startswith("com.vmware.content.library.item.update_session.update: update_spec/warning_behavior")
               for misfit in misfits)
    request_violations = simulator.take_violations("request")
    assert len(request_violations) == 1 and request_violations[0].startswith("request PATCH")
    # expected here; any other violation fails the test


def test_fields_not_used_for_update_are_recorded(simulator, api):
    session_id = simulator.state.add_update_session()
    response = api.patch(api.base + UPDATE_SESSIONS + "/" + session_id, json={"state": "DONE"})
    assert response.status_code == 204
    assert simulator.state.update_sessions[session_id]["state"] == "ACTIVE"
    assert simulator.violations == [
        "request PATCH /api/content/library/item/update-session/{update_session_id}: "
        "fields not used for update: state"
    ]
    simulator.violations.clear()


def test_unknown_session_is_not_found(simulator, api):
    for method in ("GET", "PATCH", "DELETE"):
        response = api.request(method, api.base + UPDATE_SESSIONS + "/missing",
                               json={"warning_behavior": []} if method == "PATCH" else None)
        assert response.status_code == 404 and error_type(response) == "NOT_FOUND", method


def test_a_response_that_breaks_the_spec_is_recorded(simulator, api, monkeypatch):
    session_id = simulator.state.add_update_session()
    original = simulator.state.model

    def broken_model(sid):
        model = original(sid)
        model["client_progress"] = "half"
        return model

    monkeypatch.setattr(simulator.state, "model", broken_model)
    api.get(api.base + UPDATE_SESSIONS + "/" + session_id)
    assert simulator.violations == [
        "response GET /api/content/library/item/update-session/{update_session_id}: "
        "client_progress: 'half' is not of type 'integer'"
    ]
    simulator.violations.clear()


def test_list_filters_by_library_item(simulator, api):
    item = simulator.state.add_library_item("item-1")
    mine = simulator.state.add_update_session(library_item_id=item)
    simulator.state.add_update_session()
    assert api.get(api.base + UPDATE_SESSIONS, params={"library_item_id": item}).json() == [mine]
    assert len(api.get(api.base + UPDATE_SESSIONS).json()) == 2
    response = api.get(api.base + UPDATE_SESSIONS, params={"library_item_id": "missing"})
    assert response.status_code == 404


def test_create_is_idempotent_with_a_client_token(simulator, api):
    simulator.state.add_library_item("item-1", preview_warnings=["UNTRUSTED_CERTIFICATE"])
    url = api.base + UPDATE_SESSIONS
    spec = {"library_item_id": "item-1", "warning_behavior": [{"type": "UNTRUSTED_CERTIFICATE", "ignored": True}]}
    first = api.post(url, headers={"Client-Token": "6f1c1e8e-6a0e-4f55-9b1b-0c1f7f0f3f10"}, json=spec)
    again = api.post(url, headers={"Client-Token": "6f1c1e8e-6a0e-4f55-9b1b-0c1f7f0f3f10"}, json=spec)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    busy = api.post(url, json=spec)
    assert busy.status_code == 500 and error_type(busy) == "RESOURCE_BUSY"
    model = api.get(url + "/" + first.json()).json()
    assert model["warning_behavior"] == spec["warning_behavior"]
    assert model["preview_info"]["warnings"][0]["ignored"] is True


def test_session_lifecycle_actions(simulator, api):
    simulator.state.add_library_item("item-1", preview_warnings=["SELF_SIGNED_CERTIFICATE"])
    url = api.base + UPDATE_SESSIONS
    raised = api.post(url, json={"library_item_id": "item-1"}).json()
    assert api.post(url + "/" + raised, params={"action": "keep-alive"}, json={"client_progress": 50}).status_code == 204
    assert api.post(url + "/" + raised, params={"action": "complete"}).status_code == 204
    model = api.get(url + "/" + raised).json()
    assert model["state"] == "ERROR" and "SELF_SIGNED_CERTIFICATE" in model["error_message"]["default_message"]
    assert api.delete(url + "/" + raised).status_code == 204

    clean = api.post(url, json={"library_item_id": "item-1", "warning_behavior": [
        {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]}).json()
    response = api.delete(url + "/" + clean)
    assert response.status_code == 400 and error_type(response) == "NOT_ALLOWED_IN_CURRENT_STATE"
    assert api.post(url + "/" + clean, params={"action": "complete"}).status_code == 204
    assert api.get(url + "/" + clean).json()["state"] == "DONE"
    assert simulator.state.items["item-1"]["content_version"] == "2"

    for action, body, final in (("cancel", None, "CANCELED"), ("fail", {"client_error_message": "disk full"}, "ERROR")):
        sid = api.post(url, json={"library_item_id": "item-1"}).json()
        assert api.post(url + "/" + sid, params={"action": action}, json=body).status_code == 204
        assert api.get(url + "/" + sid).json()["state"] == final
        again = api.post(url + "/" + sid, params={"action": action}, json=body)
        assert again.status_code == 400 and error_type(again) == "NOT_ALLOWED_IN_CURRENT_STATE"


def test_faults_can_be_injected(simulator, api):
    simulator.inject_fault(method="GET", path="update-session", status=502, body="<h1>Bad Gateway</h1>", times=1)
    first = api.get(api.base + UPDATE_SESSIONS)
    assert first.status_code == 502 and first.text == "<h1>Bad Gateway</h1>"
    assert api.get(api.base + UPDATE_SESSIONS).status_code == 200


def test_controls_are_outside_the_api(simulator, api):
    api.get(api.base + UPDATE_SESSIONS)
    log = api.get(api.base + "/_simulator/requests").json()
    assert [entry["route"] for entry in log] == ["login", "list_sessions"]
    seeded = api.post(api.base + "/_simulator/seed", data=json.dumps({"update_sessions": [{"id": "seeded-1"}]}))
    assert "seeded-1" in seeded.json()["update_sessions"]
    assert len(simulator.requests) == 2, "controls are not logged as API calls"


def test_a_fault_can_let_requests_through_first(simulator, api):
    fault = simulator.inject_fault(status=503, body="busy", after=2)
    assert api.get(api.base + UPDATE_SESSIONS).status_code == 200
    assert api.get(api.base + UPDATE_SESSIONS).status_code == 200
    assert api.get(api.base + UPDATE_SESSIONS).status_code == 503
    assert api.get(api.base + UPDATE_SESSIONS).status_code == 200
    assert fault.applied == 1


def test_an_expiring_fault_revokes_the_session_and_answers_normally(simulator, api):
    simulator.inject_fault(method="GET", path="update-session", expire_session=True)
    response = api.get(api.base + UPDATE_SESSIONS)
    assert response.status_code == 401 and error_type(response) == "UNAUTHENTICATED"
    assert simulator.active_tokens == {}
    assert simulator.requests[-1]["route"] == "list_sessions", "answered by the real route"


def test_a_truncated_answer_hangs_up_mid_body(simulator, api):
    simulator.inject_fault(method="GET", path="update-session", status=200, body='["a-long-enough-body"]',
                           content_type="application/json", truncate=True)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        api.get(api.base + UPDATE_SESSIONS)
    assert simulator.requests[-1]["status"] == "truncated"
    assert api.get(api.base + UPDATE_SESSIONS).status_code == 200


def test_certificate_names_can_be_chosen(tmp_path):
    from vcenter_simulator import VCenterSimulator

    with VCenterSimulator(cert_names=["vcenter.example.com"]) as other:
        with pytest.raises(requests.exceptions.SSLError, match="mismatch"):
            requests.get(other.url + "/api/session", verify=other.ca_file)


def test_a_preview_is_preparing_until_its_delay_has_passed(simulator, api):
    session_id = simulator.state.add_update_session(preview_warnings=["EXPIRED_CERTIFICATE"], preview_delay=0.3,
                                                    signed=True)
    url = api.base + UPDATE_SESSIONS + "/" + session_id
    assert api.get(url).json()["preview_info"] == {"state": "PREPARING"}
    time.sleep(0.35)
    preview = api.get(url).json()["preview_info"]
    assert preview["state"] == "AVAILABLE"
    assert [w["type"] for w in preview["warnings"]] == ["EXPIRED_CERTIFICATE"]
    assert preview["certificate_info"]["self_signed"] is True and len(preview["cert_chain"]) == 1


def test_a_not_applicable_preview_has_no_warnings_and_completes(simulator, api):
    session_id = simulator.state.add_update_session(preview_state="NOT_APPLICABLE",
                                                    preview_warnings=["EXPIRED_CERTIFICATE"])
    url = api.base + UPDATE_SESSIONS + "/" + session_id
    assert api.get(url).json()["preview_info"] == {"state": "NOT_APPLICABLE"}
    assert api.post(url, params={"action": "complete"}).status_code == 204
    assert api.get(url).json()["state"] == "DONE"


def test_a_background_completion_stays_active_until_its_delay_has_passed(simulator, api):
    session_id = simulator.state.add_update_session(completion_delay=0.3)
    url = api.base + UPDATE_SESSIONS + "/" + session_id
    assert api.post(url, params={"action": "complete"}).status_code == 204
    assert api.get(url).json()["state"] == "ACTIVE"
    assert api.post(url, params={"action": "complete"}).status_code == 204, "completing again is harmless"
    time.sleep(0.35)
    assert api.get(url).json()["state"] == "DONE"


def test_an_idle_session_expires_and_is_deleted_unless_kept_alive():
    with VCenterSimulator(session_expiry=0.4) as sim:
        http = requests.Session()
        http.trust_env = False
        http.verify = sim.ca_file
        http.headers["vmware-api-session-id"] = http.post(sim.url + "/api/session", auth=(USERNAME, PASSWORD)).json()
        idle = sim.state.add_update_session()
        kept = sim.state.add_update_session()
        url = sim.url + UPDATE_SESSIONS + "/"
        expiry = http.get(url + kept).json()["expiration_time"]
        for _round in range(3):
            time.sleep(0.2)
            assert http.post(url + kept, params={"action": "keep-alive"}).status_code == 204
        assert http.get(url + kept).json()["expiration_time"] > expiry
        assert http.get(url + idle).status_code == 404
        assert idle not in sim.state.update_sessions
        assert sim.violations == []


def test_a_lost_response_still_carries_out_the_request(simulator, api):
    simulator.state.add_library_item("item-1")
    simulator.inject_fault(method="POST", path="update-session$", drop_after=True)
    with pytest.raises(requests.ConnectionError):
        api.post(api.base + UPDATE_SESSIONS, headers={"Client-Token": "7d1c1e8e-6a0e-4f55-9b1b-0c1f7f0f3f10"},
                 json={"library_item_id": "item-1"})
    assert len(simulator.state.update_sessions) == 1
    again = api.post(api.base + UPDATE_SESSIONS, headers={"Client-Token": "7d1c1e8e-6a0e-4f55-9b1b-0c1f7f0f3f10"},
                     json={"library_item_id": "item-1"})
    assert again.status_code == 201 and again.json() == next(iter(simulator.state.update_sessions))
    assert [entry["status"] for entry in simulator.calls("POST", "create_session")] == ["dropped after 201", 201]
