# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""copy_plans and source_item_options: what a copy wants, in which order, its type, and src_item's checks."""

import hashlib

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.copy_plans import (
    copied_type,
    source_summary,
    upload_order,
    wanted_from_source,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.item_plans import plan_content
from ansible_collections.vsphere.content.plugins.module_utils.source_item_options import (
    CONNECTION_DEFAULTS,
    source_item,
)

DISK = hashlib.sha1(b"disk").hexdigest()


def item_file(name, checksum=DISK, algorithm="SHA1", size=4):
    entry = {"name": name, "size": size}
    if checksum:
        entry["checksum_info"] = {"algorithm": algorithm, "checksum": checksum}
    return entry


def test_a_manifest_and_certificate_go_first_then_the_descriptor_then_the_rest_in_the_sources_order():
    files = [item_file(name) for name in ("b-disk2.vmdk", "a.ovf", "a-disk1.vmdk", "a.cert", "a.mf", "notes.txt")]
    assert [entry["name"] for entry in upload_order(files)] == [
        "a.cert", "a.mf", "a.ovf", "b-disk2.vmdk", "a-disk1.vmdk", "notes.txt"]


def test_wanted_files_carry_what_the_source_reports_and_nothing_it_cannot_compare():
    wanted = wanted_from_source([item_file("disk.vmdk", checksum=DISK.upper() + " ", size=4),
                                 item_file("none.txt", checksum=None, size=7),
                                 item_file("new.bin", algorithm="SHA3-512")])
    assert [(file.name, file.digests, file.size) for file in wanted] == [
        ("disk.vmdk", {"SHA1": DISK}, 4), ("none.txt", {}, 7), ("new.bin", {}, 4)]


def test_equal_checksums_plan_nothing_and_a_file_without_one_is_always_sent():
    source = [item_file("a.ovf"), item_file("disk.vmdk"), item_file("none.txt", checksum=None)]
    target = [item_file("a.ovf"), item_file("disk.vmdk", size=9999), item_file("none.txt", checksum=None),
              item_file("gone.txt")]
    plan = plan_content(target, wanted_from_source(source))
    assert plan.unchanged == ["a.ovf", "disk.vmdk"], "sizes are not compared: vCenter reports storage"
    assert plan.replaced == ["none.txt"]
    assert plan.removed == ["gone.txt"]


@pytest.mark.parametrize("adapter, expected", [("ovf", "ovf"), ("iso", "iso"), (None, "file"), ("vm-template", "file")])
def test_the_type_is_the_sources(adapter, expected):
    assert copied_type({"id": "i", "name": "n", "type": adapter}, None) == expected
    assert copied_type({"id": "i", "name": "n", "type": adapter}, expected) == expected


def test_a_type_that_differs_from_the_sources_is_refused():
    with pytest.raises(InvalidOptionError) as error:
        copied_type({"id": "item-1", "name": "photon", "type": "ovf"}, "iso")
    assert error.value.msg == "type=iso does not fit src_item photon (item-1), which is of type ovf"


def test_the_source_summary():
    item = {"id": "i", "name": "n", "content_version": "3", "type": "ovf", "description": "d"}
    assert source_summary(item, "vc-a") == {"id": "i", "name": "n", "content_version": "3", "host": "vc-a"}


def options(**given):
    values = dict.fromkeys(("library_id", "library_name", "library_item_id", "name"))
    values.update(dict.fromkeys(CONNECTION_DEFAULTS))
    values.update(given)
    return values


def test_without_hostname_the_source_uses_the_targets_connection():
    location, connection = source_item(options(library_name="templates", name="photon"))
    assert (location.library_name, location.name, location.state) == ("templates", "photon", "present")
    assert connection is None


def test_with_hostname_every_connection_option_is_its_own_with_the_same_defaults_and_no_other():
    _location, connection = source_item(options(library_item_id="item-1", hostname="vc-a", username="u", password="p"))
    assert connection == {"hostname": "vc-a", "username": "u", "password": "p", "session_token": None, "port": 443,
                          "validate_certs": True, "ca_path": None, "proxy_host": None, "proxy_port": None,
                          "proxy_protocol": "http"}


@pytest.mark.parametrize("given, message", [
    (dict(name="photon"), "src_item: library_id or library_name is required to find the item by name"),
    (dict(library_name="templates"),
     "src_item: name is required (with library_id or library_name) unless library_item_id is given"),
    (dict(library_name="t", name="n", username="u", port=444),
     "src_item's username, port need its hostname: without one, the source is the target's own vCenter and connection"),
    (dict(library_name="t", name="n", hostname="vc-a", username="u"),
     "src_item needs username and password, or session_token, for vc-a"),
])
def test_bad_src_item_is_refused_in_one_line(given, message):
    with pytest.raises(InvalidOptionError) as error:
        source_item(options(**given))
    assert error.value.msg == message
