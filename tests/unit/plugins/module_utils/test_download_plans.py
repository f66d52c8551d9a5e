# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""download_plans: which files to fetch, which local copies to hash, space and verification sentences."""

import hashlib

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.download_plans import (
    bytes_to_fetch,
    is_file_name,
    item_view,
    local_view,
    needs_hash,
    plan_download,
    select_files,
    space_problem,
    verification_problem,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError, VSphereContentError

DISK = hashlib.sha1(b"disk").hexdigest()


def item_file(name, size, checksum=DISK, algorithm="SHA1"):
    entry = {"name": name, "size": size, "cached": True, "version": "1"}
    if checksum:
        entry["checksum_info"] = {"algorithm": algorithm, "checksum": checksum}
    return entry


FILES = [item_file("a.ovf", 10), item_file("a-disk1.vmdk", 4), item_file("notes.txt", 3, checksum=None)]


def test_all_files_by_default_and_a_subset_in_the_items_order():
    assert select_files("item x", FILES, None) == FILES
    assert [entry["name"] for entry in select_files("item x", FILES, ["a-disk1.vmdk", "a.ovf"])] == ["a.ovf", "a-disk1.vmdk"]


def test_a_name_the_item_does_not_hold_names_what_it_holds():
    with pytest.raises(VSphereContentError) as error:
        select_files("library item x (id-1)", FILES, ["a.ovf", "b.vmdk"])
    assert error.value.msg == "library item x (id-1) holds no file named b.vmdk; it holds a.ovf, a-disk1.vmdk, notes.txt"


@pytest.mark.parametrize("name", ["", ".", "..", "../etc/passwd", "dir/file", "a\\b", "nul\0"])
def test_a_name_that_would_leave_dest_is_refused(name):
    assert not is_file_name(name)
    with pytest.raises(VSphereContentError, match="cannot be written as dest/<name>"):
        select_files("item", [item_file(name, 1)], None)


def test_size_first_only_a_copy_of_the_same_size_with_a_checksum_is_hashed():
    disk = item_file("a-disk1.vmdk", 4)
    assert needs_hash(disk, 4, "different")
    assert not needs_hash(disk, 5, "different"), "another size is known to differ"
    assert not needs_hash(disk, None, "different")
    assert not needs_hash(item_file("n", 3, checksum=None), 3, "different"), "nothing to compare with"
    assert not needs_hash(item_file("n", 3, algorithm="SHA3"), 3, "different"), "an algorithm this collection lacks"
    assert not needs_hash(disk, 4, "always") and not needs_hash(disk, 4, "never")


def test_different_fetches_missing_resized_changed_and_uncomparable_files():
    files = FILES + [item_file("same.iso", 4), item_file("changed.iso", 4)]
    sizes = {"a.ovf": None, "a-disk1.vmdk": 5, "notes.txt": 3, "same.iso": 4, "changed.iso": 4}
    plan = plan_download(files, sizes, {"same.iso": DISK, "changed.iso": "0" * 40}, "different")
    assert plan.fetch == ["a.ovf", "a-disk1.vmdk", "notes.txt", "changed.iso"]
    assert plan.same == ["same.iso"] and plan.kept == []
    assert plan.reasons == {"a.ovf": "missing", "a-disk1.vmdk": "size", "notes.txt": "no checksum",
                            "changed.iso": "checksum"}
    assert bytes_to_fetch(files, plan) == 10 + 4 + 3 + 4


def test_a_checksum_in_upper_case_from_vcenter_still_matches():
    plan = plan_download([item_file("d", 4, checksum=DISK.upper())], {"d": 4}, {"d": DISK}, "different")
    assert plan.same == ["d"] and not plan.changed


def test_never_fetches_only_missing_files_and_always_fetches_everything():
    sizes = {"a.ovf": None, "a-disk1.vmdk": 99, "notes.txt": 3}
    never = plan_download(FILES, sizes, {}, "never")
    assert never.fetch == ["a.ovf"] and never.kept == ["a-disk1.vmdk", "notes.txt"]
    always = plan_download(FILES, {"a.ovf": 10, "a-disk1.vmdk": 4, "notes.txt": 3}, {"a-disk1.vmdk": DISK}, "always")
    assert always.fetch == ["a.ovf", "a-disk1.vmdk", "notes.txt"]


def test_an_unknown_overwrite_is_refused():
    with pytest.raises(InvalidOptionError, match="overwrite must be one of different, always, never"):
        plan_download(FILES, {}, {}, "sometimes")


def test_space_is_short_only_when_more_is_needed_than_is_free():
    assert space_problem("/d", 10, 10) is None
    assert space_problem("/d", 11, 10) == ("dest /d has 10 bytes free, and the files to download need 11; "
                                           "nothing was downloaded")


def test_verification_names_the_file_both_values_the_algorithm_and_what_is_left():
    disk = item_file("a-disk1.vmdk", 4)
    assert verification_problem("a-disk1.vmdk", disk, 4, DISK, "SHA1", replaced=True) is None
    assert verification_problem("a-disk1.vmdk", disk, 3, DISK, "SHA1", replaced=False) == (
        "a-disk1.vmdk: 3 bytes arrived, and the item reports 4; no local file was written")
    assert verification_problem("a-disk1.vmdk", disk, 4, "f" * 40, "SHA1", replaced=True) == (
        "a-disk1.vmdk: the SHA1 of what arrived is %s, and the item reports %s; the local file a-disk1.vmdk is "
        "untouched" % ("f" * 40, DISK))
    assert verification_problem("notes.txt", item_file("notes.txt", 3, checksum=None), 3, "f" * 40, "SHA1", True) is None


def test_the_diff_views_show_size_and_checksum_only_where_known():
    sizes = {"a.ovf": None, "a-disk1.vmdk": 4, "notes.txt": 3}
    assert local_view(FILES, sizes, {"a-disk1.vmdk": DISK}) == {
        "a-disk1.vmdk": {"size": 4, "checksum": "SHA1:" + DISK}, "notes.txt": {"size": 3, "checksum": None}}
    assert item_view(FILES)["a.ovf"] == {"size": 10, "checksum": "SHA1:" + DISK}
    assert item_view(FILES)["notes.txt"] == {"size": 3, "checksum": None}
