# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's file API: an update session's files, their validation, and completion into the item's files."""

import hashlib

import pytest

from helpers import EVERY_RELEASE, take_wire_misfits
from raw_api import error_type, put


def sha1(data):
    return hashlib.sha1(data).hexdigest()


def uploaded(simulator, raw_api, session_id, name, data, **spec):
    """Add ``name`` with PUSH and upload ``data`` to its endpoint; the file info afterwards."""
    added = raw_api.add(session_id, name, size=len(data), **spec)
    assert added.status_code == 201, added.text
    assert put(added.json()["upload_endpoint"]["uri"], data, simulator.ca_file).status_code == 200
    return raw_api.file(session_id, name)


OVF = b"""<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
  <References>
    <File ovf:href="photon-disk1.vmdk" ovf:id="file1" ovf:size="4"/>
    <File ovf:href="photon.nvram" ovf:id="file2" ovf:size="4"/>
  </References>
</Envelope>
"""


def test_add_answers_a_push_endpoint_waiting_for_its_bytes(simulator, raw_api):
    session_id = raw_api.session(simulator.state.add_library_item())
    response = raw_api.add(session_id, "disk one.vmdk", size=10)
    assert response.status_code == 201
    info = response.json()
    assert info == {
        "name": "disk one.vmdk", "source_type": "PUSH", "bytes_transferred": 0, "status": "WAITING_FOR_TRANSFER",
        "upload_endpoint": {"uri": simulator.upload_uri(session_id, "disk one.vmdk")},
    }
    assert info["upload_endpoint"]["uri"].startswith(simulator.url + "/cls/data/")
    assert info["upload_endpoint"]["uri"].endswith("/disk%20one.vmdk")
    assert "size" not in info, "size is only set once READY"
    assert raw_api.get(raw_api.files_url(session_id)).json() == [info]
    assert raw_api.file(session_id, "disk one.vmdk") == info


def test_adding_a_name_again_replaces_it_with_a_new_endpoint(simulator, raw_api):
    session_id = raw_api.session(simulator.state.add_library_item())
    first = uploaded(simulator, raw_api, session_id, "a.iso", b"first")
    assert first["status"] == "READY"
    again = raw_api.add(session_id, "a.iso", size=6).json()
    assert again["status"] == "WAITING_FOR_TRANSFER" and again["bytes_transferred"] == 0
    assert again["upload_endpoint"]["uri"] != first["upload_endpoint"]["uri"]
    assert put(first["upload_endpoint"]["uri"], b"first", simulator.ca_file).status_code == 404, "the old one is gone"
    assert [entry["name"] for entry in raw_api.get(raw_api.files_url(session_id)).json()] == ["a.iso"]


def test_unknown_files_are_invalid_arguments_and_unknown_sessions_not_found(simulator, raw_api):
    session_id = raw_api.session(simulator.state.add_library_item())
    for method in ("GET", "DELETE"):
        response = raw_api.request(method, raw_api.files_url(session_id, "missing.vmdk"))
        assert response.status_code == 400 and error_type(response) == "INVALID_ARGUMENT", method
        response = raw_api.request(method, raw_api.files_url("no-such-session", "missing.vmdk"))
        assert response.status_code == 404 and error_type(response) == "NOT_FOUND", method
    for response in (raw_api.get(raw_api.files_url("no-such-session")), raw_api.validate("no-such-session"),
                     raw_api.add("no-such-session", "a.vmdk")):
        assert response.status_code == 404 and error_type(response) == "NOT_FOUND"


@pytest.mark.parametrize("state", ["DONE", "ERROR", "CANCELED"])
def test_the_files_of_a_session_that_is_not_active_cannot_change(simulator, raw_api, state):
    session_id = simulator.state.add_update_session(state=state)
    for response in (raw_api.add(session_id, "a.vmdk"), raw_api.validate(session_id)):
        assert response.status_code == 400 and error_type(response) == "NOT_ALLOWED_IN_CURRENT_STATE"
    assert raw_api.get(raw_api.files_url(session_id)).json() == []


def test_an_invalid_add_is_rejected(simulator, raw_api):
    session_id = raw_api.session(simulator.state.add_library_item())
    for spec in ({"name": "a.vmdk", "source_type": "PULL"}, {"name": "", "source_type": "PUSH"},
                 {"name": "a.vmdk", "source_type": "NONE"}, {"name": "a.vmdk", "source_type": "PUSH", "size": -1}):
        response = raw_api.post(raw_api.files_url(session_id), json=spec)
        assert response.status_code == 400 and error_type(response) == "INVALID_ARGUMENT", spec
    response = raw_api.post(raw_api.files_url(session_id), json={"name": "a.vmdk", "source_type": "UPLOAD"})
    assert response.status_code == 400
    assert take_wire_misfits(simulator) == {
        "com.vmware.content.library.item.updatesession.file.add: "
        "file_spec/source_type: 'UPLOAD' is not a value of File.SourceType": EVERY_RELEASE}
    assert simulator.take_violations("request") == [
        "request POST /api/content/library/item/update-session/{update_session_id}/file: "
        "source_type: 'UPLOAD' is not one of ['NONE', 'PUSH', 'PULL']"
    ]  # expected here; any other violation fails the test


def test_a_session_lists_the_items_files_as_unchanged(simulator, raw_api):
    item = simulator.state.add_library_item(files=[{"name": "disk.vmdk", "content": b"disk"},
                                                   {"name": "big.iso", "size": 5 << 30, "checksum": "ab" * 20}])
    session_id = raw_api.session(item)
    assert raw_api.get(raw_api.files_url(session_id)).json() == [
        {"name": "disk.vmdk", "source_type": "NONE", "bytes_transferred": 0, "status": "READY", "size": 4,
         "checksum_info": {"algorithm": "SHA1", "checksum": sha1(b"disk")}},
        {"name": "big.iso", "source_type": "NONE", "bytes_transferred": 0, "status": "READY", "size": 5 << 30,
         "checksum_info": {"algorithm": "SHA1", "checksum": "ab" * 20}},
    ]
    assert raw_api.item_files(item)["big.iso"] == {
        "name": "big.iso", "size": 5 << 30, "cached": True, "version": "1",
        "checksum_info": {"algorithm": "SHA1", "checksum": "ab" * 20},
    }
    one = raw_api.get(raw_api.base + "/api/content/library/item/%s/file" % item, params={"name": "disk.vmdk"})
    assert one.json()["size"] == 4
    missing = raw_api.get(raw_api.base + "/api/content/library/item/%s/file" % item, params={"name": "nope"})
    assert missing.status_code == 404 and error_type(missing) == "NOT_FOUND"
    assert raw_api.get(raw_api.base + "/api/content/library/item/nope/file").status_code == 404


def test_completion_applies_uploads_and_removals_to_the_item(simulator, raw_api):
    item = simulator.state.add_library_item(files=[{"name": "keep.txt", "content": b"keep"},
                                                   {"name": "change.txt", "content": b"old", "version": "3"},
                                                   {"name": "drop.txt", "content": b"drop"}])
    session_id = raw_api.session(item)
    uploaded(simulator, raw_api, session_id, "change.txt", b"new content")
    uploaded(simulator, raw_api, session_id, "added.txt", b"added", checksum_info={
        "algorithm": "SHA512", "checksum": hashlib.sha512(b"added").hexdigest()})
    assert raw_api.delete(raw_api.files_url(session_id, "drop.txt")).status_code == 204
    assert "drop.txt" not in [f["name"] for f in raw_api.get(raw_api.files_url(session_id)).json()]
    assert set(raw_api.item_files(item)) == {"keep.txt", "change.txt", "drop.txt"}, "nothing changes before complete"
    assert raw_api.complete(session_id).status_code == 204
    assert raw_api.update_session(session_id)["state"] == "DONE"
    files = raw_api.item_files(item)
    assert list(files) == ["keep.txt", "change.txt", "added.txt"]
    assert files["keep.txt"]["version"] == "1" and files["keep.txt"]["checksum_info"]["checksum"] == sha1(b"keep")
    assert files["change.txt"] == {"name": "change.txt", "size": 11, "cached": True, "version": "4",
                                   "checksum_info": {"algorithm": "SHA1", "checksum": sha1(b"new content")}}
    assert files["added.txt"]["version"] == "1"
    assert files["added.txt"]["checksum_info"] == {"algorithm": "SHA1", "checksum": sha1(b"added")}


def test_the_manifest_and_certificate_of_an_ovf_item_come_first_and_are_not_kept(simulator, raw_api):
    item = simulator.state.add_library_item(type="ovf", preview_warnings=[])
    session_id = raw_api.session(item)
    mf = raw_api.add(session_id, "photon.mf").json()
    assert mf["keep_in_storage"] is False
    assert raw_api.add(session_id, "photon.ovf").status_code == 201
    for name in ("photon.cert", "photon.mf"):
        late = raw_api.add(session_id, name)
        assert late.status_code == 400 and error_type(late) == "NOT_ALLOWED_IN_CURRENT_STATE", name
    generic = raw_api.session(simulator.state.add_library_item())
    assert raw_api.add(generic, "photon.ovf").status_code == 201
    assert raw_api.add(generic, "photon.cert").status_code == 201, "the rule is for OVF items only"


def test_validation_names_missing_and_invalid_files_and_blocks_completion(simulator, raw_api):
    item = simulator.state.add_library_item(type="ovf", files=[{"name": "photon.nvram", "content": b"nvram"}])
    session_id = raw_api.session(item, warning_behavior=[{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}])
    uploaded(simulator, raw_api, session_id, "photon.ovf", OVF)
    raw_api.add(session_id, "notes.txt", size=5)
    bad = raw_api.add(session_id, "bad.txt", size=3).json()
    put(bad["upload_endpoint"]["uri"], b"four", simulator.ca_file)
    result = raw_api.validate(session_id).json()
    assert result["has_errors"] is True
    assert result["missing_files"] == ["photon-disk1.vmdk"], "photon.nvram is the item's, listed as NONE"
    invalid = {entry["name"]: entry["error_message"]["default_message"] for entry in result["invalid_files"]}
    assert invalid == {
        "notes.txt": "The file notes.txt has not yet been received (0 bytes so far).",
        "bad.txt": "The size of bad.txt does not match: expected 3 bytes, received 4 bytes.",
    }
    refused = raw_api.complete(session_id)
    assert refused.status_code == 400 and error_type(refused) == "NOT_ALLOWED_IN_CURRENT_STATE"
    assert "photon-disk1.vmdk is missing" in refused.json()["messages"][0]["default_message"]
    assert raw_api.update_session(session_id)["state"] == "ACTIVE"

    uploaded(simulator, raw_api, session_id, "photon-disk1.vmdk", b"disk")
    uploaded(simulator, raw_api, session_id, "notes.txt", b"notes")
    raw_api.delete(raw_api.files_url(session_id, "bad.txt"))
    assert raw_api.validate(session_id).json() == {"has_errors": False, "missing_files": [], "invalid_files": []}
    assert raw_api.complete(session_id).status_code == 204
    assert set(raw_api.item_files(item)) == {"photon.nvram", "photon.ovf", "notes.txt", "photon-disk1.vmdk"}


def test_an_ovf_that_does_not_parse_is_invalid(simulator, raw_api):
    session_id = raw_api.session(simulator.state.add_library_item(type="ovf"))
    uploaded(simulator, raw_api, session_id, "photon.ovf", b"<Envelope><References>")
    (invalid,) = raw_api.validate(session_id).json()["invalid_files"]
    assert invalid["name"] == "photon.ovf" and "not a valid OVF descriptor" in invalid["error_message"]["default_message"]


def test_seeding_from_a_document_takes_files(simulator):
    simulator.state.seed({"library_items": [{"id": "item-9", "type": "iso", "name": "Photon",
                                             "files": [{"name": "photon.iso", "content": "text content"}]}]})
    item = simulator.state.items["item-9"]
    assert item["type"] == "iso" and item["name"] == "Photon"
    assert item["files"]["photon.iso"]["checksum_info"]["checksum"] == sha1(b"text content")
    with pytest.raises(TypeError):
        simulator.state.add_library_item(files=[{"name": "no-size.iso"}])
