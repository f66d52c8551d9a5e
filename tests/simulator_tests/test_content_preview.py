# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The preview computed from a signed OVF package uploaded into a session, and what completion does with it."""

import time

import pytest
import trustme

from ovf_package import make_ovf_package, make_signer

TRUSTED_CA = trustme.CA(organization_name="Trusted Publisher CA")
ALL_WARNINGS = ["SELF_SIGNED_CERTIFICATE", "EXPIRED_CERTIFICATE", "NOT_YET_VALID_CERTIFICATE", "UNTRUSTED_CERTIFICATE"]


def preview(raw_api, session_id):
    return raw_api.update_session(session_id)["preview_info"]


def ovf_session(simulator, raw_api, **body):
    item = simulator.state.add_library_item(type="ovf", preview_warnings=["EXPIRED_CERTIFICATE"])
    return item, raw_api.session(item, **body)


def test_a_self_signed_package_is_previewed_once_its_metadata_is_in(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path)
    item, session_id = ovf_session(simulator, raw_api)
    mf, cert, ovf, disk = package.paths
    raw_api.push(session_id, mf.name, mf)
    assert preview(raw_api, session_id)["warnings"] == [
        {"type": "EXPIRED_CERTIFICATE", "ignored": False, "message": {
            "id": "com.vmware.content.updatesession.EXPIRED_CERTIFICATE",
            "default_message": "The certificate of the content has expired.", "args": []}},
    ], "the seeded preview until a .cert or .ovf is added"
    raw_api.push(session_id, cert.name, cert)
    assert preview(raw_api, session_id) == {"state": "PREPARING"}
    raw_api.push(session_id, ovf.name, ovf)
    info = preview(raw_api, session_id)
    assert info["state"] == "AVAILABLE"
    assert [(w["type"], w["ignored"]) for w in info["warnings"]] == [
        ("SELF_SIGNED_CERTIFICATE", False), ("UNTRUSTED_CERTIFICATE", False)]
    assert info["certificate_info"]["self_signed"] is True
    assert info["certificate_info"]["x509"] == package.cert_pem
    assert info["certificate_info"]["subject"] == "CN=vsphere.content test signer,O=vsphere.content tests"
    assert len(info["cert_chain"]) == 1
    raw_api.push(session_id, disk.name, disk)
    assert raw_api.complete(session_id).status_code == 204
    session = raw_api.update_session(session_id)
    assert session["state"] == "ERROR"
    assert session["error_message"]["args"] == ["SELF_SIGNED_CERTIFICATE", "UNTRUSTED_CERTIFICATE"]
    assert raw_api.item_files(item) == {}, "a failed session changes nothing"


@pytest.mark.parametrize("simulator", [{"trusted_roots": [TRUSTED_CA.cert_pem.bytes().decode()]}], indirect=True)
def test_a_package_signed_under_a_trusted_root_raises_nothing_and_completes(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path, signer=make_signer(ca=TRUSTED_CA))
    item, session_id = ovf_session(simulator, raw_api)
    for path in package.paths:
        raw_api.push(session_id, path.name, path)
    info = preview(raw_api, session_id)
    assert info["state"] == "AVAILABLE" and info["warnings"] == []
    assert info["certificate_info"]["self_signed"] is False
    assert "Trusted Publisher CA" in info["certificate_info"]["issuer"]
    assert raw_api.complete(session_id).status_code == 204
    assert raw_api.update_session(session_id)["state"] == "DONE"
    assert sorted(raw_api.item_files(item)) == ["photon-disk1.vmdk", "photon.ovf"], ".mf and .cert are not kept"


def test_an_expired_certificate_warns_and_ignoring_every_warning_completes(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path, signer="expired")
    _item, session_id = ovf_session(simulator, raw_api, warning_behavior=[
        {"type": warning, "ignored": True} for warning in ALL_WARNINGS])
    for path in package.paths:
        raw_api.push(session_id, path.name, path)
    warnings = preview(raw_api, session_id)["warnings"]
    assert [(w["type"], w["ignored"]) for w in warnings] == [
        ("SELF_SIGNED_CERTIFICATE", True), ("EXPIRED_CERTIFICATE", True), ("UNTRUSTED_CERTIFICATE", True)]
    assert raw_api.complete(session_id).status_code == 204
    assert raw_api.update_session(session_id)["state"] == "DONE"


def test_an_unsigned_package_is_not_applicable_once_its_descriptor_is_in(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path, signer=None)
    _item, session_id = ovf_session(simulator, raw_api)
    mf, ovf, disk = package.paths
    raw_api.push(session_id, mf.name, mf)
    raw_api.add(session_id, ovf.name)
    assert preview(raw_api, session_id) == {"state": "PREPARING"}, "the descriptor is being uploaded"
    raw_api.push(session_id, ovf.name, ovf)
    assert preview(raw_api, session_id) == {"state": "NOT_APPLICABLE"}
    raw_api.push(session_id, disk.name, disk)
    assert raw_api.complete(session_id).status_code == 204
    assert raw_api.update_session(session_id)["state"] == "DONE", "the seeded EXPIRED warning no longer applies"


def test_a_certificate_file_without_a_certificate_is_invalid(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path)
    package.cert.write_bytes(b"SHA256(photon.mf)= 00\nno certificate here\n")
    _item, session_id = ovf_session(simulator, raw_api)
    for path in package.paths:
        raw_api.push(session_id, path.name, path)
    assert preview(raw_api, session_id) == {"state": "UNAVAILABLE"}
    (invalid,) = raw_api.validate(session_id).json()["invalid_files"]
    assert invalid["name"] == "photon.cert"
    assert "not a valid certificate file" in invalid["error_message"]["default_message"]


def test_the_preview_delay_holds_a_content_preview_preparing_once_its_files_are_in(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path)
    signed = raw_api.session(simulator.state.add_library_item(type="ovf", preview_delay=1.0))
    unsigned = raw_api.session(simulator.state.add_library_item(type="ovf", preview_delay=1.0))
    time.sleep(1.0)  # the delay counts from the files, not from the session's creation
    started = time.monotonic()
    for path in package.paths[:3]:
        raw_api.push(signed, path.name, path)
    raw_api.push(unsigned, package.ovf.name, package.ovf)
    assert preview(raw_api, signed) == preview(raw_api, unsigned) == {"state": "PREPARING"}
    # Each session's delay counts from its own first file: the unsigned one's came last, so it is waited for too.
    for session in (signed, unsigned):
        while preview(raw_api, session)["state"] == "PREPARING":
            assert time.monotonic() - started < 10
            time.sleep(0.05)
    assert time.monotonic() - started >= 0.95
    assert preview(raw_api, signed)["state"] == "AVAILABLE"
    assert preview(raw_api, unsigned) == {"state": "NOT_APPLICABLE"}


def test_a_completion_during_the_delay_is_judged_on_the_content(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path)
    item = simulator.state.add_library_item(type="ovf", preview_delay=60)
    session_id = raw_api.session(item)
    for path in package.paths:
        raw_api.push(session_id, path.name, path)
    assert preview(raw_api, session_id) == {"state": "PREPARING"}
    assert raw_api.complete(session_id).status_code == 204
    session = raw_api.update_session(session_id)
    assert (session["state"], session["error_message"]["args"]) == (
        "ERROR", ["SELF_SIGNED_CERTIFICATE", "UNTRUSTED_CERTIFICATE"])
