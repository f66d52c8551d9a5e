# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PULL: the simulator fetches a file from a loopback http(s) source, with the spec's thumbprint rules."""

import hashlib
import socket
import time

import pytest

from ovf_package import make_ovf_package

DATA = b"pulled content\n" * 4096


def pull(raw_api, session_id, uri, name="disk.vmdk", **spec):
    endpoint = {"uri": uri}
    if "thumbprint" in spec:
        endpoint["ssl_certificate_thumbprint"] = spec.pop("thumbprint")
    response = raw_api.add(session_id, name, source_type="PULL", source_endpoint=endpoint, **spec)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "WAITING_FOR_TRANSFER"
    assert response.json()["source_endpoint"] == endpoint
    return response.json()


def settled(raw_api, session_id, name="disk.vmdk", timeout=10.0):
    """The file info once the fetch has ended (READY or ERROR)."""
    deadline = time.monotonic() + timeout
    while True:
        info = raw_api.file(session_id, name)
        if info["status"] not in ("WAITING_FOR_TRANSFER", "TRANSFERRING"):
            return info
        assert time.monotonic() < deadline, info
        time.sleep(0.01)


@pytest.fixture
def session_id(simulator, raw_api):
    return raw_api.session(simulator.state.add_library_item("item-1"))


def test_a_pull_over_http_becomes_ready_and_completes_into_the_item(raw_api, session_id, file_source, tmp_path):
    source = file_source()
    path = tmp_path / "disk.vmdk"
    path.write_bytes(DATA)
    pull(raw_api, session_id, source.add("disk.vmdk", path), size=len(DATA),
         checksum_info={"algorithm": "SHA256", "checksum": hashlib.sha256(DATA).hexdigest()})
    info = settled(raw_api, session_id)
    assert info["status"] == "READY" and info["size"] == info["bytes_transferred"] == len(DATA)
    assert info["checksum_info"] == {"algorithm": "SHA256", "checksum": hashlib.sha256(DATA).hexdigest()}
    assert "upload_endpoint" not in info and source.requests == ["/disk.vmdk"]
    assert raw_api.complete(session_id).status_code == 204
    assert raw_api.item_files("item-1")["disk.vmdk"]["checksum_info"]["checksum"] == hashlib.sha1(DATA).hexdigest()


def test_a_slow_source_shows_the_transfer_in_progress(raw_api, session_id, file_source):
    source = file_source()
    source.chunk_delay, source.chunk_size = 0.02, 8192
    pull(raw_api, session_id, source.add("disk.vmdk", DATA))
    deadline = time.monotonic() + 5
    while raw_api.file(session_id, "disk.vmdk")["bytes_transferred"] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    info = raw_api.file(session_id, "disk.vmdk")
    assert info["status"] == "TRANSFERRING" and 0 < info["bytes_transferred"] < len(DATA)
    assert settled(raw_api, session_id)["status"] == "READY"


@pytest.mark.parametrize("spell", [str, str.lower, lambda thumbprint: thumbprint.replace(":", "")])
@pytest.mark.parametrize("digest", ["thumbprint", "sha256_thumbprint"])
def test_https_with_the_right_thumbprint_needs_no_trust(raw_api, session_id, file_source, spell, digest):
    source = file_source(tls=True)
    pull(raw_api, session_id, source.add("disk.vmdk", DATA), thumbprint=spell(getattr(source, digest)))
    assert settled(raw_api, session_id)["status"] == "READY"


def test_a_wrong_thumbprint_is_an_error(raw_api, session_id, file_source):
    source = file_source(tls=True)
    pull(raw_api, session_id, source.add("disk.vmdk", DATA), thumbprint="AB:" * 19 + "AB")
    info = settled(raw_api, session_id)
    assert info["status"] == "ERROR" and "size" not in info
    text = info["error_message"]["default_message"]
    assert "has the thumbprint %s, not the expected" % source.thumbprint in text
    assert source.requests == [], "nothing is asked of a server that fails the check"


def test_https_without_a_thumbprint_needs_a_trusted_ca(simulator, raw_api, session_id, file_source):
    source = file_source(tls=True)
    pull(raw_api, session_id, source.add("disk.vmdk", DATA))
    info = settled(raw_api, session_id)
    assert info["status"] == "ERROR" and "not trusted" in info["error_message"]["default_message"]
    simulator.trusted_source_cas.append(source.ca_file)
    pull(raw_api, session_id, source.url("/disk.vmdk"))
    assert settled(raw_api, session_id)["status"] == "READY"


def refused_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d/disk.vmdk" % probe.getsockname()[1]


@pytest.mark.parametrize("case, expected", [
    ("http error", "the server answered HTTP 500"),
    ("refused", "Connection refused"),
    ("short body", "short of its Content-Length"),
    ("checksum", "The SHA1 checksum of disk.vmdk does not match: expected %s, received %s"
     % (hashlib.sha1(b"other").hexdigest(), hashlib.sha1(DATA).hexdigest())),
    ("datastore", "datastore URIs are not supported by the simulator"),
    ("file", "the URI scheme 'file' is not supported"),
])
def test_a_failing_source_is_an_error(raw_api, session_id, file_source, case, expected):
    source = file_source()
    spec = {}
    if case == "http error":
        uri = source.fail("/disk.vmdk", 500)
    elif case == "refused":
        uri = refused_url()
    elif case == "short body":
        source.short_by = 10
        uri = source.add("disk.vmdk", DATA)
    elif case == "checksum":
        uri = source.add("disk.vmdk", DATA)
        spec["checksum_info"] = {"checksum": hashlib.sha1(b"other").hexdigest()}
    else:
        uri = {"datastore": "ds:///vmfs/volumes/datastore1/disk.vmdk", "file": "file:///tmp/disk.vmdk"}[case]
    pull(raw_api, session_id, uri, **spec)
    info = settled(raw_api, session_id)
    assert info["status"] == "ERROR" and expected in info["error_message"]["default_message"]
    if case != "checksum":
        assert info["error_message"]["default_message"].startswith("Cannot fetch disk.vmdk from ")
    (invalid,) = raw_api.validate(session_id).json()["invalid_files"]
    assert invalid["name"] == "disk.vmdk"


def test_a_pulled_ovf_pulls_the_files_it_references(simulator, raw_api, file_source, tmp_path):
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 200 << 10}, extra_files={"photon.nvram": b"nv"})
    source = file_source(tls=True)
    for path in package.paths:
        source.add("templates/photon/" + path.name, path)
    item_id = simulator.state.add_library_item(type="ovf")
    session_id = raw_api.session(item_id)
    pull(raw_api, session_id, source.url("/templates/photon/photon.ovf"), name="photon.ovf",
         thumbprint=source.thumbprint)
    assert settled(raw_api, session_id, "photon.ovf")["status"] == "READY"
    for name in package.referenced:
        info = settled(raw_api, session_id, name)
        assert (info["source_type"], info["status"], info["size"]) == ("PULL", "READY", package.files[name].size)
        assert info["source_endpoint"] == {"uri": source.url("/templates/photon/" + name),
                                           "ssl_certificate_thumbprint": source.thumbprint}
    assert raw_api.complete(session_id).status_code == 204
    files = raw_api.item_files(item_id)
    assert sorted(files) == ["photon-disk1.vmdk", "photon.nvram", "photon.ovf"]
    for name, info in files.items():
        assert info["checksum_info"]["checksum"] == package.files[name].sha1


def test_a_pulled_ovf_leaves_alone_the_references_the_session_adds_itself(simulator, raw_api, file_source, tmp_path):
    package = make_ovf_package(tmp_path, signer=None)
    source = file_source()
    item_id = simulator.state.add_library_item(type="ovf", files=[{"name": "photon-disk1.vmdk", "content": b"old"}])
    generic_id = simulator.state.add_library_item()
    session_id, generic = raw_api.session(item_id), raw_api.session(generic_id)
    raw_api.push(session_id, "photon-disk1.vmdk", package.files["photon-disk1.vmdk"].path)
    for session in (session_id, generic):
        pull(raw_api, session, source.add("photon.ovf", package.ovf), name="photon.ovf")
        assert settled(raw_api, session, "photon.ovf")["status"] == "READY"
    assert raw_api.file(session_id, "photon-disk1.vmdk")["source_type"] == "PUSH"
    assert [entry["name"] for entry in raw_api.get(raw_api.files_url(generic)).json()] == ["photon.ovf"], (
        "only an OVF item's descriptor pulls its references")
    assert source.requests == ["/photon.ovf", "/photon.ovf"]
