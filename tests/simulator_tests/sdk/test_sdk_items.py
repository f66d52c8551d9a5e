# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Libraries, library items and an item's files through VMware's own generated bindings (sdk_support.py)."""

from com.vmware import content_client
from com.vmware.content import library_client
from com.vmware.content.library import item_client
from com.vmware.content.library.item_client import UpdateSessionModel
from com.vmware.vapi.std import errors_client

from ovf_package import make_ova
from sdk_support import ChecksumAlgorithm, ItemModel, LibraryModel, push, raises


def test_item_files_list(sdk):
    item_id = sdk.simulator.state.add_library_item(files=[{"name": "a.iso", "content": b"abc"}])
    item_files = sdk.service(item_client.File)
    (info,) = item_files.list(item_id)
    assert (info.name, info.size, info.cached, info.version) == ("a.iso", 3, True, "1")
    assert (info.checksum_info.algorithm, info.checksum_info.checksum) == (
        ChecksumAlgorithm.SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d")
    with raises(sdk, errors_client.NotFound, 404):
        item_files.list("no-such-item")


def test_item_files_get(sdk):
    item_id = sdk.simulator.state.add_library_item(files=[{"name": "a b.iso", "content": b"abc"}])
    item_files = sdk.service(item_client.File)
    assert item_files.get(item_id, "a b.iso") == item_files.list(item_id)[0]
    (call,) = sdk.simulator.calls("GET", "get_item_file")
    assert (call["query"], call["raw_body"]) == ({"name": "a b.iso"}, b"")


# -- libraries and library items -----------------------------------------------


def test_library_find_by_name_and_type(sdk):
    state = sdk.simulator.state
    first, second = state.add_library(name="Templates"), state.add_library(name="templates")
    subscribed = state.add_library(name="Other", type="SUBSCRIBED")
    libraries = sdk.service(content_client.Library)
    assert sorted(libraries.find(content_client.Library.FindSpec(name="TEMPLATES"))) == sorted([first, second])
    assert libraries.find(content_client.Library.FindSpec(type=LibraryModel.LibraryType.SUBSCRIBED)) == [subscribed]
    with raises(sdk, errors_client.InvalidArgument, 400):
        libraries.find(content_client.Library.FindSpec())


def test_item_create_get_find_delete(sdk, items):
    library = sdk.simulator.state.add_library(name="lib")
    item_id = items.create(ItemModel(library_id=library, name="Photon", type="ovf", description="a template"))
    model = items.get(item_id)
    assert (model.library_id, model.name, model.type, model.description) == (library, "Photon", "ovf", "a template")
    assert (model.content_version, model.cached, model.size, model.id) == ("1", True, 0, None)
    assert model.creation_time == model.last_modified_time
    assert items.find(library_client.Item.FindSpec(name="PHOTON", library_id=library)) == [item_id]
    assert items.find(library_client.Item.FindSpec(type="OVF")) == [item_id]
    generic = items.get(items.create(ItemModel(library_id=library, name="notes")))
    assert generic.type is None and generic.description == ""
    items.delete(item_id)
    with raises(sdk, errors_client.NotFound, 404):
        items.get(item_id)
    with raises(sdk, errors_client.NotFound, 404):
        items.delete(item_id)


def test_item_create_errors(sdk, items):
    library = sdk.simulator.state.add_library()
    items.create(ItemModel(library_id=library, name="photon"))
    with raises(sdk, errors_client.AlreadyExists, 400):
        items.create(ItemModel(library_id=library, name="PHOTON"))
    with raises(sdk, errors_client.NotFound, 404):
        items.create(ItemModel(library_id="no-such-library", name="photon"))
    with raises(sdk, errors_client.InvalidArgument, 400):
        items.find(library_client.Item.FindSpec())


def test_item_create_with_a_client_token_is_idempotent(sdk, items):
    library = sdk.simulator.state.add_library()
    first = items.create(ItemModel(library_id=library, name="photon"), client_token="token-1")
    assert items.create(ItemModel(library_id=library, name="photon"), client_token="token-1") == first
    creates = sdk.simulator.calls("POST", "create_item")
    assert [(call["client_token"], call["query"], call["status"]) for call in creates] == [("token-1", {}, 201)] * 2


def test_item_copy_with_a_client_token(sdk, items):
    state = sdk.simulator.state
    source = state.add_library_item(library_id=state.add_library(), name="photon", type="iso",
                                    files=[{"name": "photon.iso", "content": b"abc"}])
    target = state.add_library()
    copied = items.copy(source, ItemModel(library_id=target, name="photon-copy"), client_token="token-1")
    assert items.copy(source, ItemModel(library_id=target, name="photon-copy"), client_token="token-1") == copied
    model = items.get(copied)
    assert (model.library_id, model.name, model.type, model.size) == (target, "photon-copy", "iso", 3)
    item_files = sdk.service(item_client.File)
    assert item_files.list(copied) == item_files.list(source)
    calls = sdk.simulator.calls("POST", "copy_item")
    assert [(call["client_token"], call["query"], call["status"]) for call in calls] == [
        ("token-1", {"action": "copy"}, 200)] * 2
    with raises(sdk, errors_client.NotFound, 404):
        items.copy("no-such-item", ItemModel(library_id=target, name="other"))


def test_the_files_of_a_created_item_after_an_ova_upload(sdk, items, sessions, files, tmp_path):
    package = make_ova(tmp_path, signer=None)
    item_id = items.create(ItemModel(library_id=sdk.simulator.state.add_library(), name="photon", type="ovf"))
    session_id = sessions.create(UpdateSessionModel(library_item_id=item_id))
    push(sdk, files, session_id, package.ova)
    sessions.complete(session_id)
    item_files = sdk.service(item_client.File)
    listed = {info.name: info for info in item_files.list(item_id)}
    assert sorted(listed) == ["photon-disk1.vmdk", "photon.ovf"]
    for name, info in listed.items():
        assert (info.size, info.checksum_info.checksum) == (package.files[name].size, package.files[name].sha1)
    assert items.get(item_id).size == sum(info.size for info in listed.values())
