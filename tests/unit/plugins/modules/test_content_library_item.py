# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item: the real module code, with its real argument parsing, against the simulator over real
HTTPS: OVF (with .nvram and an extra .iso reference), OVA, ISO, generic file; create, idempotent re-run, a changed
file, a removed reference; check mode and diff; absent; finding libraries and items."""

import hashlib
import tarfile

from ansible_collections.vsphere.content.plugins.modules.content_library_item import main
from helpers import assert_logged_out, connection_args, routes, run_module
from ovf_package import make_ova, make_ovf_package

SESSION_ROUTES = ("create_session", "add_file", "upload", "complete_session")


def run(sim, check_mode=False, diff=False, **options):
    args = connection_args(sim, **options)
    return run_module(main, args, check_mode=check_mode, diff=diff)


def sha1(data):
    return hashlib.sha1(data).hexdigest()


def stored(sim, item_id):
    """{name: SHA1} of the item's files in the simulator's state."""
    return dict((name, record["checksum_info"]["checksum"]) for name, record in sim.state.items[item_id]["files"].items())


def opened_sessions(sim):
    return [entry for entry in sim.requests if entry["route"] == "create_session"]


def trusting(sim, package):
    sim.state.trusted_roots.append(package.cert_pem)
    return sim


SELF_SIGNED = [{"type": "SELF_SIGNED_CERTIFICATE"}]


def test_signed_ovf_with_nvram_and_iso_is_uploaded_in_order_then_ok_with_no_session(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("lib-1", name="templates")
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 300 << 10},
                               extra_files={"photon.nvram": b"nvram", "tools.iso": b"iso" * 1000})
    trusting(sim, package)
    args = dict(library_name="templates", name="photon", src=str(tmp_path / "photon.ovf"), warning_behavior=SELF_SIGNED)

    first = run(sim, diff=True, **args)

    assert first["changed"] is True, first
    assert first["uploaded"] == ["photon.mf", "photon.cert", "photon.ovf", "photon-disk1.vmdk", "photon.nvram", "tools.iso"]
    assert first["changes"] == {"added": ["photon.ovf", "photon-disk1.vmdk", "photon.nvram", "tools.iso"],
                                "replaced": [], "removed": []}
    item_id = first["library_item"]["id"]
    expected = dict((name, sha1((tmp_path / name).read_bytes()))
                    for name in ("photon.ovf", "photon-disk1.vmdk", "photon.nvram", "tools.iso"))
    assert stored(sim, item_id) == expected, "the manifest and certificate are not kept"
    assert sim.state.items[item_id]["type"] == "ovf" and first["library_item"]["type"] == "ovf"
    assert dict((entry["name"], entry["checksum_info"]["checksum"]) for entry in first["library_item"]["files"]) == expected
    assert first["diff"]["before"] == {} and first["diff"]["after"]["files"] == dict(
        (name, "SHA1:%s" % digest) for name, digest in expected.items())
    adds = [entry["body"] for entry in sim.calls(route="add_file")]
    assert [add["name"] for add in adds] == first["uploaded"]
    assert all(add["checksum_info"]["algorithm"] == "SHA1" for add in adds), "the item's algorithm, hashed once"
    assert [entry["body"] for entry in sim.calls(route="create_session")] == [
        {"library_item_id": item_id, "warning_behavior": [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]}]
    assert sim.state.update_sessions[first["update_session_id"]]["state"] == "DONE"
    sim.clear_log()

    again = run(sim, diff=True, **args)

    assert again["changed"] is False and again["uploaded"] == []
    assert routes(sim) == ["login", "find_libraries", "find_items", "get_item", "list_item_files", "logout"]
    assert "update_session_id" not in again
    assert again["diff"]["before"] == again["diff"]["after"]
    assert again["library_item"]["content_version"] == first["library_item"]["content_version"]
    assert_logged_out(sim)


def test_one_changed_disk_is_predicted_then_replaced_with_the_signature_set_and_nothing_else(trusted_simulator, tmp_path):
    sim = trusted_simulator
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 200 << 10, "photon-disk2.vmdk": 100 << 10})
    trusting(sim, package)
    args = dict(library_id="library-1", name="photon", src=str(tmp_path / "photon.ovf"), warning_behavior=SELF_SIGNED)
    sim.state.add_library("library-1", name="library-1")
    item_id = run(sim, **args)["library_item"]["id"]
    # The next build of the package: one byte of disk2 differs, so its manifest and signature do too.
    data = bytearray((tmp_path / "photon-disk2.vmdk").read_bytes())
    data[100] ^= 1
    make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 200 << 10, "photon-disk2.vmdk": bytes(data)},
                     signer=package.signer)
    sim.clear_log()

    predicted = run(sim, check_mode=True, diff=True, **args)

    assert predicted["changed"] is True
    assert predicted["changes"] == {"added": [], "replaced": ["photon-disk2.vmdk"], "removed": []}
    assert predicted["uploaded"] == ["photon.mf", "photon.cert", "photon.ovf", "photon-disk2.vmdk"]
    before, after = predicted["diff"]["before"]["files"], predicted["diff"]["after"]["files"]
    assert [name for name in before if before[name] != after[name]] == ["photon-disk2.vmdk"]
    assert after["photon-disk2.vmdk"] == "SHA1:%s" % sha1(bytes(data))
    assert not [entry for entry in sim.requests if entry["route"] in SESSION_ROUTES], "check mode writes nothing"
    version = sim.state.items[item_id]["files"]["photon-disk2.vmdk"]["version"]

    replaced = run(sim, **args)

    assert replaced["changed"] is True and replaced["changes"]["replaced"] == ["photon-disk2.vmdk"]
    assert [upload["path"].rsplit("/", 1)[1] for upload in sim.calls(route="upload")] == [
        "photon.mf", "photon.cert", "photon.ovf", "photon-disk2.vmdk"], "disk1 is not sent again"
    files = sim.state.items[item_id]["files"]
    assert files["photon-disk2.vmdk"]["checksum_info"]["checksum"] == sha1(bytes(data))
    assert int(files["photon-disk2.vmdk"]["version"]) == int(version) + 1
    assert files["photon-disk1.vmdk"]["version"] == "1"


def test_a_reference_dropped_from_the_descriptor_is_removed_from_the_item(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    make_ovf_package(tmp_path / "v1", extra_files={"photon.nvram": b"nv"}, signer=None)
    make_ovf_package(tmp_path / "v2", signer=None)
    first = run(sim, library_id="library-1", name="photon", src=str(tmp_path / "v1" / "photon.ovf"))
    assert sorted(stored(sim, first["library_item"]["id"])) == ["photon-disk1.vmdk", "photon.nvram", "photon.ovf"]

    second = run(sim, library_id="library-1", name="photon", src=str(tmp_path / "v2" / "photon.ovf"))

    assert second["changes"] == {"added": [], "replaced": ["photon.ovf"], "removed": ["photon.nvram"]}
    assert second["uploaded"] == ["photon.mf", "photon.ovf"], "the manifest goes with the descriptor"
    assert sorted(stored(sim, first["library_item"]["id"])) == ["photon-disk1.vmdk", "photon.ovf"]
    assert [entry["path_params"]["file_name"] for entry in sim.calls(route="remove_file")] == ["photon.nvram"]


def test_an_ova_is_streamed_member_by_member_and_compared_by_its_members(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    ova = make_ova(tmp_path, name="appliance", disks={"appliance-disk1.vmdk": 256 << 10},
                   extra_files={"appliance.nvram": b"nv"}, signer=None)
    ova_path = ova.ova
    with tarfile.open(ova_path) as archive:
        members = dict((member.name, archive.extractfile(member).read()) for member in archive.getmembers())

    first = run(sim, library_id="library-1", name="appliance", src=str(ova_path))

    assert first["changed"] is True and first["library_item"]["type"] == "ovf"
    assert first["uploaded"] == ["appliance.mf", "appliance.ovf", "appliance-disk1.vmdk", "appliance.nvram"]
    kept = dict((name, sha1(data)) for name, data in members.items() if not name.endswith(".mf"))
    assert stored(sim, first["library_item"]["id"]) == kept
    uploads = sim.calls(route="upload")
    assert all("appliance.ova" not in entry["path"] for entry in uploads), "the archive is never sent whole"

    again = run(sim, library_id="library-1", name="appliance", src=str(ova_path))
    assert again["changed"] is False


def test_an_iso_and_a_generic_file_each_make_one_file_items(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    iso = tmp_path / "ubuntu.iso"
    iso.write_bytes(b"\x01" * 70000)
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"release notes")

    image = run(sim, library_id="library-1", name="ubuntu", src=str(iso), description="Ubuntu")
    generic = run(sim, library_id="library-1", name="notes", src=str(notes))

    assert image["library_item"]["type"] == "iso" and image["library_item"]["description"] == "Ubuntu"
    assert stored(sim, image["library_item"]["id"]) == {"ubuntu.iso": sha1(iso.read_bytes())}
    assert not generic["library_item"].get("type")
    assert sim.calls(route="create_item")[1]["body"] == {"library_id": "library-1", "name": "notes"}
    assert stored(sim, generic["library_item"]["id"]) == {"notes.txt": sha1(b"release notes")}
    assert run(sim, library_id="library-1", name="ubuntu", src=str(iso))["changed"] is False


def test_a_stored_file_without_a_checksum_is_uploaded_again(trusted_simulator, tmp_path):
    sim = trusted_simulator
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"same content")
    item_id = sim.state.add_library_item(name="notes", files=[{"name": "notes.txt", "size": 12}])

    result = run(sim, library_id="library-1", name="notes", src=str(notes))

    assert result["changed"] is True and result["changes"]["replaced"] == ["notes.txt"]
    assert stored(sim, item_id) == {"notes.txt": sha1(b"same content")}


def test_check_mode_predicts_a_new_item_and_creates_nothing(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    make_ovf_package(tmp_path, signer=None)

    result = run(sim, check_mode=True, diff=True, library_id="library-1", name="photon", src=str(tmp_path / "photon.ovf"))

    assert result["changed"] is True and result["library_item"]["id"] is None
    assert result["uploaded"] == ["photon.mf", "photon.ovf", "photon-disk1.vmdk"]
    assert result["diff"]["before"] == {} and sorted(result["diff"]["after"]["files"]) == ["photon-disk1.vmdk", "photon.ovf"]
    assert routes(sim) == ["login", "find_items", "logout"]
    assert sim.state.items == {}


def test_absent_deletes_the_item_and_then_is_ok(trusted_simulator):
    sim = trusted_simulator
    item_id = sim.state.add_library_item(name="old", files=[{"name": "a.txt", "content": b"a"}])

    predicted = run(sim, check_mode=True, library_id="library-1", name="old", state="absent")
    assert predicted["changed"] is True and item_id in sim.state.items
    removed = run(sim, library_id="library-1", name="old", state="absent", diff=True)
    assert removed["changed"] is True and item_id not in sim.state.items
    assert removed["diff"]["before"]["files"] == {"a.txt": "SHA1:%s" % sha1(b"a")} and removed["diff"]["after"] == {}
    assert run(sim, library_id="library-1", name="old", state="absent")["changed"] is False
    assert run(sim, library_item_id=item_id, state="absent")["changed"] is False


def test_libraries_and_items_are_found_by_name_and_ambiguity_fails_naming_them(trusted_simulator, tmp_path):
    sim = trusted_simulator
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"n")
    sim.state.add_library("lib-a", name="shared")
    sim.state.add_library("lib-b", name="SHARED")
    sim.state.add_library("lib-c", name="c")
    first = sim.state.add_library_item(library_id="lib-c", name="twin")
    second = sim.state.add_library_item(library_id="lib-c", name="Twin")

    several = run(sim, library_name="shared", name="x", src=str(notes))
    none = run(sim, library_name="missing", name="x", src=str(notes))
    twins = run(sim, library_name="c", name="twin", src=str(notes))
    unknown = run(sim, library_item_id="no-such-item", src=str(notes))

    assert several["failed"] and several["msg"] == "2 libraries are named shared (lib-a, lib-b); give library_id instead"
    assert none["failed"] and none["msg"] == "no library is named missing; the libraries this user sees are c, SHARED, shared"
    assert twins["failed"] and twins["msg"] == "library lib-c holds 2 items named twin (%s); give library_item_id instead" % (
        ", ".join(sorted([first, second])))
    assert unknown["failed"] and unknown["msg"] == "library item no-such-item not found"
    assert not opened_sessions(sim) and len(sim.state.items) == 2


def test_an_unknown_library_name_lists_up_to_ten_libraries_and_counts_the_rest(trusted_simulator, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"n")
    for number in range(12):
        trusted_simulator.state.add_library("lib-%02d" % number, name="library %02d" % number)

    result = run(trusted_simulator, library_name="missing", name="x", src=str(notes))

    listed = ", ".join("library %02d" % number for number in range(10))
    assert result["msg"] == "no library is named missing; the libraries this user sees are %s and 2 more" % listed
    assert [entry["route"] for entry in trusted_simulator.requests].count("get_library") == 10


def test_an_item_of_another_type_fails_before_anything_is_sent(trusted_simulator, tmp_path):
    sim = trusted_simulator
    item_id = sim.state.add_library_item(name="photon", type="iso")
    make_ovf_package(tmp_path, signer=None)

    result = run(sim, library_id="library-1", name="photon", src=str(tmp_path / "photon.ovf"))

    assert result["failed"] and result["msg"] == (
        "library item photon (%s) is of type iso, not ovf; give another name, or remove the item first" % item_id)
    assert not opened_sessions(sim)


def test_a_description_that_differs_is_updated_without_a_session(trusted_simulator, tmp_path):
    sim = trusted_simulator
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"n")
    sim.state.add_library("library-1")
    run(sim, library_id="library-1", name="notes", src=str(notes), description="old")
    sim.clear_log()

    result = run(sim, library_id="library-1", name="notes", src=str(notes), description="new")

    assert result["changed"] is True and result["library_item"]["description"] == "new"
    assert result["uploaded"] == [] and not opened_sessions(sim)
    assert sim.calls(route="update_item")[0]["body"] == {"description": "new"}
