# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item_download: the real module code, with its real argument parsing, against the simulator over
real HTTPS: an OVF item of 3 disks, an ISO, a subset, overwrite, a changed byte, a missing dest, file attributes,
check mode and diff, and the token rule."""

import hashlib
import os
import stat
from xml.etree import ElementTree

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_item_download import main
from download_support import OVF_DISKS, downloads, leftovers, seed_ovf_item
from helpers import assert_logged_out, connection_args, routes, run_module

SESSION_ROUTES = ("create_download_session", "prepare_download_file", "download", "delete_download_session")
UNCHANGED_ROUTES = ["login", "find_libraries", "find_items", "get_item", "list_item_files", "logout"]


def run(sim, check_mode=False, diff=False, **options):
    return run_module(main, connection_args(sim, **options), check_mode=check_mode, diff=diff)


def sha1(data):
    return hashlib.sha1(data).hexdigest()


def test_an_ovf_item_of_three_disks_is_a_deployable_directory_then_ok_with_no_session(trusted_simulator, tmp_path):
    sim = trusted_simulator
    item_id, contents = seed_ovf_item(sim, tmp_path / "package")
    dest = tmp_path / "export" / "photon"  # two levels missing

    first = run(sim, library_name="templates", name="photon", dest=str(dest))

    assert first["changed"] is True, first
    assert first["downloaded"] == list(contents)
    assert first["bytes_downloaded"] == sum(len(data) for data in contents.values())
    assert first["library_item"] == {"id": item_id, "name": "photon", "type": "ovf", "content_version": "1",
                                     "library_id": "library-1"}
    assert first["files"] == [{"name": name, "path": str(dest / name), "size": len(data),
                               "checksum": "SHA1:" + sha1(data)} for name, data in contents.items()]
    assert dict((name, (dest / name).read_bytes()) for name in contents) == contents
    assert sorted(os.listdir(dest)) == sorted(contents), "no temporary file is left"
    # The descriptor's References all exist in dest, with the sizes it names.
    references = [(element.get("{http://schemas.dmtf.org/ovf/envelope/1}href"),
                   int(element.get("{http://schemas.dmtf.org/ovf/envelope/1}size")))
                  for element in ElementTree.parse(dest / "photon.ovf").getroot().iter()
                  if element.tag.endswith("}File")]
    assert sorted(href for href, _size in references) == sorted(OVF_DISKS)
    assert all((dest / href).stat().st_size == size for href, size in references)
    transfers = [entry["route"] for entry in sim.requests if entry["route"] in ("prepare_download_file", "download")]
    assert transfers == ["prepare_download_file"] * 4 + ["download"] * 4, "all are prepared while the first downloads"
    (create,) = sim.calls(route="create_download_session")
    assert create["client_token"], "the create carries a Client-Token header"
    assert sim.state.download_sessions == {}, "the session was deleted"
    assert first["download_session_id"]
    assert_logged_out(sim)
    mtimes = dict((name, (dest / name).stat().st_mtime_ns) for name in contents)
    sim.clear_log()

    again = run(sim, library_name="templates", name="photon", dest=str(dest), diff=True)

    assert again["changed"] is False and again["downloaded"] == [] and again["bytes_downloaded"] == 0
    assert routes(sim) == UNCHANGED_ROUTES, "no download session is opened"
    assert "download_session_id" not in again
    assert again["files"] == first["files"]
    assert again["diff"]["before"] == again["diff"]["after"]
    assert dict((name, (dest / name).stat().st_mtime_ns) for name in contents) == mtimes, "nothing was written"


def test_an_iso_and_a_subset_of_files(trusted_simulator, tmp_path):
    sim = trusted_simulator
    image = os.urandom(3 << 20)
    sim.state.add_library_item("iso-1", library_id="library-1", name="ubuntu", type="iso",
                               files=[{"name": "ubuntu.iso", "content": image}])
    iso = run(sim, library_item_id="iso-1", dest=str(tmp_path / "iso"))
    assert iso["changed"] and (tmp_path / "iso" / "ubuntu.iso").read_bytes() == image
    assert [entry["status"] for entry in downloads(sim)] == [200]

    _item_id, contents = seed_ovf_item(sim, tmp_path / "package", library_id="library-2")
    subset = run(sim, library_id="library-2", name="photon", dest=str(tmp_path / "subset"),
                 files=["photon-disk2.vmdk", "photon.ovf"])
    assert subset["downloaded"] == ["photon.ovf", "photon-disk2.vmdk"], "in the item's order"
    assert sorted(os.listdir(tmp_path / "subset")) == ["photon-disk2.vmdk", "photon.ovf"]
    assert [entry["name"] for entry in subset["files"]] == ["photon.ovf", "photon-disk2.vmdk"]


def test_a_name_the_item_does_not_hold_fails_naming_what_it_holds_and_opens_nothing(trusted_simulator, tmp_path):
    sim = trusted_simulator
    seed_ovf_item(sim, tmp_path / "package")
    failed = run(sim, library_name="templates", name="photon", dest=str(tmp_path / "d"), files=["photon.mf"])
    assert failed["failed"] and failed["msg"].startswith("library item photon (")
    assert failed["msg"].endswith("holds no file named photon.mf; it holds photon.ovf, photon-disk1.vmdk, "
                                  "photon-disk2.vmdk, photon-disk3.vmdk")
    assert not sim.calls(route="create_download_session") and not (tmp_path / "d").exists()


@pytest.mark.parametrize("files", [[], ["../photon.ovf"], ["."]])
def test_bad_files_are_refused_before_any_request(trusted_simulator, tmp_path, files):
    failed = run(trusted_simulator, library_name="templates", name="photon", dest=str(tmp_path), files=files)
    assert failed["failed"] and "files" in failed["msg"] and "\n" not in failed["msg"]
    assert trusted_simulator.requests == []


def test_one_changed_byte_fetches_that_file_and_a_resized_file_is_never_hashed(
        trusted_simulator, tmp_path, monkeypatch):
    sim = trusted_simulator
    _item_id, contents = seed_ovf_item(sim, tmp_path / "package")
    dest = tmp_path / "dest"
    run(sim, library_name="templates", name="photon", dest=str(dest))
    changed = bytearray(contents["photon-disk2.vmdk"])
    changed[1000] ^= 0xFF
    (dest / "photon-disk2.vmdk").write_bytes(bytes(changed))
    (dest / "photon-disk3.vmdk").write_bytes(contents["photon-disk3.vmdk"] + b"x")
    from ansible_collections.vsphere.content.plugins.module_utils import item_download

    hashed = []
    real = item_download.hash_file
    monkeypatch.setattr(item_download, "hash_file", lambda path, algorithm: hashed.append(os.path.basename(path))
                        or real(path, algorithm))
    sim.clear_log()

    result = run(sim, library_name="templates", name="photon", dest=str(dest), diff=True)

    assert result["downloaded"] == ["photon-disk2.vmdk", "photon-disk3.vmdk"]
    assert sorted(hashed) == ["photon-disk1.vmdk", "photon-disk2.vmdk", "photon.ovf"], "size first"
    assert all((dest / name).read_bytes() == data for name, data in contents.items())
    assert result["diff"]["before"]["photon-disk3.vmdk"] == {"size": len(contents["photon-disk3.vmdk"]) + 1,
                                                             "checksum": None}
    assert result["diff"]["before"]["photon-disk2.vmdk"]["checksum"] == "SHA1:" + sha1(bytes(changed))
    assert result["diff"]["after"]["photon-disk2.vmdk"]["checksum"] == "SHA1:" + sha1(contents["photon-disk2.vmdk"])
    assert len(sim.calls(route="create_download_session")) == 1, "one session for both"


def test_overwrite_never_and_always(trusted_simulator, tmp_path):
    sim = trusted_simulator
    _item_id, contents = seed_ovf_item(sim, tmp_path / "package")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "photon.ovf").write_bytes(b"a local descriptor")
    never = run(sim, library_name="templates", name="photon", dest=str(dest), overwrite="never")
    assert never["downloaded"] == ["photon-disk1.vmdk", "photon-disk2.vmdk", "photon-disk3.vmdk"]
    assert (dest / "photon.ovf").read_bytes() == b"a local descriptor"
    assert never["files"][0] == {"name": "photon.ovf", "path": str(dest / "photon.ovf"), "size": 18, "checksum": None}
    assert run(sim, library_name="templates", name="photon", dest=str(dest), overwrite="never")["changed"] is False
    sim.clear_log()

    always = run(sim, library_name="templates", name="photon", dest=str(dest), overwrite="always")

    assert always["downloaded"] == list(contents) and (dest / "photon.ovf").read_bytes() == contents["photon.ovf"]
    assert len(downloads(sim)) == 4


def test_file_attributes_apply_to_the_files_and_to_dest(trusted_simulator, tmp_path):
    sim = trusted_simulator
    seed_ovf_item(sim, tmp_path / "package")
    dest = tmp_path / "dest"
    result = run(sim, library_name="templates", name="photon", dest=str(dest), mode="u=rwX,g=rX,o=")
    assert result["changed"]
    assert stat.S_IMODE(dest.stat().st_mode) == 0o750
    assert all(stat.S_IMODE((dest / name).stat().st_mode) == 0o640 for name in os.listdir(dest))
    again = run(sim, library_name="templates", name="photon", dest=str(dest), mode="u=rwX,g=rX,o=")
    assert again["changed"] is False
    os.chmod(dest / "photon.ovf", 0o600)
    fixed = run(sim, library_name="templates", name="photon", dest=str(dest), mode="u=rwX,g=rX,o=")
    assert fixed["changed"] is True and fixed["downloaded"] == []
    assert stat.S_IMODE((dest / "photon.ovf").stat().st_mode) == 0o640


def test_check_mode_opens_nothing_writes_nothing_and_predicts(trusted_simulator, tmp_path):
    sim = trusted_simulator
    _item_id, contents = seed_ovf_item(sim, tmp_path / "package")
    dest = tmp_path / "dest"

    predicted = run(sim, check_mode=True, diff=True, library_name="templates", name="photon", dest=str(dest))

    assert predicted["changed"] is True and predicted["downloaded"] == list(contents)
    assert not dest.exists() and routes(sim) == UNCHANGED_ROUTES
    assert predicted["diff"]["before"] == {}
    assert predicted["diff"]["after"] == dict((name, {"size": len(data), "checksum": "SHA1:" + sha1(data)})
                                              for name, data in contents.items())
    assert [entry["checksum"] for entry in predicted["files"]] == ["SHA1:" + sha1(data) for data in contents.values()]
    run(sim, library_name="templates", name="photon", dest=str(dest))
    assert run(sim, check_mode=True, library_name="templates", name="photon", dest=str(dest))["changed"] is False


def test_an_item_file_without_a_checksum_is_downloaded_every_time(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library_item("file-1", library_id="library-1", name="notes",
                               files=[{"name": "notes.txt", "content": b"some notes"}])
    del sim.state.items["file-1"]["files"]["notes.txt"]["checksum_info"]
    for _run in range(2):
        result = run(sim, library_item_id="file-1", dest=str(tmp_path))
        assert result["changed"] and result["downloaded"] == ["notes.txt"]
        assert result["files"][0]["checksum"] == "SHA1:" + sha1(b"some notes"), "hashed as it arrived"


@pytest.mark.parametrize("simulator", [{"upload_port": "separate"}, {}], indirect=True, ids=["other-port", "same"])
def test_the_session_token_goes_only_to_the_vcenter_named(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library_item("iso-1", library_id="library-1", name="image", type="iso",
                               files=[{"name": "image.iso", "content": b"iso" * 1000}])
    run(sim, library_item_id="iso-1", dest=str(tmp_path))
    (download,) = downloads(sim)
    assert download["session_header"] is (sim.upload_port == "same")
    assert download["server"] == ("api" if sim.upload_port == "same" else "upload")


def test_too_little_space_fails_before_a_session_naming_both_numbers(trusted_simulator, tmp_path):
    sim = trusted_simulator
    huge = 1 << 60
    sim.state.add_library_item("big-1", library_id="library-1", name="big",
                               files=[{"name": "big.img", "size": huge, "checksum": "0" * 40}])
    failed = run(sim, library_item_id="big-1", dest=str(tmp_path))
    assert failed["failed"]
    assert failed["msg"].startswith("dest %s has " % tmp_path)
    assert failed["msg"].endswith(" bytes free, and the files to download need %d; nothing was downloaded" % huge)
    assert not sim.calls(route="create_download_session") and leftovers(tmp_path) == []
