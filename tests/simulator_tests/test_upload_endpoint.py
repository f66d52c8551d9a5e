# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's upload endpoint: streamed PUT/POST, hashing, statuses, its own port, and its faults."""

import hashlib
import ssl
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests

from helpers import wait_until
from raw_api import RawApi, error_type, large_file, memory_peak, put
from vcenter_simulator import VCenterSimulator

DATA = bytes(range(256)) * 256  # 64 KiB


class GatedReader:
    """A body that sends ``first`` bytes, then waits for ``gate`` before the rest (requests streams it by read())."""

    def __init__(self, data, first):
        self.data, self.first, self.offset = data, first, 0
        self.gate = threading.Event()

    def __len__(self):
        return len(self.data) - self.offset

    def read(self, size=-1):
        if self.offset == self.first:
            assert self.gate.wait(10)
        end = len(self.data) if size < 0 else self.offset + size
        if self.offset < self.first:
            end = min(end, self.first)
        chunk = self.data[self.offset:end]
        self.offset += len(chunk)
        return chunk


def add(simulator, raw_api, name="disk.vmdk", **spec):
    session_id = raw_api.session(simulator.state.add_library_item())
    response = raw_api.add(session_id, name, **spec)
    assert response.status_code == 201, response.text
    return session_id, response.json()["upload_endpoint"]["uri"]


def test_an_upload_moves_through_transferring_to_ready(simulator, raw_api):
    session_id, uri = add(simulator, raw_api, size=len(DATA))
    body = GatedReader(DATA, first=20000)
    answers = []
    sender = threading.Thread(target=lambda: answers.append(put(uri, body, simulator.ca_file)))
    sender.start()
    try:
        wait_until(lambda: simulator.session_file(session_id, "disk.vmdk")["bytes_transferred"] == 20000)
        info = raw_api.file(session_id, "disk.vmdk")
        assert info["status"] == "TRANSFERRING" and info["bytes_transferred"] == 20000 and "size" not in info
    finally:
        body.gate.set()
        sender.join(10)
    assert answers[0].status_code == 200 and answers[0].content == b""
    info = raw_api.file(session_id, "disk.vmdk")
    assert info["status"] == "READY" and info["size"] == info["bytes_transferred"] == len(DATA)
    assert info["checksum_info"] == {"algorithm": "SHA1", "checksum": hashlib.sha1(DATA).hexdigest()}
    (entry,) = simulator.calls(route="upload")
    assert entry["status"] == 200 and entry["server"] == "api" and entry["session_header"] is False
    assert entry["raw_body"] == b"" and entry["bytes_received"] == len(DATA), "the body is not kept in the log"
    assert entry["path_params"] == {"update_session_id": session_id, "file_name": "disk.vmdk"}


@pytest.mark.parametrize("algorithm", ["MD5", "SHA1", "SHA256", "SHA512"])
def test_the_received_checksum_uses_the_algorithm_of_the_add(simulator, raw_api, algorithm):
    digest = hashlib.new(algorithm.lower(), DATA).hexdigest()
    session_id, uri = add(simulator, raw_api, checksum_info={"algorithm": algorithm, "checksum": digest.upper()})
    assert put(uri, DATA, simulator.ca_file, method="POST").status_code == 200, "POST is accepted too"
    assert raw_api.file(session_id, "disk.vmdk")["checksum_info"] == {"algorithm": algorithm, "checksum": digest}


@pytest.mark.parametrize("spec, expected", [
    ({"size": len(DATA) + 1}, "expected 65537 bytes, received 65536 bytes"),
    ({"checksum_info": {"algorithm": "SHA256", "checksum": "00" * 32}},
     "expected %s, received %s" % ("00" * 32, hashlib.sha256(DATA).hexdigest())),
])
def test_a_mismatch_ends_in_error_and_answers_400(simulator, raw_api, spec, expected):
    session_id, uri = add(simulator, raw_api, **spec)
    response = put(uri, DATA, simulator.ca_file)
    assert response.status_code == 400 and error_type(response) == "INVALID_ARGUMENT"
    assert expected in response.json()["messages"][0]["default_message"]
    info = raw_api.file(session_id, "disk.vmdk")
    assert info["status"] == "ERROR" and expected in info["error_message"]["default_message"]
    assert "size" not in info and "checksum_info" not in info


def test_uploads_need_a_content_length_a_live_endpoint_and_an_active_session(simulator, raw_api):
    session_id, uri = add(simulator, raw_api)
    chunked = put(uri, iter([DATA]), simulator.ca_file)
    assert chunked.status_code == 411
    assert put(uri.replace("/cls/data/", "/cls/data/x"), DATA, simulator.ca_file).status_code == 404
    assert raw_api.post(raw_api.base + "/api/content/library/item/update-session/" + session_id,
                        params={"action": "cancel"}).status_code == 204
    late = put(uri, DATA, simulator.ca_file)
    assert late.status_code == 400 and error_type(late) == "NOT_ALLOWED_IN_CURRENT_STATE"
    assert raw_api.delete(uri, verify=simulator.ca_file).status_code == 405
    assert raw_api.get(uri, verify=simulator.ca_file).status_code == 404, "a GET downloads: no such download"


def test_the_log_says_whether_the_session_header_was_sent(simulator, raw_api):
    _session_id, uri = add(simulator, raw_api)
    assert raw_api.put(uri, data=DATA).status_code == 200, "raw_api sends its session header"
    assert [entry["session_header"] for entry in simulator.calls(route="upload")] == [True]


@pytest.mark.parametrize("simulator", [{"upload_port": "separate"}], indirect=True)
def test_uploads_can_have_a_port_and_certificate_of_their_own(simulator, raw_api):
    session_id, uri = add(simulator, raw_api)
    port = urlsplit(uri).port
    assert port == simulator.upload_server_port != simulator.port
    assert uri.startswith(simulator.upload_url + "/cls/data/")
    api_cert = ssl.get_server_certificate((simulator.host, simulator.port))
    upload_cert = ssl.get_server_certificate((simulator.host, port))
    assert api_cert != upload_cert
    assert put(uri.replace(":%d/" % port, ":%d/" % simulator.port), DATA, simulator.ca_file).status_code == 404
    assert put(uri, DATA, simulator.ca_file).status_code == 200, "the simulator's CA issued both certificates"
    assert [entry["server"] for entry in simulator.calls(route="upload")] == ["api", "upload"]
    assert raw_api.file(session_id, "disk.vmdk")["status"] == "READY"
    assert requests.get(simulator.upload_url + "/api/session", verify=simulator.ca_file).status_code == 404


def test_upload_uris_can_name_another_host():
    with VCenterSimulator(upload_host="localhost") as simulator, RawApi(simulator) as raw_api:
        session_id, uri = add(simulator, raw_api)
        assert uri.startswith("https://localhost:%d/cls/data/" % simulator.port)
        assert put(uri, DATA, simulator.ca_file).status_code == 200
        assert raw_api.file(session_id, "disk.vmdk")["status"] == "READY"
        assert simulator.violations == []


def test_a_reset_cuts_the_upload_after_that_many_bytes(simulator, raw_api):
    session_id, uri = add(simulator, raw_api, size=len(DATA))
    simulator.inject_fault(path=r"/cls/data/", reset_after=10000)
    with pytest.raises(requests.ConnectionError):
        put(uri, DATA * 16, simulator.ca_file, headers={"Content-Length": str(len(DATA) * 16)})
    (entry,) = simulator.calls(route="upload")
    assert entry["status"] == "reset after 10000 bytes"
    info = raw_api.file(session_id, "disk.vmdk")
    assert info["status"] == "ERROR" and info["bytes_transferred"] == 10000
    assert "interrupted after 10000 of 1048576 bytes" in info["error_message"]["default_message"]
    assert put(uri, DATA, simulator.ca_file).status_code == 200, "one reset only"


def test_a_5xx_answers_without_storing(simulator, raw_api):
    session_id, uri = add(simulator, raw_api)
    fault = simulator.inject_fault(path=r"/cls/data/", status=503, body="upstream busy")
    response = put(uri, DATA, simulator.ca_file)
    assert response.status_code == 503 and response.text == "upstream busy" and fault.applied == 1
    info = raw_api.file(session_id, "disk.vmdk")
    assert info["status"] == "WAITING_FOR_TRANSFER" and info["bytes_transferred"] == 0
    assert put(uri, DATA, simulator.ca_file).status_code == 200


def test_a_stall_stops_reading_for_a_while(simulator, raw_api):
    session_id, uri = add(simulator, raw_api)
    simulator.inject_fault(path=r"/cls/data/", stall=0.6, stall_after=4096)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        put(uri, DATA, simulator.ca_file, timeout=0.2)
    wait_until(lambda: raw_api.file(session_id, "disk.vmdk")["status"] != "TRANSFERRING")
    assert time.monotonic() - started >= 0.5
    simulator.inject_fault(path=r"/cls/data/", stall=0.3, stall_after=4096)
    started = time.monotonic()
    assert put(uri, DATA, simulator.ca_file, timeout=2).status_code == 200, "a client that waits gets through"
    assert time.monotonic() - started >= 0.3
    assert raw_api.file(session_id, "disk.vmdk")["status"] == "READY"


def test_a_lost_answer_still_stores_the_upload(simulator, raw_api):
    session_id, uri = add(simulator, raw_api)
    simulator.inject_fault(path=r"/cls/data/", drop_after=True)
    with pytest.raises(requests.ConnectionError):
        put(uri, DATA, simulator.ca_file)
    assert simulator.calls(route="upload")[0]["status"] == "dropped after 200"
    assert raw_api.file(session_id, "disk.vmdk")["status"] == "READY"


def test_a_large_upload_is_streamed_not_held_in_memory(simulator, raw_api, tmp_path):
    size = 24 << 20
    path = tmp_path / "large.bin"
    checksum = large_file(path, size, "sha256")
    session_id, uri = add(simulator, raw_api, size=size, checksum_info={"algorithm": "SHA256", "checksum": checksum})
    with memory_peak() as measured, open(path, "rb") as body:
        assert put(uri, body, simulator.ca_file).status_code == 200
    assert measured["peak"] < 8 << 20, "peak %d bytes for a %d-byte upload" % (measured["peak"], size)
    assert raw_api.file(session_id, "disk.vmdk")["size"] == size
