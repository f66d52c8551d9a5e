# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An OVA uploaded into an OVF item: completion keeps the package inside it, not the archive."""

import io
import tarfile

import pytest

from ovf_package import make_ova
from raw_api import LIBRARY_ITEMS
from test_pull import pull, settled


def ova_session(simulator, raw_api, **item):
    item_id = simulator.state.add_library_item(type="ovf", **item)
    return item_id, raw_api.session(item_id)


def assert_item_holds_the_package(raw_api, item_id, package, versions=None):
    files = raw_api.item_files(item_id)
    for name in (package.name + ".ovf",) + package.referenced:
        entry = package.files[name]
        assert files.pop(name) == {
            "name": name, "size": entry.size, "cached": True, "version": (versions or {}).get(name, "1"),
            "checksum_info": {"algorithm": "SHA1", "checksum": entry.sha1}}
    return files  # what else the item holds


def test_a_pushed_ova_becomes_its_descriptor_and_references(simulator, raw_api, tmp_path):
    package = make_ova(tmp_path, disks={"photon-disk1.vmdk": 300 << 10}, extra_files={"photon.nvram": b"nvram"})
    item_id, session_id = ova_session(simulator, raw_api, files=[
        {"name": "notes.txt", "content": b"notes"}, {"name": "photon.ovf", "content": b"<old/>", "version": "4"}])
    raw_api.push(session_id, "photon.ova", package.ova)
    assert raw_api.validate(session_id).json() == {"has_errors": False, "missing_files": [], "invalid_files": []}
    assert raw_api.complete(session_id).status_code == 204
    assert raw_api.update_session(session_id)["state"] == "DONE"
    others = assert_item_holds_the_package(raw_api, item_id, package, versions={"photon.ovf": "5"})
    assert list(others) == ["notes.txt"], "the .mf, the .cert and the .ova itself are not kept"
    model = raw_api.get(raw_api.base + LIBRARY_ITEMS + "/" + item_id).json()
    expected = 5 + sum(package.files[name].size for name in ("photon.ovf", "photon-disk1.vmdk", "photon.nvram"))
    assert (model["size"], model["content_version"]) == (expected, "2")


def test_a_pulled_ova_is_opened_too(simulator, raw_api, tmp_path, file_source):
    package = make_ova(tmp_path, signer=None)
    item_id, session_id = ova_session(simulator, raw_api)
    pull(raw_api, session_id, file_source().add("photon.ova", package.ova), name="photon.ova")
    assert settled(raw_api, session_id, "photon.ova")["status"] == "READY"
    assert raw_api.complete(session_id).status_code == 204
    assert assert_item_holds_the_package(raw_api, item_id, package) == {}


def test_an_ova_in_a_generic_item_is_kept_as_it_is(simulator, raw_api, tmp_path):
    package = make_ova(tmp_path)
    item_id = simulator.state.add_library_item()
    session_id = raw_api.session(item_id)
    raw_api.push(session_id, "photon.ova", package.ova)
    assert raw_api.complete(session_id).status_code == 204
    assert list(raw_api.item_files(item_id)) == ["photon.ova"]


def tar_of(**members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


REFERENCING_DISK = (b'<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" '
                    b'xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"><References>'
                    b'<File ovf:href="disk.vmdk" ovf:id="file1"/></References></Envelope>')


@pytest.mark.parametrize("content, message", [
    (b"not a tar archive at all" * 40, "is not a valid OVA archive"),
    (tar_of(**{"photon.mf": b"SHA256(photon.ovf)= 00\n"}), "holds no OVF descriptor"),
    (tar_of(**{"photon.ovf": b"<Envelope><References>"}), "does not parse"),
    (tar_of(**{"photon.ovf": REFERENCING_DISK}), "has no file disk.vmdk, which its descriptor photon.ovf references"),
], ids=["not-a-tar", "no-descriptor", "descriptor-does-not-parse", "reference-missing"])
def test_a_malformed_ova_ends_the_session_in_error(simulator, raw_api, content, message):
    item_id, session_id = ova_session(simulator, raw_api, files=[{"name": "old.ovf", "content": b"<old/>"}])
    raw_api.push(session_id, "photon.ova", content)
    assert raw_api.complete(session_id).status_code == 204
    session = raw_api.update_session(session_id)
    assert session["state"] == "ERROR"
    assert message in session["error_message"]["default_message"]
    assert "photon.ova" in session["error_message"]["default_message"]
    assert list(raw_api.item_files(item_id)) == ["old.ovf"], "the item is left as it was"
    assert simulator.state.items[item_id]["content_version"] == "1"


def test_a_malformed_ova_fails_a_delayed_completion_in_the_background(simulator, raw_api):
    item_id, session_id = ova_session(simulator, raw_api, completion_delay=0.2)
    raw_api.push(session_id, "photon.ova", b"garbage")
    assert raw_api.complete(session_id).status_code == 204
    assert raw_api.update_session(session_id)["state"] == "ACTIVE"
    simulator.state.refresh(simulator.state.update_sessions[session_id]["completion"]["at"])
    assert raw_api.update_session(session_id)["state"] == "ERROR"
    assert raw_api.item_files(item_id) == {}
