# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's download endpoint: exact bytes, Range, its own port, the session's ends, and its faults."""

import hashlib
import ssl
import threading
from urllib.parse import urlsplit

import pytest
import requests

from helpers import wait_until
from raw_api import error_type, large_file, memory_peak

DATA = bytes(range(256)) * 256  # 64 KiB
DOWNLOAD = r"/cls/data/"
BROKEN = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


def fetch(simulator, uri, **kwargs):
    """A GET as a download client sends it: no session header, the simulator's CA trusted."""
    return requests.get(uri, verify=simulator.ca_file, **kwargs)


def fetch_until_broken(simulator, uri, **kwargs):
    """A streamed GET that breaks off: the bytes received before it did, to the last whole KiB (a read
    that breaks loses the part it had)."""
    received = bytearray()
    with pytest.raises(BROKEN):
        with fetch(simulator, uri, stream=True, **kwargs) as response:
            for chunk in response.iter_content(1024):
                received += chunk
    return bytes(received)


def prepared(simulator, raw_api, data=DATA, name="disk.vmdk", **item):
    """A download session on a new item holding ``data``, the file prepared; (session id, download URI)."""
    item_id = simulator.state.add_library_item(files=[{"name": name, "content": data}], **item)
    session_id = raw_api.download_session(item_id)
    return session_id, raw_api.prepared(session_id, name)["download_endpoint"]["uri"]


def test_the_seeded_content_is_served_whole_without_a_session_header(simulator, raw_api):
    session_id, uri = prepared(simulator, raw_api)
    assert "checksum_info" not in raw_api.download_file(session_id, "disk.vmdk").json()
    response = fetch(simulator, uri)
    assert response.status_code == 200 and response.content == DATA
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert (response.headers["Content-Length"], response.headers["Accept-Ranges"]) == (str(len(DATA)), "bytes")
    (entry,) = simulator.calls(route="download")
    assert (entry["status"], entry["range"], entry["bytes_sent"]) == (200, None, len(DATA))
    assert entry["session_header"] is False
    assert entry["path_params"] == {"download_session_id": session_id, "file_name": "disk.vmdk"}
    info = raw_api.download_file(session_id, "disk.vmdk").json()
    assert info["bytes_transferred"] == info["size"] == len(DATA)
    assert info["checksum_info"] == {"algorithm": "SHA1", "checksum": hashlib.sha1(DATA).hexdigest()}
    assert raw_api.get(uri).status_code == 200, "a session header changes nothing"
    assert [entry["session_header"] for entry in simulator.calls(route="download")] == [False, True]


def test_content_uploaded_through_an_update_session_is_served(simulator, raw_api):
    item_id = simulator.state.add_library_item()
    update = raw_api.session(item_id)
    raw_api.push(update, "uploaded.iso", DATA[::-1])
    assert raw_api.complete(update).status_code == 204
    session_id = raw_api.download_session(item_id)
    assert raw_api.get(raw_api.downloads_url(session_id)).json()["library_item_content_version"] == "2"
    uri = raw_api.prepared(session_id, "uploaded.iso")["download_endpoint"]["uri"]
    assert fetch(simulator, uri).content == DATA[::-1]


def test_a_range_from_an_offset_resumes_and_past_the_end_is_unsatisfiable(simulator, raw_api):
    session_id, uri = prepared(simulator, raw_api)
    first = fetch(simulator, uri, headers={"Range": "bytes=0-"})
    assert first.status_code == 206 and first.content == DATA
    rest = fetch(simulator, uri, headers={"Range": "bytes=1000-"})
    assert rest.status_code == 206 and rest.content == DATA[1000:]
    assert rest.headers["Content-Range"] == "bytes 1000-%d/%d" % (len(DATA) - 1, len(DATA))
    assert rest.headers["Content-Length"] == str(len(DATA) - 1000)
    for start in (len(DATA), len(DATA) + 1):
        beyond = fetch(simulator, uri, headers={"Range": "bytes=%d-" % start})
        assert beyond.status_code == 416 and beyond.headers["Content-Range"] == "bytes */%d" % len(DATA)
    for other in ("bytes=0-99", "bytes=-100", "bytes=0-9,20-", "items=5-"):
        whole = fetch(simulator, uri, headers={"Range": other})
        assert whole.status_code == 200 and whole.content == DATA, other
    assert [entry["range"] for entry in simulator.calls(route="download")][:2] == ["bytes=0-", "bytes=1000-"]


def test_only_a_prepared_file_of_an_active_session_is_served(simulator, raw_api):
    session_id, uri = prepared(simulator, raw_api)
    for wrong in (uri.replace("/cls/data/", "/cls/data/x"), uri.rsplit("/", 1)[0] + "/other.vmdk"):
        missing = fetch(simulator, wrong)
        assert missing.status_code == 404 and error_type(missing) == "NOT_FOUND"
    raw_api.post(raw_api.downloads_url(session_id), params={"action": "cancel"})
    canceled = fetch(simulator, uri)
    assert canceled.status_code == 400 and error_type(canceled) == "NOT_ALLOWED_IN_CURRENT_STATE"
    assert raw_api.delete(raw_api.downloads_url(session_id)).status_code == 204
    assert fetch(simulator, uri).status_code == 404, "a deleted session's URI is gone"


@pytest.mark.parametrize("simulator", [{"upload_port": "separate"}], indirect=True)
def test_downloads_come_from_the_upload_port_with_its_own_certificate(simulator, raw_api):
    _session_id, uri = prepared(simulator, raw_api)
    port = urlsplit(uri).port
    assert port == simulator.upload_server_port != simulator.port
    assert ssl.get_server_certificate((simulator.host, port)) != ssl.get_server_certificate(
        (simulator.host, simulator.port))
    assert fetch(simulator, uri.replace(":%d/" % port, ":%d/" % simulator.port)).status_code == 404
    assert fetch(simulator, uri).content == DATA
    assert [entry["server"] for entry in simulator.calls(route="download")] == ["api", "upload"]


def test_a_reset_mid_stream_then_a_resume_gives_the_whole_file(simulator, raw_api):
    session_id, uri = prepared(simulator, raw_api)
    simulator.inject_fault(path=DOWNLOAD, method="GET", reset_after=10240)
    received = fetch_until_broken(simulator, uri)
    assert received == DATA[:10240]
    assert simulator.calls(route="download")[0]["status"] == "reset after 10240 bytes"
    assert raw_api.download_file(session_id, "disk.vmdk").json()["bytes_transferred"] == 10240
    rest = fetch(simulator, uri, headers={"Range": "bytes=%d-" % len(received)})
    assert rest.status_code == 206 and received + rest.content == DATA
    info = raw_api.download_file(session_id, "disk.vmdk").json()
    assert info["bytes_transferred"] == len(DATA)
    assert info["checksum_info"]["checksum"] == hashlib.sha1(DATA).hexdigest()


def test_a_5xx_answers_instead_of_the_content(simulator, raw_api):
    session_id, uri = prepared(simulator, raw_api)
    fault = simulator.inject_fault(path=DOWNLOAD, method="GET", status=503, body="upstream busy")
    response = fetch(simulator, uri)
    assert response.status_code == 503 and response.text == "upstream busy" and fault.applied == 1
    assert raw_api.download_file(session_id, "disk.vmdk").json()["bytes_transferred"] == 0
    assert fetch(simulator, uri).content == DATA


def test_a_stall_stops_sending_for_a_while(simulator, raw_api):
    _session_id, uri = prepared(simulator, raw_api)
    simulator.inject_fault(path=DOWNLOAD, method="GET", stall=0.6, stall_after=4096)
    assert fetch_until_broken(simulator, uri, timeout=0.2) == DATA[:4096]
    simulator.inject_fault(path=DOWNLOAD, method="GET", stall=0.3, stall_after=4096)
    assert fetch(simulator, uri, timeout=2).content == DATA, "a client that waits gets it all"


def test_corrupt_at_changes_exactly_one_byte_and_the_checksum_tells(simulator, raw_api):
    session_id, uri = prepared(simulator, raw_api)
    simulator.inject_fault(path=DOWNLOAD, method="GET", corrupt_at=5000)
    received = fetch(simulator, uri).content
    assert [offset for offset in range(len(DATA)) if received[offset] != DATA[offset]] == [5000]
    checksum = raw_api.download_file(session_id, "disk.vmdk").json()["checksum_info"]["checksum"]
    assert checksum == hashlib.sha1(DATA).hexdigest() != hashlib.sha1(received).hexdigest()
    simulator.inject_fault(path=DOWNLOAD, method="GET", corrupt_at=5000)
    assert fetch(simulator, uri, headers={"Range": "bytes=6000-"}).content == DATA[6000:], "not in that range"


def test_ignore_range_answers_the_whole_file(simulator, raw_api):
    _session_id, uri = prepared(simulator, raw_api)
    simulator.inject_fault(path=DOWNLOAD, method="GET", ignore_range=True)
    response = fetch(simulator, uri, headers={"Range": "bytes=1000-"})
    assert response.status_code == 200 and response.content == DATA and "Content-Range" not in response.headers


def test_a_dropped_request_gets_no_answer(simulator, raw_api):
    _session_id, uri = prepared(simulator, raw_api)
    simulator.inject_fault(path=DOWNLOAD, method="GET", drop=True, delay=0.1)
    with pytest.raises(requests.ConnectionError):
        fetch(simulator, uri)
    assert simulator.calls(route="download")[0]["status"] == "dropped"
    assert fetch(simulator, uri).content == DATA


def test_deleting_the_session_cuts_a_stream_in_flight(simulator, raw_api):
    session_id, uri = prepared(simulator, raw_api)
    simulator.inject_fault(path=DOWNLOAD, method="GET", stall=0.5, stall_after=8192)
    received = []
    reader = threading.Thread(target=lambda: received.append(fetch_until_broken(simulator, uri, timeout=5)))
    reader.start()
    wait_until(lambda: simulator.calls(route="download") and simulator.calls(route="download")[0]["bytes_sent"])
    assert raw_api.delete(raw_api.downloads_url(session_id)).status_code == 204
    reader.join(10)
    assert received == [DATA[:8192]]
    assert simulator.calls(route="download")[0]["status"] == "cut after 8192 bytes: the session ended"


def test_a_large_download_is_streamed_not_held_in_memory(simulator, raw_api, tmp_path):
    size = 24 << 20
    path = tmp_path / "large.bin"
    checksum = large_file(path, size, "sha1")
    # Seeded by path, without a checksum: the simulator computes the one it reports.
    item_id = simulator.state.add_library_item(files=[{"name": "large.bin", "size": size, "path": str(path)}])
    session_id = raw_api.download_session(item_id)
    uri = raw_api.prepared(session_id, "large.bin")["download_endpoint"]["uri"]
    received = hashlib.sha1()
    with memory_peak() as measured, fetch(simulator, uri, stream=True) as response:
        for chunk in response.iter_content(1 << 16):
            received.update(chunk)
    assert measured["peak"] < 8 << 20, "peak %d bytes for a %d-byte download" % (measured["peak"], size)
    assert received.hexdigest() == checksum
    assert raw_api.download_file(session_id, "large.bin").json()["checksum_info"]["checksum"] == checksum
