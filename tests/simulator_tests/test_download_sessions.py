# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's download sessions through raw HTTP: create, list, get, the files' prepare, keep-alive, the
session's ends and its expiry."""

import datetime
import json

import pytest

from raw_api import error_type
from vcenter_simulator.spec import API_VERSIONS
from vcenter_simulator.vapi import utcnow

CONTENT = b"the content of a.iso"


@pytest.fixture
def item(simulator):
    return simulator.state.add_library_item(files=[{"name": "a.iso", "content": CONTENT},
                                                   {"name": "b.iso", "size": 5, "checksum": "00" * 20}])


def test_a_client_token_answers_the_same_session_again(simulator, raw_api, item):
    first = raw_api.download_session(item, client_token="token-1")
    assert raw_api.download_session(item, client_token="token-1") == first
    other = raw_api.download_session(item)
    assert other != first, "an item may have several download sessions"
    assert [call["client_token"] for call in simulator.calls("POST", "create_download_session")] == [
        "token-1", "token-1", None]
    missing = raw_api.post(raw_api.downloads_url(), json={"library_item_id": "no-such-item"})
    assert missing.status_code == 404 and error_type(missing) == "NOT_FOUND"
    empty = raw_api.post(raw_api.downloads_url(), json={})
    assert empty.status_code == 400 and error_type(empty) == "INVALID_ARGUMENT"


def test_the_list_is_the_callers_sessions_optionally_of_one_item(simulator, raw_api, item):
    mine = raw_api.download_session(item)
    other_item = simulator.state.add_library_item()
    elsewhere = raw_api.download_session(other_item)
    simulator.state.add_download_session(library_item_id=item, owner="someone@vsphere.local")
    assert sorted(raw_api.get(raw_api.downloads_url()).json()) == sorted([mine, elsewhere])
    assert raw_api.get(raw_api.downloads_url(), params={"library_item_id": item}).json() == [mine]
    unknown = raw_api.get(raw_api.downloads_url(), params={"library_item_id": "no-such-item"})
    assert unknown.status_code == 404 and error_type(unknown) == "NOT_FOUND"


def test_get_answers_the_model_without_id(simulator, raw_api, item):
    session_id = raw_api.download_session(item)
    model = raw_api.get(raw_api.downloads_url(session_id)).json()
    assert sorted(model) == ["client_progress", "expiration_time", "library_item_content_version",
                             "library_item_id", "state"]
    assert (model["library_item_id"], model["library_item_content_version"], model["state"],
            model["client_progress"]) == (item, "1", "ACTIVE", 0)
    assert raw_api.get(raw_api.downloads_url("no-such-session")).status_code == 404


def test_the_files_are_the_items_files_unprepared(raw_api, item):
    session_id = raw_api.download_session(item)
    assert raw_api.get(raw_api.downloads_url(session_id, files=True)).json() == [
        {"name": "a.iso", "bytes_transferred": 0, "status": "UNPREPARED"},
        {"name": "b.iso", "bytes_transferred": 0, "status": "UNPREPARED"}]
    assert raw_api.download_file(session_id, "a.iso").json()["status"] == "UNPREPARED"
    unknown = raw_api.download_file(session_id, "c.iso")
    assert unknown.status_code == 400 and error_type(unknown) == "INVALID_ARGUMENT"


@pytest.mark.parametrize("simulator", API_VERSIONS, indirect=True)
def test_a_prepare_is_requested_then_prepared(simulator, raw_api, item):
    session_id = raw_api.download_session(item)
    answer = raw_api.prepare(session_id, "a.iso")
    assert answer.status_code == 200
    assert answer.json() == {"name": "a.iso", "bytes_transferred": 0, "status": "PREPARE_REQUESTED"}
    info = raw_api.download_file(session_id, "a.iso").json()
    assert info["status"] == "PREPARED" and info["size"] == len(CONTENT) and "checksum_info" not in info
    assert info["download_endpoint"] == {"uri": simulator.download_session(session_id)["files"]["a.iso"]["uri"]}
    assert info["download_endpoint"]["uri"].startswith(simulator.url + "/cls/data/")
    assert raw_api.prepare(session_id, "a.iso").json() == info, "asked again, it stays prepared"


def test_a_prepare_delay_shows_preparing_in_its_second_half(simulator, raw_api):
    item = simulator.state.add_library_item(files=[{"name": "a.iso", "content": CONTENT}], prepare_delay=60)
    session_id = raw_api.download_session(item)
    raw_api.prepare(session_id, "a.iso")
    record = simulator.download_session(session_id)["files"]["a.iso"]
    assert record["prepared_at"] - record["preparing_at"] == datetime.timedelta(seconds=30)
    statuses = [raw_api.download_file(session_id, "a.iso").json()["status"]]
    for moment in (record["preparing_at"], record["prepared_at"]):
        simulator.state.refresh(moment)
        statuses.append(raw_api.download_file(session_id, "a.iso").json()["status"])
    assert statuses == ["PREPARE_REQUESTED", "PREPARING", "PREPARED"]


def test_a_prepare_error_and_content_not_stored_end_in_error(simulator, raw_api):
    item = simulator.state.add_library_item(files=[{"name": "a.iso", "content": CONTENT},
                                                   {"name": "b.iso", "size": 5}],
                                            prepare_errors={"a.iso": "The disk is unreadable."})
    session_id = raw_api.download_session(item)
    for name in ("a.iso", "b.iso"):
        assert raw_api.prepare(session_id, name).json()["status"] == "PREPARE_REQUESTED"
    failed, unstored = (raw_api.download_file(session_id, name).json() for name in ("a.iso", "b.iso"))
    assert failed["status"] == unstored["status"] == "ERROR"
    assert failed["error_message"]["default_message"] == "The disk is unreadable."
    assert failed["error_message"]["args"] == ["a.iso"]
    assert unstored["error_message"]["default_message"] == "The content of b.iso is not stored."
    assert "download_endpoint" not in failed and "size" not in failed


def test_prepare_refuses_unknown_files_direct_endpoints_and_sessions_not_active(raw_api, item):
    session_id = raw_api.download_session(item)
    unknown = raw_api.prepare(session_id, "c.iso")
    assert unknown.status_code == 400 and error_type(unknown) == "INVALID_ARGUMENT"
    direct = raw_api.prepare(session_id, "a.iso", endpoint_type="DIRECT")
    assert direct.status_code == 403 and error_type(direct) == "UNAUTHORIZED"
    assert raw_api.download_file(session_id, "a.iso").json()["status"] == "UNPREPARED"
    assert raw_api.post(raw_api.downloads_url(session_id), params={"action": "cancel"}).status_code == 204
    late = raw_api.prepare(session_id, "a.iso")
    assert late.status_code == 400 and error_type(late) == "NOT_ALLOWED_IN_CURRENT_STATE"
    assert raw_api.prepare("no-such-session", "a.iso").status_code == 404


def keep_alive(raw_api, session_id, **body):
    return raw_api.post(raw_api.downloads_url(session_id), params={"action": "keep-alive"}, json=body or None)


def test_keep_alive_takes_a_rising_progress_up_to_100_and_refreshes_the_expiry(simulator, raw_api, item):
    session_id = raw_api.download_session(item)
    soon = utcnow() + datetime.timedelta(seconds=5)
    simulator.state.download_sessions[session_id]["expiration_time"] = soon
    assert keep_alive(raw_api, session_id).status_code == 204
    assert simulator.download_session(session_id)["expiration_time"] > soon + datetime.timedelta(seconds=250)
    assert keep_alive(raw_api, session_id, progress=40).status_code == 204
    for progress in (40, 39, 101):
        refused = keep_alive(raw_api, session_id, progress=progress)
        assert refused.status_code == 400 and error_type(refused) == "INVALID_ARGUMENT", progress
    assert keep_alive(raw_api, session_id, progress=100).status_code == 204
    assert raw_api.get(raw_api.downloads_url(session_id)).json()["client_progress"] == 100
    assert keep_alive(raw_api, "no-such-session").status_code == 404


@pytest.mark.parametrize("simulator", API_VERSIONS, indirect=True)
def test_cancel_and_fail_need_an_active_session_and_delete_takes_any(raw_api, item):
    canceled, failed, active = (raw_api.download_session(item) for _session in range(3))
    assert raw_api.post(raw_api.downloads_url(canceled), params={"action": "cancel"}).status_code == 204
    assert raw_api.post(raw_api.downloads_url(failed), params={"action": "fail"},
                        json={"client_error_message": "the disk is full"}).status_code == 204
    assert raw_api.get(raw_api.downloads_url(canceled)).json()["state"] == "CANCELED"
    model = raw_api.get(raw_api.downloads_url(failed)).json()
    assert model["state"] == "ERROR" and model["error_message"]["default_message"] == "the disk is full"
    for session_id in (canceled, failed):
        for action, body in (("cancel", None), ("fail", {"client_error_message": "again"}), ("keep-alive", None)):
            refused = raw_api.post(raw_api.downloads_url(session_id), params={"action": action}, json=body)
            assert refused.status_code == 400 and error_type(refused) == "NOT_ALLOWED_IN_CURRENT_STATE"
    for session_id in (canceled, failed, active):
        assert raw_api.delete(raw_api.downloads_url(session_id)).status_code == 204
        assert raw_api.get(raw_api.downloads_url(session_id)).status_code == 404
    assert raw_api.get(raw_api.downloads_url()).json() == []
    assert raw_api.delete(raw_api.downloads_url(active)).status_code == 404


def test_an_idle_session_expires_and_is_deleted_with_its_uris(simulator, raw_api, item):
    idle, ended = raw_api.download_session(item), raw_api.download_session(item)
    uri = raw_api.prepared(idle, "a.iso")["download_endpoint"]["uri"]
    raw_api.post(raw_api.downloads_url(ended), params={"action": "cancel"})
    simulator.state.refresh(utcnow() + simulator.state.session_expiry + datetime.timedelta(seconds=1))
    assert raw_api.get(raw_api.downloads_url(idle)).status_code == 404
    assert raw_api.get(raw_api.downloads_url(ended)).json()["state"] == "CANCELED", "only ACTIVE sessions expire"
    assert raw_api.get(uri).status_code == 404 and simulator.state.download_tokens == {}


def test_deleting_the_item_deletes_its_download_sessions(simulator, raw_api, item):
    session_id = raw_api.download_session(item)
    raw_api.prepared(session_id, "a.iso")
    assert raw_api.delete(raw_api.base + "/api/content/library/item/" + item).status_code == 204
    assert raw_api.get(raw_api.downloads_url(session_id)).status_code == 404
    assert simulator.state.download_tokens == {}


def test_the_seed_control_takes_the_download_settings_and_sessions(simulator, raw_api):
    seed = {"library_items": [{"id": "item-1", "files": [{"name": "a.iso", "content": "text"}], "prepare_delay": 60,
                               "prepare_errors": {"b.iso": "no"}}],
            "download_sessions": [{"id": "download-1", "library_item_id": "item-1", "client_progress": 5}]}
    response = raw_api.post(simulator.url + "/_simulator/seed", data=json.dumps(seed))
    assert response.json()["download_sessions"] == ["download-1"]
    item = simulator.state.items["item-1"]
    assert (item["prepare_delay"], item["prepare_errors"]) == (60.0, {"b.iso": "no"})
    assert raw_api.get(raw_api.downloads_url("download-1")).json()["client_progress"] == 5
    assert raw_api.prepare("download-1", "a.iso").json()["status"] == "PREPARE_REQUESTED"
    assert raw_api.download_file("download-1", "a.iso").json()["status"] == "PREPARE_REQUESTED"
