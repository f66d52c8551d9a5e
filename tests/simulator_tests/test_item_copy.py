# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``POST /api/content/library/item/{id}?action=copy`` over HTTPS: a new item with the source's content, answered
200 with its id; the Client-Token header makes a resent copy answer the same item; the errors the spec names."""

import pytest

from raw_api import LIBRARY_ITEMS, error_type

API_VERSIONS = ["8.0.2", "7.0.3"]


def copy(raw_api, source_id, client_token=None, **spec):
    headers = {"Client-Token": client_token} if client_token else None
    return raw_api.post(raw_api.base + LIBRARY_ITEMS + "/" + source_id, params={"action": "copy"}, headers=headers,
                        json=spec)


def content(sim, item_id, name):
    with open(sim.state.items[item_id]["files"][name]["path"], "rb") as handle:
        return handle.read()


@pytest.fixture
def source(simulator):
    simulator.state.add_library("library-1", name="templates")
    simulator.state.add_library("library-2", name="copies")
    return simulator.state.add_library_item(
        "source-1", library_id="library-1", name="photon", type="ovf", description="Photon OS",
        files=[{"name": "photon.ovf", "content": b"<Envelope/>"}, {"name": "photon-disk1.vmdk", "content": b"d" * 999}])


@pytest.mark.parametrize("simulator", API_VERSIONS, indirect=True)
def test_a_copy_is_a_new_item_with_the_same_content(simulator, raw_api, source):
    answer = copy(raw_api, source, library_id="library-2", name="photon-copy")
    assert answer.status_code == 200, answer.text
    copied_id = answer.json()
    assert copied_id != source
    item = raw_api.get(raw_api.base + LIBRARY_ITEMS + "/" + copied_id).json()
    assert (item["library_id"], item["name"], item["type"], item["description"], item["content_version"]) == (
        "library-2", "photon-copy", "ovf", "Photon OS", "1")
    files = [raw_api.get(raw_api.base + LIBRARY_ITEMS + "/%s/file" % item_id).json() for item_id in (source, copied_id)]
    assert files[0] == files[1]
    simulator.state.delete_library_item(source)
    assert content(simulator, copied_id, "photon-disk1.vmdk") == b"d" * 999, "the copy keeps its content"


def test_a_resent_copy_with_the_same_client_token_answers_the_same_item(simulator, raw_api, source):
    first = copy(raw_api, source, client_token="token-1", library_id="library-2", name="photon")
    again = copy(raw_api, source, client_token="token-1", library_id="library-2", name="photon")
    assert (first.status_code, again.status_code) == (200, 200) and first.json() == again.json()
    assert sorted(item["name"] for item in simulator.state.items.values()) == ["photon", "photon"]
    assert [entry["client_token"] for entry in simulator.calls("POST", "copy_item")] == ["token-1", "token-1"]


def test_the_errors_of_a_copy(simulator, raw_api, source):
    unknown_source = copy(raw_api, "no-such-item", library_id="library-2", name="photon")
    unknown_library = copy(raw_api, source, library_id="no-such-library", name="photon")
    taken = copy(raw_api, source, library_id="library-1", name="PHOTON")
    assert (unknown_source.status_code, error_type(unknown_source)) == (404, "NOT_FOUND")
    assert (unknown_library.status_code, error_type(unknown_library)) == (404, "NOT_FOUND")
    assert (taken.status_code, error_type(taken)) == (400, "ALREADY_EXISTS")
    assert sorted(simulator.state.items) == [source], "nothing was made"
