# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Libraries and library items over HTTPS: find libraries; find, get, create and delete items."""

import pytest

from helpers import EVERY_RELEASE, take_wire_misfits
from raw_api import LIBRARIES, LIBRARY_ITEMS, error_type, put

FIND = {"action": "find"}


def create(raw_api, library_id, name, client_token=None, **fields):
    headers = {"Client-Token": client_token} if client_token else None
    return raw_api.post(raw_api.base + LIBRARY_ITEMS, headers=headers, json=dict(fields, library_id=library_id, name=name))


def find_items(raw_api, **spec):
    return raw_api.post(raw_api.base + LIBRARY_ITEMS, params=FIND, json=spec)


def find_libraries(raw_api, **spec):
    return raw_api.post(raw_api.base + LIBRARIES, params=FIND, json=spec)


def test_find_libraries_by_name_ignores_case_and_finds_every_library_of_that_name(simulator, raw_api):
    first = simulator.state.add_library(name="Templates")
    second = simulator.state.add_library(name="templates")
    subscribed = simulator.state.add_library(name="TEMPLATES", type="SUBSCRIBED")
    simulator.state.add_library(name="Other")
    response = find_libraries(raw_api, name="tEmPlAtEs")
    assert response.status_code == 200
    assert sorted(response.json()) == sorted([first, second, subscribed])
    assert sorted(find_libraries(raw_api, name="templates", type="LOCAL").json()) == sorted([first, second])
    assert find_libraries(raw_api, type="SUBSCRIBED").json() == [subscribed]
    assert find_libraries(raw_api, name="nothing").json() == []
    assert [call["route"] for call in simulator.calls(route="find_libraries")] == ["find_libraries"] * 4


def test_find_without_any_property_is_an_invalid_argument(simulator, raw_api):
    for response in (find_libraries(raw_api), find_items(raw_api),
                     raw_api.post(raw_api.base + LIBRARIES, params=FIND),
                     raw_api.post(raw_api.base + LIBRARY_ITEMS, params=FIND)):
        assert response.status_code == 400 and error_type(response) == "INVALID_ARGUMENT"
    assert take_wire_misfits(simulator) == {  # the two finds without a body
        "com.vmware.content.library.find: required input spec is not sent": EVERY_RELEASE,
        "com.vmware.content.library.item.find: required input spec is not sent": EVERY_RELEASE}


def test_find_items_by_name_library_and_type(simulator, raw_api):
    library = simulator.state.add_library(name="lib")
    other = simulator.state.add_library(name="other")
    ovf = simulator.state.add_library_item(library_id=library, name="Photon", type="ovf")
    iso = simulator.state.add_library_item(library_id=library, name="photon-iso", type="iso")
    elsewhere = simulator.state.add_library_item(library_id=other, name="PHOTON", type="ovf")
    assert sorted(find_items(raw_api, name="photon").json()) == sorted([ovf, elsewhere])
    assert find_items(raw_api, name="photon", library_id=library).json() == [ovf]
    assert sorted(find_items(raw_api, library_id=library).json()) == sorted([ovf, iso])
    assert find_items(raw_api, type="ISO").json() == [iso]
    assert find_items(raw_api, source_id="anything").json() == [], "local items have no source"
    assert find_items(raw_api, library_id="no-such-library").json() == []


def test_create_then_get_answers_the_item_model(simulator, raw_api):
    library = simulator.state.add_library(name="lib")
    response = create(raw_api, library, "Photon 5", type="OVF", description="a template")
    assert response.status_code == 201
    item_id = response.json()
    model = raw_api.get(raw_api.base + LIBRARY_ITEMS + "/" + item_id).json()
    assert model == {
        "library_id": library, "name": "Photon 5", "description": "a template", "type": "ovf",
        "content_version": "1", "metadata_version": "1", "version": "1", "cached": True, "size": 0,
        "security_compliance": True,
        "creation_time": model["creation_time"], "last_modified_time": model["creation_time"],
    }
    assert "id" not in model, "the spec: the id will not be present in the result of get"
    generic = raw_api.get(raw_api.base + LIBRARY_ITEMS + "/" + create(raw_api, library, "notes", type="zip").json())
    assert "type" not in generic.json() and generic.json()["description"] == "", "an unknown type is generic"


def test_get_answers_size_and_follows_completions(simulator, raw_api):
    item_id = simulator.state.add_library_item(files=[{"name": "a.iso", "content": b"abc"},
                                                      {"name": "b.iso", "size": 5 << 30, "checksum": "ab" * 20}])
    url = raw_api.base + LIBRARY_ITEMS + "/" + item_id
    before = raw_api.get(url).json()
    assert before["size"] == 3 + (5 << 30)
    session_id = raw_api.session(item_id)
    added = raw_api.add(session_id, "c.txt", size=4).json()
    assert put(added["upload_endpoint"]["uri"], b"four", simulator.ca_file).status_code == 200
    assert raw_api.complete(session_id).status_code == 204
    after = raw_api.get(url).json()
    assert (after["size"], after["content_version"]) == (before["size"] + 4, "2")
    assert after["last_modified_time"] >= before["last_modified_time"]
    assert after["creation_time"] == before["creation_time"]


def test_get_and_delete_of_an_unknown_item_are_not_found(simulator, raw_api):
    for method in ("GET", "DELETE"):
        response = raw_api.request(method, raw_api.base + LIBRARY_ITEMS + "/no-such-item")
        assert response.status_code == 404 and error_type(response) == "NOT_FOUND", method


def test_create_in_an_unknown_library_is_not_found(simulator, raw_api):
    response = create(raw_api, "no-such-library", "photon")
    assert response.status_code == 404 and error_type(response) == "NOT_FOUND"
    assert simulator.state.items == {}


def test_create_of_a_name_the_library_has_already_exists_whatever_its_case(simulator, raw_api):
    library = simulator.state.add_library()
    other = simulator.state.add_library()
    assert create(raw_api, library, "Photon").status_code == 201
    response = create(raw_api, library, "PHOTON")
    assert response.status_code == 400 and error_type(response) == "ALREADY_EXISTS"
    assert create(raw_api, other, "photon").status_code == 201, "names are unique per library only"


def test_create_without_a_name_or_library_is_an_invalid_argument(simulator, raw_api):
    library = simulator.state.add_library()
    for body in ({"library_id": library}, {"name": "photon"}, {"library_id": library, "name": ""}):
        response = raw_api.post(raw_api.base + LIBRARY_ITEMS, json=body)
        assert response.status_code == 400 and error_type(response) == "INVALID_ARGUMENT", body


def test_create_with_a_client_token_twice_makes_one_item(simulator, raw_api):
    library = simulator.state.add_library()
    first = create(raw_api, library, "photon", client_token="token-1")
    again = create(raw_api, library, "photon", client_token="token-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json() and list(simulator.state.items) == [first.json()]
    assert raw_api.delete(raw_api.base + LIBRARY_ITEMS + "/" + first.json()).status_code == 204
    replay = create(raw_api, library, "photon", client_token="token-1")
    assert replay.json() == first.json() and simulator.state.items == {}, "the token's answer, even after a delete"
    assert [call["route"] for call in simulator.calls("POST")][-3:] == ["create_item"] * 3


def test_create_records_a_violation_for_fields_not_used_for_create(simulator, raw_api):
    library = simulator.state.add_library()
    assert create(raw_api, library, "photon", content_version="7").status_code == 201
    assert simulator.violations == [
        "request POST /api/content/library/item: fields not used for create: content_version"]
    simulator.violations.clear()  # expected here


def test_delete_removes_the_item_and_its_update_sessions(simulator, raw_api):
    item_id = simulator.state.add_library_item(files=[{"name": "a.iso", "content": b"abc"}])
    session_id = raw_api.session(item_id)
    added = raw_api.add(session_id, "b.iso", size=3).json()
    response = raw_api.delete(raw_api.base + LIBRARY_ITEMS + "/" + item_id)
    assert response.status_code == 204 and response.content == b""
    assert raw_api.get(raw_api.base + LIBRARY_ITEMS + "/" + item_id).status_code == 404
    gone = raw_api.get(raw_api.base + "/api/content/library/item/update-session/" + session_id)
    assert gone.status_code == 404 and error_type(gone) == "NOT_FOUND"
    assert put(added["upload_endpoint"]["uri"], b"abc", simulator.ca_file).status_code == 404
    assert [call["status"] for call in simulator.calls(route="delete_item")] == [204]


def test_removing_an_unchanged_file_drops_it_from_the_item_at_completion(simulator, raw_api):
    item_id = simulator.state.add_library_item(files=[{"name": "keep.iso", "content": b"keep"},
                                                      {"name": "drop.iso", "content": b"drop"}])
    session_id = raw_api.session(item_id)
    assert raw_api.file(session_id, "drop.iso")["source_type"] == "NONE"
    assert raw_api.delete(raw_api.files_url(session_id, "drop.iso")).status_code == 204
    assert raw_api.complete(session_id).status_code == 204
    assert list(raw_api.item_files(item_id)) == ["keep.iso"]
    assert raw_api.get(raw_api.base + LIBRARY_ITEMS + "/" + item_id).json()["size"] == 4


def test_seeding_libraries_before_items(simulator):
    simulator.state.seed({"libraries": [{"id": "lib-1", "name": "Templates"}, {"id": "lib-2", "type": "SUBSCRIBED"}],
                          "library_items": [{"id": "item-1", "library_id": "lib-1", "description": "seeded"}]})
    assert simulator.state.libraries == {"lib-1": {"name": "Templates", "type": "LOCAL"},
                                         "lib-2": {"name": "lib-2", "type": "SUBSCRIBED"}}
    assert simulator.state.item_model("item-1")["description"] == "seeded"
    simulator.state.add_library_item("item-2", library_id="made-by-its-item")
    assert simulator.state.libraries["made-by-its-item"] == {"name": "made-by-its-item", "type": "LOCAL"}


@pytest.mark.parametrize("simulator", ["7.0.3"], indirect=True)
def test_create_on_7_0_3_is_validated_against_the_8_0_2_operation(simulator, raw_api):
    library = simulator.state.add_library()
    item_id = create(raw_api, library, "photon", type="iso").json()
    assert find_items(raw_api, name="PHOTON").json() == [item_id]
    assert raw_api.get(raw_api.base + LIBRARY_ITEMS + "/" + item_id).json()["type"] == "iso"
    response = raw_api.post(raw_api.base + LIBRARY_ITEMS, json={"library_id": library, "name": 5})
    assert response.status_code == 400
    assert take_wire_misfits(simulator) == {
        "com.vmware.content.library.item.create: create_spec/name is not of type string": EVERY_RELEASE}
    assert simulator.take_violations("request") == [
        "request POST /api/content/library/item: name: 5 is not of type 'string'"]  # expected here
