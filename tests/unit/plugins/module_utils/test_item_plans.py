# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure decisions about an item's content, and reading local packages: plain unit tests, no simulator."""

import hashlib
import tarfile

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.item_plans import (
    WantedFile,
    content_summary,
    hash_algorithms,
    infer_type,
    mismatches,
    plan_content,
    predicted_files,
    upload_checksum,
)
from ansible_collections.vsphere.content.plugins.module_utils.local_content import (
    hash_files,
    ovf_references,
    package_files,
)
from ovf_package import make_ova, make_ovf_package


def stored(name, checksum=None, algorithm="SHA1"):
    entry = {"name": name, "size": 1, "cached": True, "version": "1"}
    if checksum:
        entry["checksum_info"] = {"algorithm": algorithm, "checksum": checksum}
    return entry


def wanted(name, sha1=None):
    return WantedFile(name, {"SHA1": sha1} if sha1 else {}, size=1)


@pytest.mark.parametrize("location, item_type", [
    ("/srv/photon.ovf", "ovf"), ("/srv/PHOTON.OVA", "ovf"), ("https://h/x/ubuntu.iso?x=1", "iso"),
    ("/srv/notes.txt", "file"), ("/srv/ovf", "file"), ("https://h/a.ovf", "ovf"),
])
def test_the_type_is_inferred_from_the_name(location, item_type):
    assert infer_type(location) == item_type


def test_only_what_differs_is_sent_and_what_is_no_longer_named_is_removed():
    plan = plan_content([stored("a.ovf", "1"), stored("a-disk1.vmdk", "2"), stored("a.nvram", "3")],
                        [wanted("a.ovf", "1"), wanted("a-disk1.vmdk", "9"), wanted("a-disk2.vmdk", "4")])
    assert (plan.added, plan.replaced, plan.unchanged, plan.removed) == (
        ["a-disk2.vmdk"], ["a-disk1.vmdk"], ["a.ovf"], ["a.nvram"])
    assert plan.upload == ["a-disk1.vmdk", "a-disk2.vmdk"] and plan.changed


def test_a_manifest_and_certificate_are_never_compared_but_go_with_the_descriptor_when_anything_is_sent():
    files = [wanted("a.mf", "m"), wanted("a.cert", "c"), wanted("a.ovf", "1"), wanted("a-disk1.vmdk", "2")]
    same = plan_content([stored("a.ovf", "1"), stored("a-disk1.vmdk", "2")], files)
    assert not same.changed and same.upload == []
    one_disk = plan_content([stored("a.ovf", "1"), stored("a-disk1.vmdk", "old")], files)
    assert one_disk.replaced == ["a-disk1.vmdk"]
    assert one_disk.upload == ["a.mf", "a.cert", "a.ovf", "a-disk1.vmdk"]


def test_a_file_without_a_checksum_is_different_never_equal():
    plan = plan_content([stored("notes.txt")], [wanted("notes.txt", "1")])
    assert plan.replaced == ["notes.txt"]
    assert plan_content([stored("x.iso", "1")], [wanted("x.iso")]).replaced == ["x.iso"], "an unknown digest differs"


def test_files_are_compared_and_sent_in_the_algorithm_the_item_reports():
    files = [stored("a.iso", hashlib.sha256(b"a").hexdigest(), algorithm="SHA256")]
    assert hash_algorithms(files) == {"SHA1", "SHA256"}
    local = WantedFile("a.iso", {"SHA1": hashlib.sha1(b"a").hexdigest(), "SHA256": hashlib.sha256(b"a").hexdigest()})
    assert not plan_content(files, [local]).changed
    assert upload_checksum(local, files) == ("SHA256", hashlib.sha256(b"a").hexdigest())
    assert upload_checksum(local, []) == ("SHA1", hashlib.sha1(b"a").hexdigest())


def test_predictions_summaries_and_read_back_checks():
    files = [stored("a.ovf", "1"), stored("a-disk1.vmdk", "2")]
    new = [wanted("a.mf", "m"), wanted("a.ovf", "1"), wanted("a-disk1.vmdk", "3")]
    assert content_summary(predicted_files(files, new)) == {"a.ovf": "SHA1:1", "a-disk1.vmdk": "SHA1:3"}
    assert content_summary([stored("x")]) == {"x": None}
    assert mismatches(files, new, ["a-disk1.vmdk"]) == ["a-disk1.vmdk has the SHA1 checksum 2, not the one uploaded"]
    assert mismatches(files, new, ["a.ovf", "a.mf"]) == []
    assert mismatches([], new, ["a.ovf"]) == ["a.ovf is not in the item"]


def test_an_ovf_package_lists_manifest_certificate_descriptor_then_references(tmp_path):
    make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 10}, extra_files={"photon.nvram": b"n", "x.iso": b"i"})
    (tmp_path / "unrelated.vmdk").write_bytes(b"not referenced")
    files = package_files(str(tmp_path / "photon.ovf"))
    assert [local.name for local in files] == ["photon.mf", "photon.cert", "photon.ovf", "photon-disk1.vmdk",
                                               "photon.nvram", "x.iso"]
    digests = hash_files(files, {"SHA1"})
    assert digests["photon.nvram"] == {"SHA1": hashlib.sha1(b"n").hexdigest()}


def test_ova_members_are_byte_ranges_of_the_archive_never_copies(tmp_path):
    package = make_ova(tmp_path, disks={"photon-disk1.vmdk": 70000}, extra_files={"photon.nvram": b"nv"})
    files = package_files(str(package.ova))
    assert [local.name for local in files] == ["photon.mf", "photon.cert", "photon.ovf", "photon-disk1.vmdk", "photon.nvram"]
    assert {local.path for local in files} == {str(package.ova)}, "every member is read from the archive itself"
    with tarfile.open(package.ova) as archive:
        for local in files:
            member = archive.getmember(local.name)
            assert (local.offset, local.size) == (member.offset_data, member.size)
            with local.open() as reader:
                assert reader.read(1 << 30) == archive.extractfile(member).read()


@pytest.mark.parametrize("document, message", [
    (b"<Envelope><References><File href='../x'/></References></Envelope>", "d.ovf references '../x', which is not a file name beside it"),
    (b"<Envelope><References><File href='http://h/x'/></References></Envelope>", "d.ovf references 'http://h/x', which is not a file name beside it"),
    (b"<Envelope><References><File id='x'/></References></Envelope>", "d.ovf has a References/File without an href"),
    (b"<Envelope", "d.ovf is not a valid OVF descriptor: unclosed token: line 1, column 0"),
])
def test_descriptor_references_must_be_plain_file_names(document, message):
    with pytest.raises(InvalidOptionError) as error:
        ovf_references(document, "d.ovf")
    assert error.value.msg == message


def test_an_ova_without_one_descriptor_is_refused(tmp_path):
    path = tmp_path / "empty.ova"
    with tarfile.open(path, "w"):
        pass
    with pytest.raises(InvalidOptionError) as error:
        package_files(str(path))
    assert error.value.msg == "empty.ova must hold exactly one .ovf descriptor at its top level, not 0"
