# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bindings metadata as a second spec: what wire.py calls a misfit, and what the simulator does with one."""

from pathlib import Path

import pytest

from ansible_collections.vsphere.content.plugins.module_utils import api_enums
from helpers import EVERY_RELEASE, take_wire_misfits
from raw_api import LIBRARY_ITEMS, SESSIONS, error_type
from vcenter_simulator.routes import ROUTES
from vcenter_simulator.extract_bindings import reached_types
from vcenter_simulator.spec import API_VERSIONS, ApiSpec
from vcenter_simulator.wire import RELEASES, WireCheck

CREATE_SESSION = "com.vmware.content.library.item.update_session.create"
TOKEN = "3f2b8c1e-7d4a-4e6b-9a1c-5e8f0b2d4c6a"


def test_the_three_releases_are_committed():
    assert EVERY_RELEASE == ["8.0.3.0", "9.0.0.0", "9.1.1.0"]
    assert all(document["package"] == "vmware-vcenter" for document in RELEASES.values())


def misfits(operation, method, path, query=None, headers=(), body=None):
    return WireCheck().misfits(operation, method, path, query or {}, list(headers), body)


def test_a_create_with_the_token_in_a_header_fits_every_release():
    assert misfits(CREATE_SESSION, "POST", SESSIONS, headers=["Client-Token", "Content-Type"],
                   body={"library_item_id": "item-1"}) == []


def test_a_create_with_the_token_in_the_query_misfits_every_release_naming_the_parameter():
    assert misfits(CREATE_SESSION, "POST", SESSIONS, query={"client_token": TOKEN},
                   body={"library_item_id": "item-1"}) == [
        "%s %s: query parameter client_token is not one of its inputs" % (release, CREATE_SESSION)
        for release in EVERY_RELEASE]


COMPLETE = "com.vmware.content.library.item.update_session.complete"


@pytest.mark.parametrize("method, path, query, headers, misfit", [
    ("POST", SESSIONS + "/s-1", {"action": "complete"}, ["Client-Token"], "header Client-Token is not one of its inputs"),
    ("POST", SESSIONS + "/s-1", {"action": "finish"}, [], "query action=complete is missing"),
    ("GET", SESSIONS + "/s-1", {"action": "complete"}, [], "method GET, not POST"),
    ("POST", SESSIONS + "/s-1/file", {"action": "complete"}, [],
     "path /api/content/library/item/update-session/s-1/file does not fit "
     "/api/content/library/item/update-session/{updateSessionId}"),
])
def test_method_path_dispatch_and_headers_are_checked(method, path, query, headers, misfit):
    assert misfits(COMPLETE, method, path, query, headers) == [
        "%s %s: %s" % (release, COMPLETE, misfit) for release in EVERY_RELEASE]


def test_required_inputs_body_fields_and_types_are_checked():
    keep_alive = "com.vmware.content.library.item.update_session.keep_alive"
    path = SESSIONS + "/s-1"
    assert misfits(keep_alive, "POST", path, {"action": "keep-alive"}, body={"client_progress": 5}) == []
    assert [text.split(": ", 1)[1] for text in misfits(
        keep_alive, "POST", path, {"action": "keep-alive"}, body={"progress": 5, "client_progress": "5"})] == [
        "body field progress is not one of its inputs", "client_progress is not of type integer"] * 3
    fail = "com.vmware.content.library.item.update_session.fail"
    assert {text.split(": ", 1)[1] for text in misfits(fail, "POST", path, {"action": "fail"})} == {
        "required input client_error_message is not sent"}
    add = "com.vmware.content.library.item.updatesession.file.add"
    found = misfits(add, "POST", path + "/file", body={"name": "a.iso", "source_type": "PUSH", "size": 3,
                                                       "checksum_info": {"algorithm": "CRC32", "checksum": "x"},
                                                       "upload_endpoint": {"uri": "https://x"}})
    assert {text.split(": ", 1)[1] for text in found} == {
        "file_spec/checksum_info/algorithm: 'CRC32' is not a value of File.ChecksumAlgorithm",
        "file_spec/upload_endpoint is not a field of File.AddSpec"}
    item_file = "com.vmware.content.library.item.file.get"
    assert misfits(item_file, "GET", LIBRARY_ITEMS + "/i-1/file", {"name": "a.iso"}) == []
    assert {text.split(": ", 1)[1] for text in misfits(item_file, "GET", LIBRARY_ITEMS + "/i-1/file")} == {
        "required input name is not sent"}


def test_a_field_only_newer_releases_know_misfits_the_older_ones():
    add = "com.vmware.content.library.item.updatesession.file.add"
    found = misfits(add, "POST", SESSIONS + "/s-1/file", body={
        "name": "a.iso", "source_type": "PULL",
        "source_endpoint": {"uri": "https://x/a.iso", "ssl_certificate": "-----BEGIN CERTIFICATE-----"}})
    assert found == ["8.0.3.0 %s: file_spec/source_endpoint/ssl_certificate is not a field of TransferEndpoint" % add]


def test_the_simulator_ignores_a_query_client_token_and_records_the_misfit(simulator, raw_api):
    item = simulator.state.add_library_item()
    first = raw_api.post(raw_api.base + SESSIONS, params={"client_token": TOKEN}, json={"library_item_id": item})
    again = raw_api.post(raw_api.base + SESSIONS, params={"client_token": TOKEN}, json={"library_item_id": item})
    assert first.status_code == 201
    assert again.status_code == 500 and error_type(again) == "RESOURCE_BUSY", "the query token is not honoured"
    assert take_wire_misfits(simulator) == {
        CREATE_SESSION + ": query parameter client_token is not one of its inputs": EVERY_RELEASE * 2}
    again = raw_api.post(raw_api.base + SESSIONS, headers={"Client-Token": TOKEN}, json={"library_item_id": item})
    assert again.status_code == 500, "a token first seen in a header is a new create"
    simulator.state.update_sessions.clear()
    first = raw_api.post(raw_api.base + SESSIONS, headers={"Client-Token": TOKEN}, json={"library_item_id": item})
    again = raw_api.post(raw_api.base + SESSIONS, headers={"Client-Token": TOKEN}, json={"library_item_id": item})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()


def test_a_request_a_fault_answers_is_checked_too(simulator, raw_api):
    item = simulator.state.add_library_item()
    simulator.inject_fault(method="POST", path="update-session$", status=503, body="")
    response = raw_api.post(raw_api.base + SESSIONS, params={"client_token": TOKEN}, json={"library_item_id": item})
    assert response.status_code == 503
    assert list(take_wire_misfits(simulator)) == [CREATE_SESSION + ": query parameter client_token is not one of its inputs"]


# -- where the OpenAPI files and the bindings disagree ----------------------------

NOTE = Path(__file__).resolve().parents[2] / "docs" / "wire-format.md"


def definition_name(binding_type):
    """The OpenAPI definition of a bindings type: ...item.updatesession_client.WarningType ->
    ContentLibraryItemUpdatesessionWarningType."""
    module, name = binding_type.split("_client.", 1)
    return "".join(part[:1].upper() + part[1:] for part in module.split(".")[2:] + name.split("."))


def short(name):
    return name.replace("com.vmware.", "").replace("_client", "")


def disagreements():
    """(operation or type, parameter or field, what differs) for every route the simulator serves."""
    found = set()
    for version in API_VERSIONS:
        spec = ApiSpec(version)
        for release, document in RELEASES.items():
            for route in ROUTES:
                parameters = spec.operation(route.spec_path, route.method).get("parameters", [])
                metadata = document["operations"][route.operation]
                bindings = {("query", name) for name in metadata["query_parameters"].values()}
                bindings |= {("query", name) for name in metadata["dispatch_parameters"] if name != "action"}
                bindings |= {("header", name) for name in metadata["header_parameters"]}
                openapi = {(p["in"], p["name"]) for p in parameters if p["in"] in ("query", "header")}
                for where, name in openapi ^ bindings:
                    found.add((short(route.operation), name, "OpenAPI %s" % where if (where, name) in openapi
                               else "bindings %s" % where))
                body = metadata["request_body_parameter"]
                openapi_required = any(p["in"] == "body" and p.get("required") for p in parameters)
                if body and openapi_required != (not metadata["input"][body].startswith("optional<")):
                    found.add((short(route.operation), body, "required body"))
            served = [document["operations"][route.operation] for route in ROUTES]
            for name in reached_types(document["types"], served):
                binding, definition = document["types"][name], spec.definitions.get(definition_name(name))
                if definition is None:
                    found.add((short(name), "", "type only in the bindings"))
                elif "enum" in binding:
                    found.update((short(name), value, "enum value") for value in
                                 set(binding["enum"]) ^ set(definition["enum"]))
                else:
                    found.update((short(name), field, "field") for field in
                                 set(binding["struct"]) ^ set(definition.get("properties", {})))
    return found


def test_every_disagreement_with_the_openapi_files_is_in_the_wire_format_note():
    lines = NOTE.read_text().splitlines()
    found = disagreements()
    assert ("content.library.item.update_session.create", "Client-Token", "bindings header") in found
    # A type only in the bindings has no field to name: its own name is enough.
    missing = [entry for entry in sorted(found)
               if not any("`%s`" % entry[0] in line and (not entry[1] or "`%s`" % entry[1] in line) for line in lines)]
    assert not missing, "docs/wire-format.md does not list: %s" % missing


# -- the enumerations ------------------------------------------------------------

KNOWN_ENUMS = {
    "com.vmware.content.library.item.updatesession_client.WarningType": api_enums.WARNING_TYPES,
    "com.vmware.content.library.item.updatesession_client.PreviewInfo.State": api_enums.PREVIEW_STATES,
    "com.vmware.content.library.item.updatesession_client.File.SourceType": api_enums.SOURCE_TYPES,
    "com.vmware.content.library.item_client.UpdateSessionModel.State": api_enums.SESSION_STATES,
    "com.vmware.content.library.item_client.TransferStatus": api_enums.TRANSFER_STATUSES,
    "com.vmware.content.library.item_client.File.ChecksumAlgorithm": api_enums.CHECKSUM_ALGORITHMS,
}


def test_the_collection_knows_exactly_the_values_of_each_release():
    for release, document in RELEASES.items():
        for name, known in KNOWN_ENUMS.items():
            assert sorted(document["types"][name]["enum"]) == sorted(known), (release, name)


def test_no_enumeration_changes_between_the_releases():
    """Warning types, transfer statuses, download prepare statuses and the rest: a type the releases share
    has the same values in each (9.x adds types, such as a library's StateInfo.State, but changes none)."""
    values = {}
    for release, document in sorted(RELEASES.items()):
        for name, definition in document["types"].items():
            if "enum" in definition:
                values.setdefault(name, {})[release] = definition["enum"]
    assert "com.vmware.content.library.item.downloadsession_client.File.PrepareStatus" in values
    changed = {name: by_release for name, by_release in values.items()
               if len({tuple(enum) for enum in by_release.values()}) > 1}
    assert changed == {}
